/**
 * The push engine of one platform: records the user's action, writes the outbox row, runs the
 * attempts (timeout, retries, the same body and MsgId every time), judges the answer, and writes
 * the reply or the notice into the conversation. Pending pushes resume when the platform starts;
 * closing the platform interrupts attempts without recording them (they are sent again on resume).
 */
import { setMaxListeners } from "node:events";
import { type InboundPayload, inboundToXml, type Reply } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { PlatformEvents } from "../../events.js";
import type { ModuleContext } from "../../module.js";
import type { World } from "../../world.js";
import { getAccount } from "../accounts/index.js";
import { type ConversationMessage, type NewMessage, recordMessage } from "../conversations/index.js";
import { isBlacklisted } from "../followers/index.js";
import { attemptDelivery } from "./attempt.js";
import { Agents } from "./delivery.js";
import { emitPushAttempt, emitPushCreated, emitPushFinished } from "./events.js";
import type { InboundRouter } from "./inbound-router.js";
import {
  conversationOf,
  eventOf,
  newMsgId,
  newsLimit,
  ORDINARY_KINDS,
  payloadOf,
  SYSTEM_EVENTS,
} from "./messages.js";
import {
  attemptsOf,
  type FinalState,
  finishPush,
  getPushRow,
  insertPush,
  newPushId,
  type PushAttemptRecord,
  type PushStatus,
  pendingPushes,
  saveAttempt,
} from "./outbox.js";
import { pushPolicyFor } from "./policy.js";
import type { PushTable } from "./tables.js";
import { recordWindowOpener, windowSceneOf } from "./window-openers.js";

/** What the user sees when no valid reply arrived (callback.md §6.1). */
export const SERVICE_UNAVAILABLE_NOTICE = "该公众号暂时无法提供服务，请稍后再试";

export interface PushRequest {
  appid: string;
  /** The simulated user's global id. */
  userId: string;
  /**
   * The push's fields, built with the protocol model: ToUserName = the account's originalId,
   * FromUserName = the user's OpenID for this account, CreateTime = Math.floor(clock.now() / 1000).
   * MsgId is filled for ordinary messages when absent. (A parsed `InboundMessage` fits too.)
   */
  message: InboundPayload;
  /** Wait for the whole delivery (all attempts) before resolving; default true. */
  wait?: boolean;
}

export interface PushResult {
  pushId: string;
  status: PushStatus;
  /** What the user received (also recorded in the conversation). */
  reply?: Reply;
  /** SERVICE_UNAVAILABLE_NOTICE when the user saw it. */
  notice?: string;
  attempts: PushAttemptRecord[];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

export class PushEngine {
  readonly agents = new Agents();
  private closed = false;
  /** Bumped when the world is replaced: loops of the old world stop writing. */
  private generation = 0;
  private readonly running = new Set<Promise<unknown>>();
  private readonly stop = new AbortController();
  /** The multi-customer-service hook (inbound-router.ts), once installed. */
  router: InboundRouter | null = null;

  constructor(private readonly ctx: ModuleContext) {
    // One listener per attempt in flight: many at once is normal here.
    setMaxListeners(0, this.stop.signal);
  }

  private get db(): Db {
    return this.ctx.db;
  }

  private stale(gen: number): boolean {
    return this.closed || gen !== this.generation;
  }

  /** Forget in-flight loops of a replaced world (their rows are gone). */
  worldReplaced(): void {
    this.generation++;
  }

