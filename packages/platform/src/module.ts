/**
 * The module interface. A module is one area of the platform (tokens, simulated users, menus, …):
 * it owns its tables (migrations), its part of the config (seed), its WeChat endpoints
 * (`implement`) and its simulator routes, and it declares the modules it needs (`requires`) and the
 * typed services it offers to them (what `setup` returns). The platform checks the graph at start
 * and sets modules up in dependency order. See README.md "How to add a module".
 *
 * Two ways to use another module, both only when it is listed in `requires`:
 * - import its public surface (`../accounts/index.js`: store functions, types);
 * - call its services (`ctx.services.push.send(…)`): for anything tied to a running platform
 *   (the push engine, the user-event registry, hooks).
 * A test (module-graph.test.ts) checks that every import of another module is declared.
 */
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Account } from "./account.js";
import type { MutableClock } from "./clock.js";
import type { Policies } from "./config/policies.js";
import type { ConfigSection, PlatformConfig } from "./config/types.js";
import type { Migration } from "./db/migrate.js";
import type { Dialect } from "./db/open.js";
import type { Db } from "./db/schema.js";
import type { WorldSnapshot } from "./db/world.js";
import type { PlatformEvents } from "./events.js";
import type { Implement } from "./http/api.js";
import type { SimulatorRouter } from "./http/simulator.js";
import type { ModuleGraphEntry } from "./module-graph.js";
import type { World } from "./world.js";

/**
 * Services by the name of the module that provides them. A module that offers services declares
 * them by augmentation, next to its `defineModule`:
 *
 * ```ts
 * declare module "../../module.js" {
 *   interface ModuleServices { push: PushService }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation
export interface ModuleServices {}

/** What module `N` offers (nothing for a module without services). */
// biome-ignore lint/suspicious/noConfusingVoidType: a setup without services returns nothing at all
export type ServicesOf<N extends string> = N extends keyof ModuleServices ? ModuleServices[N] : void;

/** The services a module may call: those of the modules it requires. */
export type RequiredServices<R extends string> = {
  readonly [K in R as K extends keyof ModuleServices ? K : never]: K extends keyof ModuleServices
    ? ModuleServices[K]
    : never;
};

export interface ModuleContext<R extends string = never> {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly clock: MutableClock;
  /** The config the world is seeded from (after validation; the demo config when none was given). */
  readonly config: PlatformConfig;
  /** Global policies merged with the account's own. */
  policiesFor(account: Account | null): Policies;
  /** Implement a WeChat endpoint of the catalog (see http/api.ts). */
  readonly implement: Implement;
  /** Add a `/_mpstack/...` route (see http/simulator.ts). */
  readonly simulator: SimulatorRouter;
  /**
   * The root Fastify instance, for raw routes that are neither catalog endpoints nor simulator
   * routes. Register inside `ctx.app.register(async (scope) => …)` to stay encapsulated.
   */
  readonly app: FastifyInstance;
  readonly events: PlatformEvents;
  readonly log: FastifyBaseLogger;
  /** Platform facts a module may need (the public URL once listening, the data folder). */
  readonly runtime: PlatformRuntime;
  /** The services of the modules this one requires. */
  readonly services: RequiredServices<R>;
  /** The world as a whole: reset, export, import (the core module's routes use it). */
  readonly world: WorldControl;
  /** Run `fn` when the platform closes (stop timers, flush queues), in reverse setup order. */
  onClose(fn: () => void | Promise<void>): void;
  /**
   * Work that runs beside requests (resuming what a previous run left, a sweep, a world replaced):
   * started once every module is set up (at once when called later). The platform logs its
   * failure as `what failed` and, when closing, waits for it after the onClose hooks stopped it
   * and before the database closes. Failures while closing are not logged.
   */
  background(what: string, task: () => Promise<unknown>): void;
}

export interface WorldControl {
  /** Clear every table, move the clock back to real time, seed again (unless `empty`). */
  reset(opts?: { empty?: boolean }): Promise<void>;
  export(): Promise<WorldSnapshot>;
  /** Replace the whole world with an export (checked first; throws on a bad snapshot). */
  import(snapshot: unknown): Promise<void>;
  /** How many accounts the world holds (for the answers of reset and import). */
  accountCount(): Promise<number>;
  /** The loaded modules in setup order, with what they require. */
  modules(): ModuleGraphEntry[];
  /**
   * Add state that travels with the world beside its tables (a module's files, binary rows): it is
   * exported under `parts[name]`, imported after the tables, and cleared on reset. Resolves once an
   * export the platform started from (`--import`) has been applied to it.
   */
  addPart(part: WorldPart): Promise<void>;
}

/** State of a module outside the generic table export (see `WorldControl.addPart`). */
export interface WorldPart {
  /** Key in the export's `parts`. */
  readonly name: string;
  /** Tables this part carries itself: left out of the export's `tables` and of a table import. */
  readonly tables?: readonly string[];
  export(): Promise<unknown>;
  /** Replace the part's state with an export's (`undefined` when the export has none). */
  import(value: unknown): Promise<void>;
  /** Forget everything (reset); the tables are already empty. */
  clear(): Promise<void>;
}

export interface PlatformRuntime {
  /** `http://host:port` once listening; "" before. */
  url: string;
  /** Data folder (SQLite file, media files). */
  dataDir: string;
}

/** A module as the platform loads it (build one with `defineModule`). */
export interface PlatformModule {
  /** Short unique name, e.g. `menu`; also the key of its services. */
  readonly name: string;
  /** Names of the modules this one needs; they are migrated, seeded and set up first. */
  readonly requires: readonly string[];
  /** Ordered; run once each, before any `setup`. */
  readonly migrations: readonly Migration[];
  /** The config sections this module owns (validated and normalised by their schemas). */
  readonly config: readonly ConfigSection[];
  /**
   * Put this module's part of the config into the world: at every start with a config, and after a
   * reset. Idempotent upserts (starting twice gives the same world). Runs before any `setup`.
   */
  seed?(world: World, config: PlatformConfig): Promise<void>;
  /** Register endpoints, routes and listeners; return the module's services. Called once. */
  setup?(ctx: ModuleContext<string>): unknown;
}

export interface ModuleDefinition<N extends string, R extends string> {
  readonly name: N;
  readonly requires?: readonly R[];
  readonly migrations?: readonly Migration[];
  readonly config?: readonly ConfigSection[];
  seed?(world: World, config: PlatformConfig): Promise<void>;
  setup?(ctx: ModuleContext<R>): ServicesOf<N> | Promise<ServicesOf<N>>;
}

/**
 * Declare a module. `requires` fixes which services `ctx.services` holds (typed), and a module
 * listed in `ModuleServices` must return its services from `setup`.
 */
export function defineModule<const N extends string, const R extends string = never>(
  def: ModuleDefinition<N, R>,
): PlatformModule {
  const { setup, seed } = def;
  return {
    name: def.name,
    requires: def.requires ?? [],
    migrations: def.migrations ?? [],
    config: def.config ?? [],
    ...(seed ? { seed } : {}),
    ...(setup ? { setup: setup as (ctx: ModuleContext<string>) => unknown } : {}),
  };
}
