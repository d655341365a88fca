/**
 * createPlatform: storage, migrations, seed, modules, and one Fastify server for WeChat's three
 * hosts (api / mp / open — their paths do not collide) and the simulator API under /_mpstack.
 */
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import Fastify, { type FastifyError, type FastifyInstance, LogController } from "fastify";
import { createClock, type MutableClock } from "./clock.js";
import { applyConfig } from "./config/apply.js";
import { demoConfig } from "./config/demo.js";
import { DEFAULT_POLICIES, mergePolicies, type Policies } from "./config/policies.js";
import type { PlatformConfig } from "./config/types.js";
import type { ModuleContext, PlatformModule, PlatformRuntime } from "./context.js";
import { clearDbCaches } from "./db/cache.js";
import { migrate } from "./db/migrate.js";
import { type Dialect, openDatabase } from "./db/open.js";
import type { Db } from "./db/schema.js";
import { checkSnapshot, clearWorld, exportWorld, importWorld, type WorldSnapshot } from "./db/world.js";
import { PlatformEvents } from "./events.js";
import { type ApiRegistration, mountApi, sendWechatJson, toWechatError } from "./http/api.js";
import { errorBody, WechatApiError } from "./http/errors.js";
import { Journal } from "./http/journal.js";
import { QuotaCounter } from "./http/quota.js";
import { newRid } from "./http/rid.js";
import {
  type AnySimRoute,
  badRequest,
  createSimulatorRouter,
  mountSimulator,
  openApiDocument,
  SIMULATOR_PREFIX,
  SimulatorError,
  sendSimError,
} from "./http/simulator.js";
import { listAccounts } from "./modules/accounts/store.js";
import type { Account } from "./modules/accounts/types.js";
import { modules as defaultModules } from "./modules/index.js";
import { authenticate } from "./modules/tokens/store.js";

export interface PlatformOptions {
  /** Data folder (SQLite file, media). Default `.mpstack`. */
  dataDir?: string;
  /** `postgres://…` to use PostgreSQL instead of SQLite (`?schema=NAME` for a private schema). */
  databaseUrl?: string;
  /** A validated config (see config/validate.ts). Applied at every start (idempotent upserts). */
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
  /** Fastify logging (never logs requests or secrets). Default off. */
  logger?: boolean | { level?: string };
  /** Largest accepted request body (JSON) in bytes. Default 2 MiB. */
  bodyLimit?: number;
  /** The modules to load. Default: all of `src/modules/index.ts`. */
  modules?: PlatformModule[];
}

export interface Platform {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly dialect: Dialect;
  readonly clock: MutableClock;
  readonly events: PlatformEvents;
  readonly journal: Journal;
  readonly quota: QuotaCounter;
  /** The config the world is seeded from on start and reset (the demo when none was given). */
  readonly config: PlatformConfig | null;
  /** Where the data lives (for banners). */
  readonly storage: string;
  /** `http://host:port` once listening. */
  readonly url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
  /** Clear every table, move the clock back to real time, and seed again (unless `empty`). */
  reset(opts?: { empty?: boolean }): Promise<void>;
  exportWorld(): Promise<WorldSnapshot>;
  importWorld(snapshot: WorldSnapshot): Promise<void>;
  accounts(): Promise<Account[]>;
  policiesFor(account: Account | null): Policies;
}

const CLOCK_ROW = "clock";

function normalizeUrl(url: string): string {
  // `//cgi-bin/token` (some SDK configurations produce it) is served as `/cgi-bin/token`.
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes("//")) return url;
  return path.replace(/\/{2,}/g, "/") + (q === -1 ? "" : url.slice(q));
}