  async push(req: PushRequest): Promise<PushResult> {
    if (this.closed) throw new Error("the platform is closing");
    const gen = this.generation;
    const account = await getAccount(this.db, req.appid);
    if (!account) throw new Error(`push: account ${req.appid} not found`);
    const now = this.ctx.clock.now();
    const message: InboundPayload =
      ORDINARY_KINDS.has(req.message.kind) && !("MsgId" in req.message && req.message.MsgId)
        ? ({ ...req.message, MsgId: newMsgId(now) } as InboundPayload)
        : req.message;
    const xml = inboundToXml(message);
    const event = eventOf(message);
    const system = event !== null && SYSTEM_EVENTS.has(event);
    const msgId = "MsgId" in message && typeof message.MsgId === "string" ? message.MsgId : null;
    const openid = message.FromUserName;
    const policy = await pushPolicyFor(this.db, account.appid);
    const id = newPushId(now);
    // What a user the account blacklisted does reaches nobody (user-api's blacklist); system
    // pushes and the follow events still go out.
    const blocked =
      !system &&
      event !== "subscribe" &&
      event !== "unsubscribe" &&
      (await isBlacklisted(this.db, account.appid, openid));
    const hasServer = account.server.url !== "";
    const toKf =
      !blocked &&
      !system &&
      this.router !== null &&
      ORDINARY_KINDS.has(message.MsgType) &&
      (await this.router.route({ account, userId: req.userId, openid, message })) === "customer_service";
    const row: PushTable = {
      id,
      appid: account.appid,
      user_id: req.userId,
      openid,
      msg_type: message.MsgType,
      event,
      msg_id: msgId,
      create_time: message.CreateTime,
      xml,
      status: blocked ? "blocked" : toKf ? "customer_service" : hasServer ? "pending" : "no_server",
      attempts: 0,
      reply: null,
      notice: null,
      deliver: system || event === "unsubscribe" ? 0 : 1,
      news_limit: newsLimit(policy, message),
      created_at: now,
      updated_at: now,
      finished_at: hasServer && !blocked && !toKf ? null : now,
    };
    if (blocked) {
      await insertPush(this.db, row);
      emitPushCreated(this.ctx.events, row);
      emitPushFinished(this.ctx.events, row, "blocked", 0);
      return { pushId: id, status: "blocked", attempts: [] };
    }
    const scene = windowSceneOf(message);
    // The user's message, the outbox row and the window opener land together.
    await this.inTransaction(async (w) => {
      if (!system) {
        await recordMessage(w, {
          appid: account.appid,
          userId: req.userId,
          openid,
          direction: "in",
          kind: message.MsgType === "event" ? "event" : "message",
          msgType: message.MsgType,
          payload: payloadOf(message),
          msgId,
        });
      }
      await insertPush(w.db, row);
      if (scene)
        await recordWindowOpener(w.db, { appid: row.appid, userId: row.user_id, scene, at: now, pushId: id });
    });
    emitPushCreated(this.ctx.events, row);
    if (toKf) {
      emitPushFinished(this.ctx.events, row, "customer_service", 0);
      return { pushId: id, status: "customer_service", attempts: [] };
    }
    if (!hasServer) {
      emitPushFinished(this.ctx.events, row, "no_server", 0);
      return { pushId: id, status: "no_server", attempts: [] };
    }
    const run = this.track(this.run(row, [], gen));
    if (req.wait !== false) return run;
    run.catch((err) => this.fail(id, err));
    return { pushId: id, status: "pending", attempts: [] };
  }

  /**
   * Deliver an earlier push again (the console's "re-send"): a new outbox row with the same XML
   * (same MsgId and CreateTime, so a server that de-duplicates sees a repeat), fresh attempts; the
   * user's message is not recorded twice, a reply lands in the conversation as the first one did.
   */
  async resend(pushId: string): Promise<PushResult | undefined> {
    if (this.closed) throw new Error("the platform is closing");
    const gen = this.generation;
    const old = await getPushRow(this.db, pushId);
    if (!old) return undefined;
    const account = await getAccount(this.db, old.appid);
    const now = this.ctx.clock.now();
    const hasServer = account !== undefined && account.server.url !== "";
    const row: PushTable = {
      ...old,
      id: newPushId(now),
      status: hasServer ? "pending" : "no_server",
      attempts: 0,
      reply: null,
      notice: null,
      created_at: now,
      updated_at: now,
      finished_at: hasServer ? null : now,
    };
    await insertPush(this.db, row);
    emitPushCreated(this.ctx.events, row);
    if (!hasServer) {
      emitPushFinished(this.ctx.events, row, "no_server", 0);
      return { pushId: row.id, status: "no_server", attempts: [] };
    }
    return this.track(this.run(row, [], gen));
  }

  /** Continue every push left pending by a previous run of the platform. */
  async resume(): Promise<number> {
    const gen = this.generation;
    const rows = await pendingPushes(this.db);
    for (const row of rows) {
      if (this.stale(gen)) break;
      const previous = await attemptsOf(this.db, row.id);
      this.track(this.run(row, previous, gen)).catch((err) => this.fail(row.id, err));
    }
    return rows.length;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    p.then(
      () => this.running.delete(p),
      () => this.running.delete(p),
    );
    return p;
  }

  private fail(id: string, err: unknown): void {
    if (this.closed) return;
    this.ctx.log.error({ pushId: id, err: err instanceof Error ? err.message : String(err) }, "push failed");
  }

