/**
 * Customer-service accounts (spec/customer-service.md §5): add/update/delete with the account-name
 * and nickname rules and the 100-account limit, invitations of workers (simulated users, whose id
 * is their WeChat ID here) with their expiry, online state and avatars.
 */
import { ErrorCode } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import type { KfPolicy } from "./policy.js";
import type { KfAccountTable } from "./tables.js";

const fail = (code: number): never => {
  throw new WechatApiError(code);
};

/** `prefix@suffix`: prefix 1–10 letters, digits or `_`; suffix the account's WeChat ID (§5). */
export function isKfAccountName(name: string, policy: KfPolicy): boolean {
  const m = /^([A-Za-z0-9_]{1,10})@([A-Za-z0-9_-]{1,30})$/.exec(name);
  if (!m) return false;
  return policy.wechatId === null || m[2] === policy.wechatId;
}

/** A nickname: 1–16 characters, not only spaces (65403). */
export const isNickname = (n: string) => n.trim() !== "" && [...n].length <= 16 && !/[\r\n]/.test(n);

export async function kfOf(db: Db, appid: string, kfAccount: string): Promise<KfAccountTable | undefined> {
  return db
    .selectFrom("kf_accounts")
    .selectAll()
    .where("appid", "=", appid)
    .where("kf_account", "=", kfAccount)
    .executeTakeFirst();
}

/** The kf account or 65401. */
export async function requireKf(db: Db, appid: string, kfAccount: unknown): Promise<KfAccountTable> {
  if (typeof kfAccount !== "string" || kfAccount === "") return fail(ErrorCode.InvalidCustomServiceAccount);
  return (await kfOf(db, appid, kfAccount)) ?? fail(ErrorCode.InvalidCustomServiceAccount);
}

export async function kfList(db: Db, appid: string): Promise<KfAccountTable[]> {
  const rows = await db.selectFrom("kf_accounts").selectAll().where("appid", "=", appid).execute();
  return rows.sort((a, b) => Number(a.kf_id) - Number(b.kf_id));
}

export async function addKf(
  w: World,
  appid: string,
  kfAccount: string,
  nickname: string,
  policy: KfPolicy,
): Promise<KfAccountTable> {
  return w.db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom("kf_accounts")
      .select(["kf_account", "kf_id"])
      .where("appid", "=", appid)
      .execute();
    if (rows.some((r) => r.kf_account === kfAccount)) fail(ErrorCode.CustomServiceAccountExists);
    if (rows.length >= policy.maxAccounts) fail(ErrorCode.CustomServiceAccountLimit);
    const kfId = String(Math.max(1000, ...rows.map((r) => Number(r.kf_id) || 0)) + 1);
    const row: KfAccountTable = {
      appid,
      kf_account: kfAccount,
      kf_id: kfId,
      nickname,
      headimg_version: 0,
      worker: null,
      invite_wx: null,
      invite_expire_at: null,
      invite_status: null,
      online: 0,
      auto_accept: 0,
      created_at: w.clock.now(),
    };
    await tx.insertInto("kf_accounts").values(row).execute();
    return row;
  });
}

export async function updateKf(db: Db, appid: string, kfAccount: string, set: Partial<KfAccountTable>) {
  await db
    .updateTable("kf_accounts")
    .set(set)
    .where("appid", "=", appid)
    .where("kf_account", "=", kfAccount)
    .execute();
}

export async function deleteKf(db: Db, appid: string, kfAccount: string): Promise<void> {
  await db.deleteFrom("kf_accounts").where("appid", "=", appid).where("kf_account", "=", kfAccount).execute();
  await db.deleteFrom("kf_headimgs").where("appid", "=", appid).where("kf_account", "=", kfAccount).execute();
}

/** `waiting` turns `expired` once its time has passed. */
export function inviteStatus(kf: KfAccountTable, now: number): string | null {
  if (kf.invite_status === "waiting" && kf.invite_expire_at !== null && kf.invite_expire_at <= now)
    return "expired";
  return kf.invite_status;
}

