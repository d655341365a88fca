/**
 * Parametric QR codes: validation of qrcode/create (qrcode-shorturl.md §1.1, emulator codes), the
 * codes themselves (tickets, URLs, expiry by the platform clock, the permanent-code cap) and the
 * per-account settings.
 */
import { randomBytes, randomInt } from "node:crypto";
import { ErrorCode } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import type { QrcodeTable } from "./tables.js";

export type QrActionName = "QR_SCENE" | "QR_STR_SCENE" | "QR_LIMIT_SCENE" | "QR_LIMIT_STR_SCENE";

/** The URL host/path a code's image encodes (documented form `http://weixin.qq.com/q/<token>`). */
export const QR_URL_PREFIX = "http://weixin.qq.com/q/";

export const MAX_EXPIRE_SECONDS = 2_592_000;
const MAX_TEMPORARY_SCENE_ID = 4_294_967_295;
const MAX_PERMANENT_SCENE_ID = 100_000;
const MAX_SCENE_STR = 64;
/** Expired temporary codes are kept this long (so a scan can tell "expired" from "unknown"), then dropped. */
const KEEP_EXPIRED_MS = 7 * 86_400_000;

export interface QrcodeSettings {
  defaultExpireSeconds: number;
  strictExpire: boolean;
  permanentLimit: number;
}

export const DEFAULT_QRCODE_SETTINGS: QrcodeSettings = {
  defaultExpireSeconds: 60,
  strictExpire: false,
  permanentLimit: 100_000,
};

export interface Qrcode {
  ticket: string;
  appid: string;
  actionName: QrActionName;
  permanent: boolean;
  /** The scene as the events carry it: the decimal scene_id or the scene_str. */
  scene: string;
  sceneId: number;
  sceneStr: string;
  url: string;
  createdAt: number;
  /** ms; null for permanent codes. */
  expireAt: number | null;
}

export interface QrcodeRequest {
  actionName: QrActionName;
  sceneId: number;
  sceneStr: string;
  /** Temporary codes only. */
  expireSeconds: number | null;
}

function fromRow(r: QrcodeTable): Qrcode {
  const sceneId = Number(r.scene_id);
  return {
    ticket: r.ticket,
    appid: r.appid,
    actionName: r.action_name as QrActionName,
    permanent: r.permanent === 1,
    scene: r.scene_str !== "" ? r.scene_str : String(sceneId),
    sceneId,
    sceneStr: r.scene_str,
    url: QR_URL_PREFIX + r.url_token,
    createdAt: Number(r.created_at),
    expireAt: r.expire_at === null ? null : Number(r.expire_at),
  };
}

export function isExpired(code: Qrcode, now: number): boolean {
  return code.expireAt !== null && now >= code.expireAt;
}