  private async run(row: PushTable, previous: PushAttemptRecord[], gen: number): Promise<PushResult> {
    const attempts = [...previous];
    const pending = (): PushResult => ({ pushId: row.id, status: "pending", attempts });
    for (let n = row.attempts + 1; ; n++) {
      if (this.stale(gen)) return pending();
      const account = await getAccount(this.db, row.appid);
      const policy = await pushPolicyFor(this.db, row.appid);
      if (!account || account.server.url === "") {
        // The server settings were removed while the push waited: nothing more is sent.
        await finishPush(this.db, row.id, this.ctx.clock.now(), {
          status: "no_server",
          reply: null,
          notice: null,
        });
        emitPushFinished(this.ctx.events, row, "no_server", attempts.length);
        return { pushId: row.id, status: "no_server", attempts };
      }
      // Reuse policy: the previous attempt's exact query and body (timestamp, nonce, signatures, ciphertext).
      const reused = policy.reuseSignature ? attempts.at(-1)?.request : undefined;
      const record = await attemptDelivery(
        { agents: this.agents, clock: this.ctx.clock, signal: this.stop.signal },
        { account, row, n, policy, reused },
      );
      if (this.stale(gen)) return pending(); // interrupted: not recorded, sent again on resume
      const { judgement } = record;
      const last = !judgement.retry || n >= policy.attempts;
      attempts.push(record.record);
      if (!last) {
        const now = this.ctx.clock.now();
        const saved = await this.db
          .transaction()
          .execute((trx) => saveAttempt(trx, row.id, record.record, now));
        if (!saved) return pending();
        emitPushAttempt(this.ctx.events, row, record.record);
        if (policy.retryDelayMs > 0) await sleep(policy.retryDelayMs, this.stop.signal);
        continue;
      }
      const final: FinalState =
        judgement.outcome === "replied"
          ? { status: "replied", reply: judgement.reply, notice: null }
          : judgement.outcome === "empty"
            ? { status: "empty", reply: null, notice: null }
            : { status: "failed", reply: null, notice: row.deliver ? SERVICE_UNAVAILABLE_NOTICE : null };
      const result: PushResult = { pushId: row.id, status: final.status, attempts };
      // A hand-over to customer service is no message to the user (only user messages are handed over).
      const transfer = final.reply?.type === "transfer_customer_service" ? final.reply : null;
      const out: NewMessage | null =
        row.deliver && final.reply && !transfer
          ? { ...conversationOf(row), kind: "passive", msgType: final.reply.type, payload: final.reply }
          : final.notice
            ? {
                ...conversationOf(row),
                kind: "system",
                msgType: "notice",
                payload: { content: final.notice, pushId: row.id },
              }
            : null;
      // The last attempt, the push's final state and what the user sees land together.
      const saved = await this.inTransaction((w) =>
        saveAttempt(w.db, row.id, record.record, this.ctx.clock.now(), final, async () => {
          if (out) await recordMessage(w, out);
        }),
      );
      if (!saved) return pending();
      emitPushAttempt(this.ctx.events, row, record.record);
      emitPushFinished(this.ctx.events, row, final.status, attempts.length);
      if (final.reply && (out || transfer)) result.reply = final.reply;
      else if (out && final.notice) result.notice = final.notice;
      if (transfer && row.deliver && ORDINARY_KINDS.has(row.msg_type) && this.router) {
        await this.router
          .transferred({
            appid: row.appid,
            userId: row.user_id,
            openid: row.openid,
            kfAccount: transfer.kfAccount,
            xml: row.xml,
          })
          .catch((err) => this.fail(row.id, err));
      }
      return result;
    }
  }

  /**
   * Run `fn` in one transaction with a World whose writes go to it; the platform events the
   * writes raise (conversation.message) are emitted after the commit, as listeners expect.
   */
  private async inTransaction<T>(fn: (w: World) => Promise<T>): Promise<T> {
    const raised: ConversationMessage[] = [];
    const events = new PlatformEvents();
    events.on("conversation.message", (m) => raised.push(m));
    const result = await this.db
      .transaction()
      .execute((trx) => fn({ db: trx, clock: this.ctx.clock, events }));
    for (const m of raised) this.ctx.events.emit("conversation.message", m);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop.abort();
    await Promise.allSettled([...this.running]);
    this.agents.destroy();
  }
}