export async function createPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const dataDir = options.dataDir ?? ".mpstack";
  const opened = await openDatabase({
    dataDir,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
  });
  const { db, dialect } = opened;
  const moduleList = options.modules ?? defaultModules;
  try {
    await migrate(
      db,
      moduleList.flatMap((m) => m.migrations ?? []),
      dialect,
    );
  } catch (err) {
    await db.destroy();
    throw err;
  }

  const clock = options.clock ?? createClock();
  const saveClock = async () => {
    await db
      .insertInto("clock_state")
      .values({ id: CLOCK_ROW, offset_ms: clock.offsetMs() })
      .onConflict((oc) => oc.column("id").doUpdateSet({ offset_ms: clock.offsetMs() }))
      .execute();
  };
  if (!options.clock) {
    const row = await db
      .selectFrom("clock_state")
      .select("offset_ms")
      .where("id", "=", CLOCK_ROW)
      .executeTakeFirst();
    if (row) clock.setOffset(row.offset_ms);
  }

  const app = Fastify({
    logger:
      options.logger === undefined || options.logger === false
        ? false
        : {
            level: options.logger === true ? "info" : (options.logger.level ?? "info"),
            redact: ["req.headers.authorization", 'req.headers["x-mpstack-admin-key"]', "req.query"],
          },
    // No request logging: query strings carry access tokens and secrets.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 2 * 1024 * 1024,
    rewriteUrl: (req) => normalizeUrl(req.url ?? "/"),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    requestIdHeader: false,
    // Malformed URLs (bad percent-encoding) still get an answer in WeChat's shape.
    frameworkErrors: (_err, req, reply) => {
      const rid = newRid(clock.now());
      sendWechatJson(reply, errorBody(new WechatApiError(40066), rid), rid);
      void req;
    },
    return503OnClosing: true,
  });
  const events = new PlatformEvents((event, err) =>
    app.log.error({ event, err: err instanceof Error ? err.message : String(err) }, "event listener failed"),
  );
  const journal = new Journal(db, clock);
  const quota = new QuotaCounter(db, clock);
  const world = { db, clock, events };
  const basePolicies = mergePolicies(DEFAULT_POLICIES, options.config?.policies);
  const policiesFor = (account: Account | null) =>
    account ? mergePolicies(basePolicies, account.policies) : basePolicies;

  const seedConfig =
    options.config ?? (options.seedDemo === false ? null : demoConfig(options.demoBotUrl ?? ""));
  const seed = async () => {
    if (seedConfig) await applyConfig(world, seedConfig);
  };
  const afterReplace = (reason: "reset" | "import") => {
    clearDbCaches(db);
    quota.forget();
    journal.discardPending();
    events.emit("world.replaced", { reason });
  };

  if (options.importWorld) {
    await importWorld(db, checkSnapshot(options.importWorld));
    clearDbCaches(db);
  }
  if (options.config) await applyConfig(world, options.config);
  else if (seedConfig && (await db.selectFrom("accounts").select("appid").limit(1).execute()).length === 0)
    await seed();

  // Module setup: collect endpoints and simulator routes, then mount them.
  const registrations: ApiRegistration[] = [];
  const simRoutes: AnySimRoute[] = [];
  const closers: (() => void | Promise<void>)[] = [];
  const runtime: PlatformRuntime = { url: "", dataDir };
  const ctx: ModuleContext = {
    db,
    dialect,
    clock,
    config: seedConfig ?? { openPlatforms: [], accounts: [], users: [], follows: [], policies: {} },
    policiesFor,
    implement: (endpoint, handler, opts = {}) => registrations.push({ endpoint, handler, options: opts }),
    simulator: createSimulatorRouter(simRoutes),
    app,
    events,
    journal,
    quota,
    log: app.log,
    runtime,
    onClose: (fn) => closers.push(fn),
  };
  for (const m of moduleList) await m.setup?.(ctx);

  const platform: Platform = {
    app,
    db,
    dialect,
    clock,
    events,
    journal,
    quota,
    config: seedConfig,
    storage: opened.description,
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
      for (const fn of closers) await fn();
      await app.close();
      await journal.flush();
      await quota.flush();
      await db.destroy();
    },
    async reset(opts = {}) {
      await journal.flush();
      await quota.flush();
      await clearWorld(db);
      clock.setOffset(0);
      await saveClock();
      afterReplace("reset");
      if (!opts.empty) await seed();
    },
    exportWorld: async () => {
      await journal.flush();
      await quota.flush();
      return exportWorld(db, clock.now());
    },
    async importWorld(snapshot) {
      await journal.flush();
      await quota.flush();
      await importWorld(db, checkSnapshot(snapshot));
      afterReplace("import");
      const row = await db
        .selectFrom("clock_state")
        .select("offset_ms")
        .where("id", "=", CLOCK_ROW)
        .executeTakeFirst();
      clock.setOffset(row?.offset_ms ?? 0);
    },
    accounts: () => listAccounts(db),
    policiesFor,
  };

  addCoreRoutes(ctx, platform, options, saveClock);

  // WeChat API scope: raw bodies (the pipeline parses them into WeChat errors), multipart uploads.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    await scope.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 4, fields: 20 } });
    scope.setErrorHandler((err: FastifyError, _req, reply) => {
      const rid = newRid(clock.now());
      const wx =
        err.code === "FST_ERR_CTP_BODY_TOO_LARGE"
          ? new WechatApiError(47001)
          : toWechatError(err, app.log, _req.url);
      sendWechatJson(reply, errorBody(wx, rid), rid);
    });
    mountApi(scope, registrations, {
      clock,
      journal,
      quota,
      authenticate: (token) => authenticate(world, token, basePolicies),
      policiesFor,
      log: app.log,
    });
  });

  await app.register(
    async (scope) => {
      mountSimulator(scope, simRoutes, options.adminKey);
      scope.get("/openapi.json", async () => openApiDocument(simRoutes, registrations));
    },
    { prefix: SIMULATOR_PREFIX },
  );

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith(`${SIMULATOR_PREFIX}/`) || req.url === SIMULATOR_PREFIX) {
      return sendSimError(
        reply,
        new SimulatorError(404, "not_found", `${req.method} ${req.url.split("?")[0]} not found`),
      );
    }
    const rid = newRid(clock.now());
    sendWechatJson(reply, errorBody(new WechatApiError(40066), rid), rid);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (req.url.startsWith(SIMULATOR_PREFIX)) {
      return sendSimError(
        reply,
        new SimulatorError(
          err.statusCode && err.statusCode < 500 ? err.statusCode : 400,
          "invalid_request",
          err.message,
        ),
      );
    }
    const rid = newRid(clock.now());
    const wx =
      err.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? new WechatApiError(47001)
        : toWechatError(err, app.log, req.url);
    sendWechatJson(reply, errorBody(wx, rid), rid);
  });
  await app.ready();
  return platform;
}

