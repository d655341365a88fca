/**
 * createPlatform: the composition root. Opens storage, orders the modules by what they require,
 * migrates, seeds the world from the config, sets each module up with the services it required,
 * and mounts the WeChat API and the simulator API on one server (http/server.ts).
 */
import type { Endpoint } from "@mpstack/protocol";
import type { FastifyInstance } from "fastify";
import type { Account } from "./account.js";
import { createClock, type MutableClock } from "./clock.js";
import { DEFAULT_POLICIES, mergePolicies, type Policies } from "./config/policies.js";
import type { PlatformConfig } from "./config/types.js";
import { emptyConfig } from "./config-file.js";
import { clearDbCaches } from "./db/cache.js";
import { migrate } from "./db/migrate.js";
import { type Dialect, openDatabase } from "./db/open.js";
import type { Db } from "./db/schema.js";
import { checkSnapshot, clearWorld, exportWorld, importWorld, type WorldSnapshot } from "./db/world.js";
import { demoConfig } from "./demo-world.js";
import { PlatformEvents } from "./events.js";
import type { ApiRegistration, ApiServices } from "./http/api.js";
import { WechatApiError } from "./http/errors.js";
import { createServer, mountSimulatorApi, mountWechatApi, type ServerOptions } from "./http/server.js";
import { type AnySimRoute, createSimulatorRouter } from "./http/simulator.js";
import { BackgroundTasks, closeServer } from "./lifecycle.js";
import type {
  ModuleContext,
  ModuleServices,
  PlatformModule,
  PlatformRuntime,
  WorldControl,
  WorldPart,
} from "./module.js";
import { describeGraph, type ModuleGraphEntry, orderModules } from "./module-graph.js";
import { listAccounts } from "./modules/accounts/index.js";
import { ClockStore, type CoreServices } from "./modules/core/index.js";
import { modules as defaultModules } from "./modules/index.js";

export interface PlatformOptions {
  /** Data folder (SQLite file, media). Default `.mpstack`. */
  dataDir?: string;
  /** `postgres://…` to use PostgreSQL instead of SQLite (`?schema=NAME` for a private schema). */
  databaseUrl?: string;
  /** A validated config (see config-file.ts). Applied at every start (idempotent upserts). */
  config?: PlatformConfig;
  /** Seed the demo world when there is no config and no account yet. Default true. */
  seedDemo?: boolean;
  /** Server URL of the demo accounts (the demo bot), when seeding the demo. */
  demoBotUrl?: string;
  /** Replace the world with this export before applying the config. */
  importWorld?: WorldSnapshot;
  /** An injected clock (tests). Default: real time plus the persisted offset. */
  clock?: MutableClock;
  host?: string;
  port?: number;
  /** Require this key on every simulator call (else: loopback callers only). */
  adminKey?: string;
  /**
   * Host names the simulator API answers under besides the loopback ones (without an admin key),
   * e.g. a name in /etc/hosts that points at this machine. See http/simulator-guard.ts.
   */
  allowedHosts?: string[];
  /** Fastify logging (never logs requests or secrets; `stream`: where lines go). Default off. */
  logger?: ServerOptions["logger"];
  /** Largest accepted request body (JSON) in bytes. Default 2 MiB. */
  bodyLimit?: number;
  /** The modules to load (any order: they are ordered by `requires`). Default: `src/modules/index.ts`. */
  modules?: PlatformModule[];
}

export interface Platform {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly dialect: Dialect;
  readonly clock: MutableClock;
  readonly events: PlatformEvents;
  /** The config the world is seeded from on start and reset (the demo when none was given). */
  readonly config: PlatformConfig | null;
  /** Where the data lives (for banners). */
  readonly storage: string;
  /** `http://host:port` once listening. */
  readonly url: string;
  /** The loaded modules in setup order, with what each requires. */
  readonly modules: ModuleGraphEntry[];
  listen(): Promise<string>;
  close(): Promise<void>;
  /** Clear every table, move the clock back to real time, and seed again (unless `empty`). */
  reset(opts?: { empty?: boolean }): Promise<void>;
  exportWorld(): Promise<WorldSnapshot>;
  importWorld(snapshot: WorldSnapshot): Promise<void>;
  accounts(): Promise<Account[]>;
  policiesFor(account: Account | null): Policies;
}

type AnyServices = Record<string, unknown>;

