/** What the bridge API's handler families share: the module's context and the media store. */
import type { ModuleContext } from "../../../module.js";
import type { JssdkMediaStore } from "../media-store.js";

export type JssdkContext = ModuleContext<"accounts" | "simulated-users" | "web-identity" | "push">;

export interface Toolkit {
  ctx: JssdkContext;
  /** Where uploads go; replaceable (the materials module's temporary media, once merged). */
  media(): JssdkMediaStore;
}
