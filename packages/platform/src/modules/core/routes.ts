/** Simulator routes of the core: health, the module graph, clock, reset, world export/import, journal, errcodes. */
import { ERROR_CODES } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import { ClockRangeError } from "../../clock.js";
import { badRequest, notFound } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import type { ClockStore } from "./clock-store.js";
import type { Journal } from "./journal.js";

export function addCoreRoutes(ctx: ModuleContext, journal: Journal, clockStore: ClockStore): void {
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
    url: "/modules",
    tag: "platform",
    summary: "The loaded modules in setup order, with the modules each requires and is required by.",
    handler: () => ({ modules: ctx.world.modules() }),
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
      "Move the clock: { advanceSeconds: N } (negative moves back) or { offsetMs } or { resetToRealTime: true }; platform time stays within 2000–2099 (400 otherwise).",
    body: Type.Object({
      advanceSeconds: Type.Optional(Type.Number()),
      offsetMs: Type.Optional(Type.Integer()),
      resetToRealTime: Type.Optional(Type.Boolean()),
    }),
    handler: async ({ body }) => {
      const before = ctx.clock.offsetMs();
      let offset = body.resetToRealTime ? 0 : ctx.clock.offsetMs();
      if (body.offsetMs !== undefined) offset = body.offsetMs;
      if (body.advanceSeconds !== undefined) offset += Math.round(body.advanceSeconds * 1000);
      try {
        ctx.clock.setOffset(offset);
      } catch (err) {
        if (err instanceof ClockRangeError) throw badRequest(`clock: ${err.message}`);
        throw err;
      }
      await clockStore.save();
      const view = clockView();
      ctx.events.emit("clock.moved", {
        now: view.now,
        offsetMs: view.offsetMs,
        movedMs: view.offsetMs - before,
      });
      return view;
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
      await ctx.world.reset({ empty: body?.empty === true });
      return { ok: true, accounts: await ctx.world.accountCount() };
    },
  });
  sim.route({
    method: "GET",
    url: "/world",
    tag: "platform",
    summary: "Export the whole world (every table) as one JSON document.",
    handler: () => ctx.world.export(),
  });
  sim.route({
    method: "PUT",
    url: "/world",
    tag: "platform",
    summary: "Replace the whole world with an export.",
    body: Type.Object({
      format: Type.String(),
      version: Type.Number(),
      exportedAt: Type.Optional(Type.Number()),
      migrations: Type.Optional(Type.Array(Type.String())),
      tables: Type.Record(Type.String(), Type.Array(Type.Unknown())),
      /** State kept beside the tables (media bytes, …), by the part's name. */
      parts: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
    handler: async ({ body }) => {
      try {
        await ctx.world.import(body);
      } catch (err) {
        throw badRequest(`world: ${(err as Error).message}`);
      }
      return { ok: true, accounts: await ctx.world.accountCount() };
    },
  });
  sim.route({
    method: "GET",
    url: "/journal",
    tag: "platform",
    summary: "Recent WeChat API calls (newest first), as /cgi-bin/openapi/rid/get sees them.",
    query: Type.Object({
      appid: Type.Optional(Type.String()),
      path: Type.Optional(Type.String({ description: "exact API path, e.g. /cgi-bin/user/info" })),
      errcode: Type.Optional(Type.Integer()),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      before: Type.Optional(Type.Integer()),
    }),
    handler: async ({ query }) => ({ calls: await journal.list(query) }),
  });
  sim.route({
    method: "GET",
    url: "/journal/:rid",
    tag: "platform",
    summary: "One WeChat API call by its rid (redacted request, response, errcode, latency).",
    params: Type.Object({ rid: Type.String() }),
    handler: async ({ params }) => {
      const entry = await journal.get(params.rid);
      if (!entry) throw notFound(`call ${params.rid}`);
      return entry;
    },
  });
  sim.route({
    method: "GET",
    url: "/errcodes",
    tag: "platform",
    summary:
      "WeChat's return codes as the platform answers them: errmsg, meaning, and whether the text is WeChat's own (from the spec).",
    handler: () => ({
      errcodes: Object.entries(ERROR_CODES)
        .map(([code, e]) => ({ code: Number(code), errmsg: e.errmsg, meaning: e.meaning, quoted: e.quoted }))
        .sort((a, b) => a.code - b.code),
    }),
  });
}
