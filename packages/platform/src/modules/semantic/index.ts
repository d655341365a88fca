/**
 * Semantic understanding (智能接口, spec/semantic.md): `semantic/semproxy/search` with the checks of
 * §4–§5 in order, the deterministic matcher, per-user context for five minutes, fixtures a test may
 * register per account, and the `retired` switch that answers like the dead service (7000009).
 */

import { catalog, ErrorCode } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import type { Migration } from "../../db/migrate.js";
import { parseJsonColumn } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import { defineModule } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { CATEGORIES, followUp, type Matched, match, NEEDS_PLACE } from "./matcher.js";

export interface SemanticSettingsTable {
  appid: string;
  retired: number;
  /** JSON: { [query]: response object } */
  fixtures: string;
}

declare module "../../db/schema.js" {
  interface Database {
    semantic_settings: SemanticSettingsTable;
  }
}

const migrations: Migration[] = [
  {
    id: "semantic.001_settings",
    async up(db) {
      await db.schema
        .createTable("semantic_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("retired", "integer", (c) => c.notNull())
        .addColumn("fixtures", "text", (c) => c.notNull())
        .execute();
    },
  },
];

const MAX_QUERY = 300;
const CONTEXT_MS = 5 * 60_000;
const fail = (code: number): never => {
  throw new WechatApiError(code);
};

interface SearchInput {
  query: string;
  categories: string[];
  appid: string;
  uid: string;
  city?: string;
}

function parseSearch(f: Record<string, unknown>, ownAppid: string): SearchInput {
  for (const k of ["query", "category", "appid", "uid", "city", "region"]) {
    if (f[k] !== undefined && typeof f[k] !== "string") fail(ErrorCode.SemanticInvalidJsonField);
  }
  for (const k of ["latitude", "longitude"]) {
    if (f[k] !== undefined && typeof f[k] !== "number") fail(ErrorCode.SemanticInvalidJsonField);
  }
  const query = f.query as string | undefined;
  if (query === undefined || f.category === undefined || f.appid === undefined)
    fail(ErrorCode.SemanticMissingParameter);
  if ((query as string).trim() === "") fail(ErrorCode.SemanticQueryTooShort);
  if ([...(query as string)].length > MAX_QUERY) fail(ErrorCode.SemanticQueryTooLong);
  if (f.appid !== ownAppid) fail(ErrorCode.SemanticInvalidAppid);
  const categories = String(f.category)
    .split(",")
    .map((c) => c.trim())
    .filter((c) => (CATEGORIES as readonly string[]).includes(c));
  if (categories.length === 0) fail(ErrorCode.SemanticMissingParameter);
  const lat = f.latitude as number | undefined;
  const lng = f.longitude as number | undefined;
  if ((lat === undefined) !== (lng === undefined)) fail(ErrorCode.SemanticMissingParameter);
  if (lat !== undefined && lng !== undefined && (Math.abs(lat) > 90 || Math.abs(lng) > 180)) {
    fail(ErrorCode.SemanticLocationLookupFailed);
  }
  // Coordinates resolve to no city here: they only satisfy "has a place" (emulator choice).
  const city = (f.city as string | undefined) || (lat !== undefined ? "北京" : undefined);
  return {
    query: query as string,
    categories,
    appid: ownAppid,
    uid: (f.uid as string | undefined) ?? "",
    ...(city ? { city } : {}),
  };
}

export const semanticModule = defineModule({
  name: "semantic",
  requires: ["accounts"],
  migrations,
  setup(ctx) {
    const contexts = new Map<string, { at: number; result: Matched }>();
    ctx.events.on("world.replaced", () => contexts.clear());
    const settingsOf = async (appid: string) => {
      const r = await ctx.db
        .selectFrom("semantic_settings")
        .selectAll()
        .where("appid", "=", appid)
        .executeTakeFirst();
      return {
        retired: r?.retired === 1,
        fixtures: parseJsonColumn<Record<string, unknown>>(r?.fixtures, {}),
      };
    };

    ctx.implement(
      catalog.semantic.search,
      (fields, { account }) => parseSearch(fields, account.appid),
      async (call) => {
        const input = call.input;
        const settings = await settingsOf(input.appid);
        if (settings.retired) throw new WechatApiError(ErrorCode.SemanticServiceFailed);
        const fixture = settings.fixtures[input.query];
        if (fixture !== undefined) return fixture as ReturnType<typeof answer>;
        const key = `${input.appid}\n${input.uid}`;
        const previous = input.uid ? contexts.get(key) : undefined;
        let result: Matched | "needs_place" | undefined =
          previous && call.now - previous.at < CONTEXT_MS
            ? followUp(input.query, previous.result, call.now)
            : undefined;
        result ??= match(input.categories, {
          query: input.query,
          now: call.now,
          ...(input.city ? { city: input.city } : {}),
        });
        if (result === "needs_place") {
          if (input.categories.some((c) => NEEDS_PLACE.has(c)))
            throw new WechatApiError(ErrorCode.SemanticLocationMissing);
          result = undefined;
        }
        if (!result) throw new WechatApiError(ErrorCode.SemanticNoResult);
        if (input.uid) contexts.set(key, { at: call.now, result });
        return answer(input.query, result);
      },
    );

    ctx.simulator.route({
      method: "PUT",
      url: "/accounts/:appid/semantic",
      tag: "semantic",
      summary:
        "Semantic settings: retired (answer 7000009 like the dead service) and fixtures { query: answer }.",
      params: Type.Object({ appid: Type.String() }),
      body: Type.Object({
        retired: Type.Optional(Type.Boolean()),
        fixtures: Type.Optional(Type.Record(Type.String({ maxLength: MAX_QUERY }), Type.Unknown())),
      }),
      handler: async ({ params, body }) => {
        await requireAccount(ctx.db, params.appid);
        const now = await settingsOf(params.appid);
        const row = {
          appid: params.appid,
          retired: (body.retired ?? now.retired) ? 1 : 0,
          fixtures: JSON.stringify(body.fixtures ?? now.fixtures),
        };
        await ctx.db
          .insertInto("semantic_settings")
          .values(row)
          .onConflict((oc) =>
            oc.column("appid").doUpdateSet({ retired: row.retired, fixtures: row.fixtures }),
          )
          .execute();
        return settingsOf(params.appid);
      },
    });
  },
});

function answer(query: string, r: Matched) {
  return { errcode: 0, query, type: r.type, semantic: { details: r.details, intent: r.intent } };
}
