/** The mass module's context type: the modules it requires, whose services it may call. */
import type { ModuleContext } from "../../module.js";

export type MassContext = ModuleContext<
  "accounts" | "simulated-users" | "conversations" | "follower-tags" | "push" | "materials"
>;
