/**
 * Sessions and the waiting queue (spec/customer-service.md §6, §8): creating (65402 unbound,
 * 65415 offline, 65414 another worker serves the user, no-op when it is the same), closing (65413,
 * 65414), switching, the 30-minute rule (checked lazily: whenever the account's sessions are
 * touched), the queue that transfer_customer_service fills and auto-accepting workers drain, and the
 * kf_create_session / kf_close_session / kf_switch_session events pushed to the developer.
 */
import { ErrorCode, type InboundPayload } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { parseJsonColumn } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { kfList } from "./accounts.js";
import { kfPolicies } from "./policy.js";
import { appendRecords, KF_RECEIVED } from "./records.js";
import type { KfAccountTable, KfSessionTable, KfWaitcaseTable } from "./tables.js";

/** The most waiting messages kept per user for the records (older ones are dropped). */
const PENDING_MAX = 50;

export interface SessionUser {
  userId: string;
  openid: string;
}

export class KfSessions {
  /** Per user, the last session event's push: the next one follows it, so they arrive in order. */
  private readonly lastPush = new Map<string, Promise<unknown>>();

  constructor(private readonly ctx: ModuleContext<"push">) {}

  private get db() {
    return this.ctx.db;
  }

  async sessionOf(appid: string, userId: string): Promise<KfSessionTable | undefined> {
    return this.db
      .selectFrom("kf_sessions")
      .selectAll()
      .where("appid", "=", appid)
      .where("user_id", "=", userId)
      .executeTakeFirst();
  }

  async sessionsOf(appid: string, kfAccount?: string): Promise<KfSessionTable[]> {
    let q = this.db.selectFrom("kf_sessions").selectAll().where("appid", "=", appid);
    if (kfAccount !== undefined) q = q.where("kf_account", "=", kfAccount);
    return q.orderBy("created_at").orderBy("user_id").execute();
  }

  async waitcases(appid: string): Promise<KfWaitcaseTable[]> {
    return this.db
      .selectFrom("kf_waitcases")
      .selectAll()
      .where("appid", "=", appid)
      .orderBy("latest_time")
      .orderBy("user_id")
      .execute();
  }