/**
 * Invite a worker (§5.7), in WeChat's order of checks: unknown WeChat ID 65409, kf account already
 * bound 65412, pending invitation on it 65411, already a worker of this account 65407, invited on
 * another kf account 65408, bound to too many kf accounts 65410.
 */
export async function inviteWorker(
  w: World,
  kf: KfAccountTable,
  wx: string,
  userExists: boolean,
  policy: KfPolicy,
): Promise<void> {
  const now = w.clock.now();
  if (!userExists) fail(ErrorCode.WechatAccountInvalid);
  if (kf.worker) fail(ErrorCode.CustomServiceAccountBound);
  if (inviteStatus(kf, now) === "waiting") fail(ErrorCode.InvitationPending);
  const siblings = await kfList(w.db, kf.appid);
  if (siblings.some((s) => s.worker === wx)) fail(ErrorCode.AlreadyWorker);
  if (siblings.some((s) => s.invite_wx === wx && inviteStatus(s, now) === "waiting"))
    fail(ErrorCode.AlreadyInvited);
  const bound = await w.db
    .selectFrom("kf_accounts")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("worker", "=", wx)
    .executeTakeFirst();
  if (Number(bound?.n ?? 0) >= policy.workerBindLimit) fail(ErrorCode.WorkerBindLimit);
  await updateKf(w.db, kf.appid, kf.kf_account, {
    invite_wx: wx,
    invite_status: "waiting",
    invite_expire_at: now + policy.inviteSeconds * 1000,
  });
}

export async function setHeadimg(w: World, kf: KfAccountTable, jpeg: Buffer): Promise<void> {
  const values = { data: jpeg.toString("base64"), updated_at: w.clock.now() };
  await w.db.transaction().execute(async (tx) => {
    await tx
      .insertInto("kf_headimgs")
      .values({ appid: kf.appid, kf_account: kf.kf_account, ...values })
      .onConflict((oc) => oc.columns(["appid", "kf_account"]).doUpdateSet(values))
      .execute();
    await updateKf(tx, kf.appid, kf.kf_account, { headimg_version: kf.headimg_version + 1 });
  });
}

export async function headimgOf(db: Db, appid: string, kfId: string): Promise<Buffer | null> {
  const row = await db
    .selectFrom("kf_headimgs as h")
    .innerJoin("kf_accounts as a", (j) =>
      j.onRef("a.appid", "=", "h.appid").onRef("a.kf_account", "=", "h.kf_account"),
    )
    .select("h.data")
    .where("h.appid", "=", appid)
    .where("a.kf_id", "=", kfId)
    .executeTakeFirst();
  return row ? Buffer.from(row.data, "base64") : null;
}

/** Where a kf account's avatar is served (a new URL per upload); "" without one. */
export const headimgUrl = (base: string, kf: KfAccountTable) =>
  kf.headimg_version > 0
    ? `${base}/_mpstack/kf-headimg/${encodeURIComponent(kf.appid)}/${kf.kf_id}?v=${kf.headimg_version}`
    : "";

/** A getkflist entry (§5.5): worker or invitation fields only when present. */
export interface KfListItem {
  kf_account: string;
  kf_nick: string;
  kf_id: string;
  kf_headimgurl: string;
  kf_wx?: string;
  invite_wx?: string;
  invite_expire_time?: number;
  invite_status?: string;
}

export function kfListItem(kf: KfAccountTable, now: number, base: string): KfListItem {
  const item: KfListItem = {
    kf_account: kf.kf_account,
    kf_nick: kf.nickname,
    kf_id: kf.kf_id,
    kf_headimgurl: headimgUrl(base, kf),
  };
  if (kf.worker) item.kf_wx = kf.worker;
  else if (kf.invite_wx && kf.invite_expire_at !== null) {
    item.invite_wx = kf.invite_wx;
    item.invite_expire_time = Math.floor(kf.invite_expire_at / 1000);
    item.invite_status = inviteStatus(kf, now) ?? "waiting";
  }
  return item;
}