export async function createPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const ordered = orderModules(options.modules ?? defaultModules);
  const graph = describeGraph(ordered);
  const dataDir = options.dataDir ?? ".mpstack";
  const opened = await openDatabase({
    dataDir,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
  });
  const { db, dialect } = opened;
  try {
    await migrate(
      db,
      ordered.flatMap((m) => m.migrations),
      dialect,
    );
  } catch (err) {
    await db.destroy();
    throw err;
  }

  const clock = options.clock ?? createClock();
  const clockStore = new ClockStore(db, clock);
  if (!options.clock) await clockStore.load();

  const app = createServer({
    clock,
    logger: options.logger,
    bodyLimit: options.bodyLimit ?? 2 * 1024 * 1024,
  });
  const events = new PlatformEvents((event, err) =>
    app.log.error({ event, err: err instanceof Error ? err.message : String(err) }, "event listener failed"),
  );
  const world = { db, clock, events };
  const basePolicies = mergePolicies(DEFAULT_POLICIES, options.config?.policies);
  const policiesFor = (account: Account | null) =>
    account ? mergePolicies(basePolicies, account.policies) : basePolicies;

  const seedConfig =
    options.config ?? (options.seedDemo === false ? null : demoConfig(options.demoBotUrl ?? ""));
  const empty = seedConfig ? undefined : emptyConfig(ordered);
  const seed = async () => {
    if (!seedConfig) return;
    for (const m of ordered) await m.seed?.(world, seedConfig);
  };

  // World parts (module state beside the tables) register during setup; an export the platform
  // starts from hands each its part then.
  const parts: WorldPart[] = [];
  const partTables = () => new Set(parts.flatMap((p) => p.tables ?? []));
  let startupParts: Record<string, unknown> | undefined;
  if (options.importWorld) {
    const snapshot = checkSnapshot(options.importWorld);
    await importWorld(db, snapshot);
    startupParts = snapshot.parts ?? {};
    clearDbCaches(db);
  }
  if (options.config) await seed();
  else if (seedConfig && (await listAccounts(db)).length === 0) await seed();

  // Module setup, in dependency order; each module sees the services of what it requires.
  const registrations: ApiRegistration[] = [];
  const simRoutes: AnySimRoute[] = [];
  const closers: (() => void | Promise<void>)[] = [];
  const tasks = new BackgroundTasks(app.log);
  const runtime: PlatformRuntime = { url: "", dataDir };
  const services: AnyServices = {};
  const core = (): CoreServices => {
    const c = services.core as CoreServices | undefined;
    if (!c) throw new Error("the core module is not loaded");
    return c;
  };
  const flushCore = async () => {
    const c = services.core as CoreServices | undefined;
    await c?.journal.flush();
    await c?.quota.flush();
  };
  const afterReplace = (reason: "reset" | "import") => {
    clearDbCaches(db);
    events.emit("world.replaced", { reason });
  };
  const worldControl: WorldControl = {
    async reset(opts = {}) {
      await flushCore();
      await clearWorld(db);
      for (const p of parts) await p.clear();
      clock.setOffset(0);
      await clockStore.save();
      afterReplace("reset");
      if (!opts.empty) await seed();
    },
    async export() {
      await flushCore();
      const snapshot = await exportWorld(db, clock.now(), partTables());
      if (parts.length > 0) {
        snapshot.parts = {};
        for (const p of parts) snapshot.parts[p.name] = await p.export();
      }
      return snapshot;
    },
    async import(raw) {
      await flushCore();
      const snapshot = checkSnapshot(raw);
      await importWorld(db, snapshot, partTables());
      for (const p of parts) await p.import(snapshot.parts?.[p.name]);
      afterReplace("import");
      await clockStore.load();
    },
    async addPart(part) {
      parts.push(part);
      if (startupParts) await part.import(startupParts[part.name]);
    },
    accountCount: async () => (await listAccounts(db)).length,
    modules: () => graph,
  };
  const implement = ((endpoint: Endpoint, ...rest: unknown[]) => {
    const [parse, handler, opts] =
      rest.length >= 2 && typeof rest[1] === "function" ? rest : [undefined, rest[0], rest[1]];
    registrations.push({
      endpoint,
      handler: handler as ApiRegistration["handler"],
      parse: parse as ApiRegistration["parse"],
      options: (opts as ApiRegistration["options"] | undefined) ?? {},
    });
  }) as ModuleContext["implement"];
  for (const m of ordered) {
    const visible: AnyServices = {};
    for (const r of m.requires) visible[r] = services[r];
    const ctx: ModuleContext<string> = {
      db,
      dialect,
      clock,
      config: seedConfig ?? (empty as PlatformConfig),
      policiesFor,
      implement,
      simulator: createSimulatorRouter(simRoutes),
      app,
      events,
      log: app.log,
      runtime,
      services: Object.freeze(visible) as ModuleContext<string>["services"],
      world: worldControl,
      onClose: (fn) => closers.push(fn),
      background: (what, task) => tasks.run(what, task),
    };
    services[m.name] = await m.setup?.(ctx);
  }

  const tokens = services.tokens as ModuleServices["tokens"] | undefined;
  const apiServices: ApiServices = {
    clock,
    journal: core().journal,
    quota: core().quota,
    authenticate: tokens
      ? (token) => tokens.authenticate(token)
      : async () => {
          throw new WechatApiError(40001);
        },
    policiesFor,
    log: app.log,
  };
  await mountWechatApi(app, registrations, apiServices);
  await mountSimulatorApi(app, simRoutes, registrations, {
    adminKey: options.adminKey,
    allowedHosts: options.allowedHosts ?? [],
  });
  await app.ready();
  tasks.start();

  return {
    app,
    db,
    dialect,
    clock,
    events,
    config: seedConfig,
    storage: opened.description,
    modules: graph,
    get url() {
      return runtime.url;
    },
    async listen() {
      const address = await app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 7700 });
      const u = new URL(address);
      runtime.url = `${u.protocol}//${u.host}`;
      return runtime.url;
    },
    async close() {
      tasks.closing();
      for (const fn of closers.reverse()) await fn();
      await tasks.settled();
      await closeServer(app);
      await flushCore();
      await db.destroy();
    },
    reset: (opts) => worldControl.reset(opts),
    exportWorld: () => worldControl.export(),
    importWorld: (snapshot) => worldControl.import(snapshot),
    accounts: () => listAccounts(db),
    policiesFor,
  };
}