  /** Close the sessions idle past the policy's timeout (each pushes kf_close_session). */
  async expire(appid: string): Promise<void> {
    const policy = await kfPolicies.of(this.db, appid);
    const cutoff = this.ctx.clock.now() - policy.sessionTimeoutMinutes * 60_000;
    const idle = await this.db
      .selectFrom("kf_sessions")
      .selectAll()
      .where("appid", "=", appid)
      .where("last_activity", "<=", cutoff)
      .execute();
    if (idle.length === 0) return;
    const account = await getAccount(this.db, appid);
    for (const s of idle) {
      const r = await this.db
        .deleteFrom("kf_sessions")
        .where("appid", "=", appid)
        .where("user_id", "=", s.user_id)
        .where("kf_account", "=", s.kf_account)
        .where("last_activity", "<=", cutoff)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0 || !account) continue;
      this.announce(account, s, "closed", { Event: "kf_close_session", KfAccount: s.kf_account });
    }
  }

  /** Close this session if it is idle past the timeout (kf_close_session); true when it closed. */
  async expireOne(account: Account, s: KfSessionTable): Promise<boolean> {
    const policy = await kfPolicies.of(this.db, account.appid);
    const cutoff = this.ctx.clock.now() - policy.sessionTimeoutMinutes * 60_000;
    if (s.last_activity > cutoff) return false;
    await this.expire(account.appid);
    return true;
  }

  async touch(appid: string, userId: string): Promise<void> {
    await this.db
      .updateTable("kf_sessions")
      .set({ last_activity: this.ctx.clock.now() })
      .where("appid", "=", appid)
      .where("user_id", "=", userId)
      .execute();
  }

  /**
   * Open a session (§6.1): the kf account must have a worker (65402) who is online (65415); the user
   * must not be in another kf account's session (65414); the same one answers ok and changes nothing.
   * The user leaves the queue; the messages they sent while waiting become 2003 records.
   */
  async create(account: Account, kf: KfAccountTable, user: SessionUser): Promise<boolean> {
    if (!kf.worker) throw new WechatApiError(ErrorCode.CustomServiceAccountUnbound);
    if (kf.online !== 1) throw new WechatApiError(ErrorCode.WorkerNotOnline);
    const now = this.ctx.clock.now();
    const created = await this.db.transaction().execute(async (tx) => {
      const current = await tx
        .selectFrom("kf_sessions")
        .selectAll()
        .where("appid", "=", account.appid)
        .where("user_id", "=", user.userId)
        .executeTakeFirst();
      if (current?.kf_account === kf.kf_account) return null;
      if (current) throw new WechatApiError(ErrorCode.AnotherWorkerServing);
      const waiting = await tx
        .selectFrom("kf_waitcases")
        .selectAll()
        .where("appid", "=", account.appid)
        .where("user_id", "=", user.userId)
        .executeTakeFirst();
      await tx
        .deleteFrom("kf_waitcases")
        .where("appid", "=", account.appid)
        .where("user_id", "=", user.userId)
        .execute();
      const session: KfSessionTable = {
        appid: account.appid,
        user_id: user.userId,
        openid: user.openid,
        kf_account: kf.kf_account,
        created_at: now,
        last_activity: now,
      };
      await tx.insertInto("kf_sessions").values(session).execute();
      const time = Math.floor(now / 1000);
      const texts = parseJsonColumn<string[]>(waiting?.pending, []);
      await appendRecords(
        tx,
        account.appid,
        texts.map((text) => ({
          openid: user.openid,
          worker: kf.kf_account,
          opercode: KF_RECEIVED,
          text,
          time,
        })),
      );
      return session;
    });
    if (!created) return false;
    this.announce(account, created, "created", { Event: "kf_create_session", KfAccount: kf.kf_account });
    return true;
  }

  /** Close the user's session with this kf account (§6.2): none 65413, another's 65414. */
  async close(account: Account, kfAccount: string, userId: string): Promise<void> {
    const s = await this.sessionOf(account.appid, userId);
    if (!s) throw new WechatApiError(ErrorCode.NoEffectiveSession);
    if (s.kf_account !== kfAccount) throw new WechatApiError(ErrorCode.AnotherWorkerServing);
    await this.db
      .deleteFrom("kf_sessions")
      .where("appid", "=", account.appid)
      .where("user_id", "=", userId)
      .execute();
    this.announce(account, s, "closed", { Event: "kf_close_session", KfAccount: kfAccount });
  }

  /** Hand a session to another kf account (the worker's transfer): kf_switch_session. */
  async switchTo(account: Account, s: KfSessionTable, to: KfAccountTable): Promise<void> {
    await this.db
      .updateTable("kf_sessions")
      .set({ kf_account: to.kf_account, last_activity: this.ctx.clock.now() })
      .where("appid", "=", account.appid)
      .where("user_id", "=", s.user_id)
      .execute();
    this.announce(account, { ...s, kf_account: to.kf_account }, "switched", {
      Event: "kf_switch_session",
      FromKfAccount: s.kf_account,
      ToKfAccount: to.kf_account,
    });
  }

  async waitcaseOf(appid: string, userId: string): Promise<KfWaitcaseTable | undefined> {
    return this.db
      .selectFrom("kf_waitcases")
      .selectAll()
      .where("appid", "=", appid)
      .where("user_id", "=", userId)
      .executeTakeFirst();
  }

  /**
   * The user waits (after a transfer): pinned to `kfAccount` or for anyone (""). `text` (the message,
   * recorded when a worker accepts) is added unless null.
   */
  async enqueue(appid: string, user: SessionUser, kfAccount: string, text: string | null): Promise<void> {
    const now = this.ctx.clock.now();
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom("kf_waitcases")
        .selectAll()
        .where("appid", "=", appid)
        .where("user_id", "=", user.userId)
        .executeTakeFirst();
      const before = parseJsonColumn<string[]>(row?.pending, []);
      const pending = (text === null ? before : [...before, text]).slice(-PENDING_MAX);
      const values = {
        openid: user.openid,
        kf_account: kfAccount,
        latest_time: now,
        pending: JSON.stringify(pending),
      };
      await tx
        .insertInto("kf_waitcases")
        .values({ appid, user_id: user.userId, created_at: now, ...values })
        .onConflict((oc) => oc.columns(["appid", "user_id"]).doUpdateSet(values))
        .execute();
    });
    this.ctx.events.emit("kf.session", { appid, userId: user.userId, kfAccount, action: "waiting" });
  }

  /** A waiting user's later message: newer latest_time, one more text for the records. */
  async stillWaiting(appid: string, userId: string, text: string): Promise<boolean> {
    const row = await this.waitcaseOf(appid, userId);
    if (!row) return false;
    await this.enqueue(appid, { userId, openid: row.openid }, row.kf_account, text);
    return true;
  }

  /**
   * Online auto-accepting workers take waiting users, oldest first: a pinned user only by its kf
   * account, others by the worker serving the fewest (under the policy's limit).
   */
  async autoAssign(account: Account): Promise<void> {
    const policy = await kfPolicies.of(this.db, account.appid);
    const waiting = await this.waitcases(account.appid);
    if (waiting.length === 0) return;
    const load = new Map<string, number>();
    for (const s of await this.sessionsOf(account.appid))
      load.set(s.kf_account, (load.get(s.kf_account) ?? 0) + 1);
    const ready = (await kfList(this.db, account.appid)).filter(
      (k) => k.worker && k.online === 1 && k.auto_accept === 1,
    );
    for (const w of waiting) {
      const free = ready
        .filter(
          (k) =>
            (w.kf_account === "" || k.kf_account === w.kf_account) &&
            (load.get(k.kf_account) ?? 0) < policy.autoAcceptLimit,
        )
        .sort((a, b) => (load.get(a.kf_account) ?? 0) - (load.get(b.kf_account) ?? 0));
      const kf = free[0];
      if (!kf) continue;
      if (await this.create(account, kf, { userId: w.user_id, openid: w.openid }))
        load.set(kf.kf_account, (load.get(kf.kf_account) ?? 0) + 1);
    }
  }

  /** Tell the console and push the session event to the developer (not waited for). */
  private announce(
    account: Account,
    s: KfSessionTable,
    action: "created" | "closed" | "switched",
    fields:
      | { Event: "kf_create_session" | "kf_close_session"; KfAccount: string }
      | {
          Event: "kf_switch_session";
          FromKfAccount: string;
          ToKfAccount: string;
        },
  ): void {
    this.ctx.events.emit("kf.session", {
      appid: account.appid,
      userId: s.user_id,
      kfAccount: s.kf_account,
      action,
    });
    const message = {
      kind: "event",
      MsgType: "event",
      ToUserName: account.originalId,
      FromUserName: s.openid,
      CreateTime: this.ctx.clock.nowSeconds(),
      ...fields,
    } as InboundPayload;
    const key = `${account.appid}\n${s.user_id}`;
    const next = (this.lastPush.get(key) ?? Promise.resolve())
      .then(() => this.ctx.services.push.send({ appid: account.appid, userId: s.user_id, message }))
      .catch((err) => {
        this.ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "kf event push failed");
      })
      .finally(() => {
        if (this.lastPush.get(key) === next) this.lastPush.delete(key);
      });
    this.lastPush.set(key, next);
  }

  /** Forget queued event pushes (world replaced). */
  forget(): void {
    this.lastPush.clear();
  }
}