/** Simulator routes of the core: health, clock, reset, world export/import, journal. */
function addCoreRoutes(
  ctx: ModuleContext,
  platform: Platform,
  options: PlatformOptions,
  saveClock: () => Promise<void>,
): void {
  const sim = ctx.simulator;
  const started = Date.now();
  const clockView = () => {
    const now = ctx.clock.now();
    return {
      now,
      nowSeconds: Math.floor(now / 1000),
      iso: new Date(now).toISOString(),
      offsetMs: ctx.clock.offsetMs(),
    };
  };
  sim.route({
    method: "GET",
    url: "/health",
    tag: "platform",
    summary: "Answers when the platform is ready.",
    handler: () => ({
      status: "ok",
      database: ctx.dialect,
      uptimeMs: Date.now() - started,
      url: ctx.runtime.url,
    }),
  });
  sim.route({
    method: "GET",
    url: "/clock",
    tag: "platform",
    summary: "The platform clock (ms and Unix seconds) and its offset from real time.",
    handler: clockView,
  });
  sim.route({
    method: "POST",
    url: "/clock",
    tag: "platform",
    summary:
      "Move the clock: { advanceSeconds: N } (negative moves back) or { offsetMs } or { resetToRealTime: true }.",
    body: Type.Object({
      advanceSeconds: Type.Optional(Type.Number()),
      offsetMs: Type.Optional(Type.Integer()),
      resetToRealTime: Type.Optional(Type.Boolean()),
    }),
    handler: async ({ body }) => {
      if (body.resetToRealTime) ctx.clock.setOffset(0);
      if (body.offsetMs !== undefined) ctx.clock.setOffset(body.offsetMs);
      if (body.advanceSeconds !== undefined) ctx.clock.advance(Math.round(body.advanceSeconds * 1000));
      await saveClock();
      return clockView();
    },
  });
  sim.route({
    method: "POST",
    url: "/reset",
    tag: "platform",
    summary:
      "Reset the world: clear everything and seed again from the config (or the demo). { empty: true } leaves it empty.",
    body: Type.Optional(Type.Object({ empty: Type.Optional(Type.Boolean()) })),
    handler: async ({ body }) => {
      await platform.reset({ empty: body?.empty === true });
      return { ok: true, accounts: (await platform.accounts()).length };
    },
  });
  sim.route({
    method: "GET",
    url: "/world",
    tag: "platform",
    summary: "Export the whole world (every table) as one JSON document.",
    handler: () => platform.exportWorld(),
  });
  sim.route({
    method: "PUT",
    url: "/world",
    tag: "platform",
    summary: "Replace the whole world with an export.",
    body: Type.Object({
      format: Type.String(),
      version: Type.Number(),
      tables: Type.Record(Type.String(), Type.Array(Type.Unknown())),
    }),
    handler: async ({ body }) => {
      try {
        await platform.importWorld(checkSnapshot(body));
      } catch (err) {
        throw badRequest(`world: ${(err as Error).message}`);
      }
      return { ok: true, accounts: (await platform.accounts()).length };
    },
  });
  sim.route({
    method: "GET",
    url: "/journal",
    tag: "platform",
    summary: "Recent WeChat API calls (newest first), as /cgi-bin/openapi/rid/get sees them.",
    query: Type.Object({
      appid: Type.Optional(Type.String()),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      before: Type.Optional(Type.Integer()),
    }),
    handler: async ({ query }) => ({ calls: await ctx.journal.list(query) }),
  });
  void options;
}
