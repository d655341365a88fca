/**
 * `wx.config`, as the bridge receives it (`preVerifyJSAPI`, spec/jssdk.md §3, §4.4): the fields
 * jweixin adds to every call (`verifyAppId`, `verifyTimestamp`, `verifyNonceStr`,
 * `verifySignature`, `verifyJsApiList`), checked in order: all present (`config:fail`), a known
 * appId (`config:invalid signature`), the page's host among the account's JS safe domains
 * (`config:invalid url domain`), then the SHA-1 page signature against every unexpired jsapi ticket
 * of the account (`config:invalid signature`). A pass opens a page session for later calls.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { jssdkSignature, jssdkSignedUrl } from "@mpstack/protocol";
import { dbCache } from "../../db/cache.js";
import type { Db } from "../../db/schema.js";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import type { User } from "../simulated-users/index.js";
import type { PageSession } from "./apis.js";
import { liveTickets } from "./tickets.js";

const MAX_LIST = 200;
const KEEP_PAGES_MS = 7 * 86_400_000;
/** Page sessions never change once made: the bridge's later calls read them from memory. */
const MAX_CACHED_PAGES = 10_000;
const pageCache = (db: Db) => dbCache<PageSession>(db, "jssdk-pages");

export type VerifyOutcome = { ok: true; page: PageSession } | { ok: false; errMsg: string };

const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const names = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").slice(0, MAX_LIST) : null;

/**
 * Is the page's host a JS safe domain of the account? A bound domain covers its sub-domains
 * (documented FAQ). A domain written with a port matches that port only; without one it matches
 * any port (emulator choice: local servers move between ports).
 */
export function inJssdkDomains(page: URL, domains: readonly string[]): boolean {
  const host = page.hostname.toLowerCase();
  const port = page.port || (page.protocol === "https:" ? "443" : "80");
  return domains.some((d) => {
    const m = /^(\[[^\]]+\]|[^:/]+)(?::(\d+))?$/.exec(d.trim().toLowerCase());
    if (!m?.[1]) return false;
    const sameHost = host === m[1] || host.endsWith(`.${m[1]}`);
    return sameHost && (m[2] === undefined || m[2] === port);
  });
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function verifyConfig(
  ctx: ModuleContext,
  user: User,
  args: Record<string, unknown>,
  pageUrl: string,
  origin: string | undefined,
): Promise<VerifyOutcome> {
  const appId = text(args.verifyAppId) || text(args.appId);
  const timestamp = text(args.verifyTimestamp);
  const nonceStr = text(args.verifyNonceStr);
  const signature = text(args.verifySignature);
  const jsApiList = names(args.verifyJsApiList);
  if (!appId || !timestamp || timestamp === "undefined" || !nonceStr || !signature || !jsApiList)
    return { ok: false, errMsg: "config:fail" };
  const account = await getAccount(ctx.db, appId);
  if (!account) return { ok: false, errMsg: "config:invalid signature" };
  let page: URL;
  try {
    page = new URL(pageUrl);
  } catch {
    return { ok: false, errMsg: "config:invalid url domain" };
  }
  // The browser's Origin is what the client really shows; a bridge reporting another page is not believed.
  const shown = origin && origin !== "null" ? origin : page.origin;
  if (shown !== page.origin || !inJssdkDomains(page, account.jssdkDomains))
    return { ok: false, errMsg: "config:invalid url domain" };
  const url = jssdkSignedUrl(pageUrl);
  const tickets = await liveTickets(ctx.db, account.appid, "jsapi", ctx.clock.now());
  const good = tickets.some((t) =>
    sameHex(jssdkSignature({ jsapiTicket: t, nonceStr, timestamp, url }), signature),
  );
  if (!good) return { ok: false, errMsg: "config:invalid signature" };
  const now = ctx.clock.now();
  const session: PageSession = {
    session: randomBytes(18).toString("base64url"),
    appid: account.appid,
    userId: user.id,
    url,
    jsApiList,
    openTagList: names(args.verifyOpenTagList) ?? [],
  };
  await ctx.db
    .insertInto("jssdk_pages")
    .values({
      session: session.session,
      appid: session.appid,
      user_id: session.userId,
      url,
      api_list: JSON.stringify(jsApiList),
      open_tags: JSON.stringify(session.openTagList),
      created_at: now,
    })
    .execute();
  await ctx.db
    .deleteFrom("jssdk_pages")
    .where("created_at", "<", now - KEEP_PAGES_MS)
    .execute();
  return { ok: true, page: session };
}

/** The page session a bridge call names, when it is this user's. */
export async function pageOf(
  ctx: ModuleContext,
  session: unknown,
  userId: string,
): Promise<PageSession | null> {
  if (typeof session !== "string" || session.length > 64) return null;
  const cache = pageCache(ctx.db);
  let page = cache.get(session);
  if (!page) {
    const r = await ctx.db
      .selectFrom("jssdk_pages")
      .selectAll()
      .where("session", "=", session)
      .executeTakeFirst();
    if (!r) return null;
    page = {
      session: r.session,
      appid: r.appid,
      userId: r.user_id,
      url: r.url,
      jsApiList: JSON.parse(r.api_list) as string[],
      openTagList: JSON.parse(r.open_tags) as string[],
    };
    if (cache.size >= MAX_CACHED_PAGES) cache.clear();
    cache.set(session, page);
  }
  return page.userId === userId ? page : null;
}
