/**
 * The core module: what every area leans on and nobody owns alone — the API journal (rid/get, the
 * console's API log), the daily quota counters, the persisted clock offset, and the platform's own
 * simulator routes (health, modules, clock, reset, world, journal), and the config's global
 * `policies`. It requires no module.
 */
import { readPolicies } from "../../config/policies.js";
import { configSection } from "../../config/types.js";
import { defineModule } from "../../module.js";
import { ClockStore } from "./clock-store.js";
import { apiCallEvent } from "./events.js";
import { Journal } from "./journal.js";
import { coreMigrations } from "./migrations.js";
import { QuotaCounter } from "./quota.js";
import { addCoreRoutes } from "./routes.js";

export interface CoreServices {
  readonly journal: Journal;
  readonly quota: QuotaCounter;
  readonly clockStore: ClockStore;
}

declare module "../../module.js" {
  interface ModuleServices {
    core: CoreServices;
  }
}

/** The config's global `policies` (per-account ones live in each account). */
const policiesSection = configSection("policies", (raw) => readPolicies(raw, "policies"));

export const coreModule = defineModule({
  name: "core",
  migrations: coreMigrations,
  config: [policiesSection],
  setup(ctx): CoreServices {
    const journal = new Journal(ctx.db, ctx.clock, 100, (e) => {
      if (ctx.events.listening("api.call")) ctx.events.emit("api.call", apiCallEvent(e));
    });
    const quota = new QuotaCounter(ctx.db, ctx.clock);
    const clockStore = new ClockStore(ctx.db, ctx.clock);
    ctx.events.on("world.replaced", () => {
      quota.forget();
      journal.discardPending();
    });
    addCoreRoutes(ctx, journal, clockStore);
    return { journal, quota, clockStore };
  },
});

export { ClockStore } from "./clock-store.js";
export type { ApiCallEvent } from "./events.js";
export { Journal } from "./journal.js";
export { QuotaCounter } from "./quota.js";
