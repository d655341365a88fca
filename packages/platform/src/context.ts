/**
 * The module interface. A module is one area of the platform (tokens, users, menus, …) and owns
 * its tables (migrations), its WeChat endpoints (`implement`) and its simulator routes.
 * See README.md "How to add a module".
 */
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { MutableClock } from "./clock.js";
import type { Policies } from "./config/policies.js";
import type { PlatformConfig } from "./config/types.js";
import type { Migration } from "./db/migrate.js";
import type { Dialect } from "./db/open.js";
import type { Db } from "./db/schema.js";
import type { PlatformEvents } from "./events.js";
import type { Implement } from "./http/api.js";
import type { Journal } from "./http/journal.js";
import type { QuotaCounter } from "./http/quota.js";
import type { SimulatorRouter } from "./http/simulator.js";
import type { Account } from "./modules/accounts/types.js";

export interface PlatformModule {
  /** Short unique name, e.g. `users`. */
  readonly name: string;
  /** Ordered; run once each, before any `setup`. */
  readonly migrations?: readonly Migration[];
  /** Register endpoints, simulator routes, event listeners. Called once at startup. */
  setup?(ctx: ModuleContext): void | Promise<void>;
}

export interface ModuleContext {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly clock: MutableClock;
  /** The config the platform started with (after validation; demo config when none). */
  readonly config: PlatformConfig;
  /** Global policies merged with the account's own. */
  policiesFor(account: Account | null): Policies;
  /** Implement a WeChat endpoint of the catalog (see http/api.ts). */
  readonly implement: Implement;
  /** Add a `/_mpstack/...` route (see http/simulator.ts). */
  readonly simulator: SimulatorRouter;
  /**
   * The root Fastify instance, for raw routes that are neither JSON APIs nor simulator routes
   * (browser pages on the mp/open hosts: QR images, the OAuth consent page). Use
   * `ctx.app.register(async (scope) => { scope.get(...) })` to keep plugins encapsulated.
   */
  readonly app: FastifyInstance;
  readonly events: PlatformEvents;
  readonly journal: Journal;
  readonly quota: QuotaCounter;
  readonly log: FastifyBaseLogger;
  /** Platform options a module may need (the public URL once listening, the data folder). */
  readonly runtime: PlatformRuntime;
  /** Run `fn` when the platform closes (stop timers, flush queues). */
  onClose(fn: () => void | Promise<void>): void;
}

export interface PlatformRuntime {
  /** `http://host:port` once listening; "" before. */
  url: string;
  /** Data folder (SQLite file, media files). */
  dataDir: string;
}