const invalid = (): never => {
  throw new WechatApiError(ErrorCode.InvalidArgs);
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** An integer, also from a numeric string (PHP and form-built bodies send those). */
function integer(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v === "string" && /^-?\d{1,16}$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** qrcode/create's body → a valid request, or 40097 `invalid args` (qrcode-shorturl.md §1.1). */
export function parseQrcodeRequest(body: Record<string, unknown>, settings: QrcodeSettings): QrcodeRequest {
  const action = body.action_name;
  if (
    action !== "QR_SCENE" &&
    action !== "QR_STR_SCENE" &&
    action !== "QR_LIMIT_SCENE" &&
    action !== "QR_LIMIT_STR_SCENE"
  )
    return invalid();
  const info = body.action_info;
  const scene = isRecord(info) && isRecord(info.scene) ? info.scene : invalid();
  const permanent = action.startsWith("QR_LIMIT_");
  const stringScene = action.endsWith("STR_SCENE");
  let sceneId = 0;
  let sceneStr = "";
  if (stringScene) {
    const s = scene.scene_str;
    if (typeof s !== "string" || s.length === 0 || [...s].length > MAX_SCENE_STR) invalid();
    sceneStr = s as string;
  } else {
    const id = integer(scene.scene_id);
    const max = permanent ? MAX_PERMANENT_SCENE_ID : MAX_TEMPORARY_SCENE_ID;
    if (id === undefined || id < 1 || id > max) invalid();
    sceneId = id as number;
  }
  let expireSeconds: number | null = null;
  if (!permanent) {
    const raw = body.expire_seconds;
    if (raw === undefined || raw === null) expireSeconds = settings.defaultExpireSeconds;
    else {
      const n = integer(raw);
      if (n === undefined || n < 1) invalid();
      else if (n > MAX_EXPIRE_SECONDS) expireSeconds = settings.strictExpire ? invalid() : MAX_EXPIRE_SECONDS;
      else expireSeconds = n;
    }
  }
  return { actionName: action, sceneId, sceneStr, expireSeconds };
}

const URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function urlToken(): string {
  let s = "02";
  for (let i = 0; i < 20; i++) s += URL_ALPHABET[randomInt(URL_ALPHABET.length)];
  return s;
}

/**
 * An opaque base64 ticket shaped like WeChat's (`gQ…`), always holding `+` or `/` and ending in `=`
 * so that SDKs that forget to URL-encode it are caught (qrcode-shorturl.md §1.2, emulator choice).
 */
export function newTicket(): string {
  for (;;) {
    const t = `gQ${randomBytes(52).toString("base64")}`;
    if (/[+/]/.test(t)) return t;
  }
}

export async function getQrcodeSettings(db: Db, appid: string): Promise<QrcodeSettings> {
  const r = await db.selectFrom("qrcode_settings").selectAll().where("appid", "=", appid).executeTakeFirst();
  if (!r) return DEFAULT_QRCODE_SETTINGS;
  return {
    defaultExpireSeconds: r.default_expire_seconds,
    strictExpire: r.strict_expire === 1,
    permanentLimit: r.permanent_limit,
  };
}

export async function setQrcodeSettings(
  db: Db,
  appid: string,
  change: Partial<QrcodeSettings>,
): Promise<QrcodeSettings> {
  const next = { ...(await getQrcodeSettings(db, appid)), ...change };
  const row = {
    default_expire_seconds: next.defaultExpireSeconds,
    strict_expire: next.strictExpire ? 1 : 0,
    permanent_limit: next.permanentLimit,
  };
  await db
    .insertInto("qrcode_settings")
    .values({ appid, ...row })
    .onConflict((oc) => oc.column("appid").doUpdateSet(row))
    .execute();
  return next;
}

/**
 * Create a code. A permanent code whose scene already exists answers the existing ticket
 * (idempotent, emulator choice); the 100 001st distinct permanent code → 45029.
 */
export async function createQrcode(
  w: World,
  appid: string,
  req: QrcodeRequest,
  settings: QrcodeSettings,
): Promise<Qrcode> {
  const now = w.clock.now();
  const permanent = req.expireSeconds === null;
  return w.db.transaction().execute(async (trx) => {
    if (permanent) {
      const same = await trx
        .selectFrom("qrcodes")
        .selectAll()
        .where("appid", "=", appid)
        .where("permanent", "=", 1)
        .where("action_name", "=", req.actionName)
        .where("scene_id", "=", req.sceneId)
        .where("scene_str", "=", req.sceneStr)
        .executeTakeFirst();
      if (same) return fromRow(same);
      const count = await trx
        .selectFrom("qrcodes")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("appid", "=", appid)
        .where("permanent", "=", 1)
        .executeTakeFirst();
      if (Number(count?.n ?? 0) >= settings.permanentLimit)
        throw new WechatApiError(ErrorCode.QrcodeCountOutOfLimit);
    } else {
      await trx
        .deleteFrom("qrcodes")
        .where("expire_at", "is not", null)
        .where("expire_at", "<", now - KEEP_EXPIRED_MS)
        .execute();
    }
    const row: QrcodeTable = {
      ticket: newTicket(),
      appid,
      action_name: req.actionName,
      scene_id: req.sceneId,
      scene_str: req.sceneStr,
      url_token: urlToken(),
      permanent: permanent ? 1 : 0,
      created_at: now,
      expire_at: permanent ? null : now + (req.expireSeconds ?? 0) * 1000,
    };
    await trx.insertInto("qrcodes").values(row).execute();
    return fromRow(row);
  });
}

/**
 * The code of a ticket. A `+` that arrived as a space (an SDK that did not URL-encode the ticket)
 * is mapped back (qrcode-shorturl.md §2, emulator choice).
 */
export async function findByTicket(db: Db, ticket: string): Promise<Qrcode | undefined> {
  const r = await db
    .selectFrom("qrcodes")
    .selectAll()
    .where("ticket", "=", ticket.trim().replaceAll(" ", "+"))
    .executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** The code a `http://weixin.qq.com/q/<token>` URL (http or https) stands for. */
export async function findByUrl(db: Db, url: string): Promise<Qrcode | undefined> {
  const m = /^https?:\/\/weixin\.qq\.com\/q\/([A-Za-z0-9_-]{1,64})\/?$/.exec(url.trim());
  if (!m?.[1]) return undefined;
  const r = await db.selectFrom("qrcodes").selectAll().where("url_token", "=", m[1]).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

export async function listQrcodes(db: Db, appid: string, opts: { limit?: number } = {}): Promise<Qrcode[]> {
  const rows = await db
    .selectFrom("qrcodes")
    .selectAll()
    .where("appid", "=", appid)
    .orderBy("created_at", "desc")
    .limit(Math.min(opts.limit ?? 100, 1000))
    .execute();
  return rows.map(fromRow);
}
