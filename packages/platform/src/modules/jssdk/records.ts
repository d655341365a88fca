/**
 * What pages did, for the console and tests: every bridge call with the `errMsg` the page saw
 * (kept 7 days), the share content each page set, and each simulated user's phone settings
 * (network type, how the location prompt answers).
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../../db/schema.js";
import type { World } from "../../world.js";

const KEEP_CALLS_MS = 7 * 86_400_000;
const MAX_ARGS_CHARS = 2048;
export const NETWORK_TYPES = ["wifi", "5g", "4g", "3g", "2g", "none"] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];
export const LOCATION_PROMPTS = ["ask", "allow", "deny"] as const;
export type LocationPrompt = (typeof LOCATION_PROMPTS)[number];

export interface CallRecord {
  appid: string;
  userId: string;
  url: string;
  api: string;
  args: Record<string, unknown>;
  errMsg: string;
}

declare module "../../events.js" {
  interface PlatformEventMap {
    /** A page called a JS-SDK API through the bridge (the console's live view). */
    "jssdk.call": CallRecord & { time: number };
    /** A page set what sharing it shares (updateAppMessageShareData, onMenuShare*, …). */
    "jssdk.share": {
      appid: string;
      userId: string;
      url: string;
      target: string;
      title: string;
      link: string;
    };
  }
}

function boundedArgs(args: Record<string, unknown>): string {
  let text: string;
  try {
    text = JSON.stringify(args, (k, v) => (k.startsWith("verify") ? undefined : v)) ?? "{}";
  } catch {
    // Nested too deep to write out (a page's arguments are untrusted): keep that it happened.
    return JSON.stringify({ truncated: "(arguments nested too deeply)" });
  }
  return text.length <= MAX_ARGS_CHARS ? text : JSON.stringify({ truncated: text.slice(0, MAX_ARGS_CHARS) });
}

let lastPrune = 0;

export async function recordCall(w: World, c: CallRecord): Promise<void> {
  const time = w.clock.now();
  await w.db
    .insertInto("jssdk_calls")
    .values({
      id: `${time.toString(36)}-${randomBytes(6).toString("hex")}`,
      appid: c.appid,
      user_id: c.userId,
      url: c.url,
      api: c.api,
      args: boundedArgs(c.args),
      result: c.errMsg,
      time,
    })
    .execute();
  if (time - lastPrune > 60_000) {
    lastPrune = time;
    await w.db
      .deleteFrom("jssdk_calls")
      .where("time", "<", time - KEEP_CALLS_MS)
      .execute();
  }
  w.events.emit("jssdk.call", { ...c, time });
}

export async function listCalls(db: Db, q: { appid: string; userId?: string; limit?: number }) {
  let sel = db.selectFrom("jssdk_calls").selectAll().where("appid", "=", q.appid);
  if (q.userId) sel = sel.where("user_id", "=", q.userId);
  const rows = await sel
    .orderBy("time", "desc")
    .orderBy("id", "desc")
    .limit(q.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    user: r.user_id,
    url: r.url,
    api: r.api,
    args: JSON.parse(r.args) as unknown,
    errMsg: r.result,
    time: Number(r.time),
  }));
}

export interface ShareContent {
  title: string;
  desc: string;
  link: string;
  imgUrl: string;
}

export async function saveShare(
  w: World,
  key: { appid: string; userId: string; url: string },
  targets: string[],
  content: ShareContent,
  api: string,
): Promise<void> {
  const updated_at = w.clock.now();
  for (const target of targets) {
    const values = {
      title: content.title,
      description: content.desc,
      link: content.link,
      img_url: content.imgUrl,
      api,
      updated_at,
    };
    await w.db
      .insertInto("jssdk_shares")
      .values({ appid: key.appid, user_id: key.userId, url: key.url, target, ...values })
      .onConflict((oc) => oc.columns(["appid", "user_id", "url", "target"]).doUpdateSet(values))
      .execute();
    w.events.emit("jssdk.share", { ...key, target, title: content.title, link: content.link });
  }
}

export async function listShares(db: Db, q: { appid: string; userId?: string; url?: string }) {
  let sel = db.selectFrom("jssdk_shares").selectAll().where("appid", "=", q.appid);
  if (q.userId) sel = sel.where("user_id", "=", q.userId);
  if (q.url) sel = sel.where("url", "=", q.url);
  const rows = await sel.orderBy("updated_at", "desc").limit(500).execute();
  return rows.map((r) => ({
    user: r.user_id,
    url: r.url,
    target: r.target,
    title: r.title,
    desc: r.description,
    link: r.link,
    imgUrl: r.img_url,
    api: r.api,
    updatedAt: Number(r.updated_at),
  }));
}

export interface UserPhoneSettings {
  networkType: NetworkType;
  locationPrompt: LocationPrompt;
}

export async function phoneSettings(db: Db, userId: string): Promise<UserPhoneSettings> {
  const r = await db
    .selectFrom("jssdk_user_settings")
    .selectAll()
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return {
    networkType: (r?.network_type as NetworkType | undefined) ?? "wifi",
    locationPrompt: (r?.location_prompt as LocationPrompt | undefined) ?? "ask",
  };
}

export async function setPhoneSettings(
  db: Db,
  userId: string,
  change: Partial<UserPhoneSettings>,
): Promise<UserPhoneSettings> {
  const next = { ...(await phoneSettings(db, userId)), ...change };
  const values = { network_type: next.networkType, location_prompt: next.locationPrompt };
  await db
    .insertInto("jssdk_user_settings")
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
    .execute();
  return next;
}
