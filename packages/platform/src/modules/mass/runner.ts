/**
 * Delivery of mass jobs (mass-send.md §12), one job at a time in submission order. A job walks its
 * recipients in OpenID order in chunks; each chunk's conversation rows (kind `mass`) and the job's
 * cursor and counters commit in ONE transaction whose update only applies while the cursor is
 * still the one the chunk started from. So a killed platform resumes after the last committed
 * chunk, and every follower receives the message exactly once — even if two processes (PostgreSQL)
 * ran the same job. Then the job completes, and MASSSENDJOBFINISH is pushed once (finish.ts).
 */
import { parseJsonColumn } from "../../db/schema.js";
import { getAccount } from "../accounts/index.js";
import { type ConversationMessage, recordBulkMessages } from "../conversations/index.js";
import { removeDraft } from "../materials/index.js";
import { type Candidate, cappedUsers, cstMonthStart, nextCandidates, wasFollower } from "./candidates.js";
import type { MassContext } from "./context.js";
import { pushFinish } from "./finish.js";
import { findJob, LIVE_STATUSES } from "./jobs.js";
import type { MassMessage } from "./message.js";
import { type MassPolicy, massPolicies, REAL_SPEED } from "./policy.js";
import type { MassJobTable } from "./tables.js";

class StaleChunk extends Error {}

/** Wait `ms`, or less when `signal` aborts (the platform closing). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

export class MassRunner {
  private readonly queue: { appid: string; msgId: string }[] = [];
  private draining: Promise<void> | null = null;
  private closed = false;
  private generation = 0;
  private readonly stop = new AbortController();

  constructor(private readonly ctx: MassContext) {}

  enqueue(appid: string, msgId: string): void {
    if (this.closed) return;
    this.queue.push({ appid, msgId });
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Jobs a previous run (or an imported world) left sending or not yet announced. */
  async resume(): Promise<void> {
    const rows = await this.ctx.db
      .selectFrom("mass_jobs")
      .select(["appid", "msg_id"])
      .where("finish_pushed", "=", 0)
      .orderBy("created_at")
      .execute();
    for (const r of rows) this.enqueue(r.appid, r.msg_id);
  }

  /** The world was replaced: forget queued jobs of the old one. */
  worldReplaced(): void {
    this.generation++;
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    this.stop.abort();
    await this.draining;
  }

  private async drain(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0 && !this.closed) {
      const next = this.queue.shift();
      if (!next) break;
      try {
        await this.run(next.appid, next.msgId, this.generation);
      } catch (err) {
        if (!this.closed)
          this.ctx.log.error(
            { msgId: next.msgId, err: err instanceof Error ? err.message : String(err) },
            "mass job failed",
          );
      }
    }
  }

  private stale(gen: number): boolean {
    return this.closed || gen !== this.generation;
  }

  private async run(appid: string, msgId: string, gen: number): Promise<void> {
    let job = await findJob(this.ctx.db, appid, msgId);
    if (!job || job.kind === "preview") return;
    if (job.status === "SENDING") {
      const delivered = job.result === "" ? await this.deliver(job, gen) : job;
      if (!delivered || this.stale(gen)) return;
      job = await this.complete(delivered);
    }
    if (job.finish_pushed === 0 && !this.stale(gen)) await pushFinish(this.ctx, job);
  }

  /** Walk the recipients; answers the job as last committed, or null when interrupted. */
  private async deliver(start: MassJobTable, gen: number): Promise<MassJobTable | null> {
    const { ctx } = this;
    let job = start;
    const account = await getAccount(ctx.db, job.appid);
    const policy = await massPolicies.of(ctx.db, job.appid);
    const list = job.scope === "list" ? parseJsonColumn<string[]>(job.openids, []) : null;
    const monthStart = cstMonthStart(job.created_at);
    const capped = account?.type === "service" && (await this.monthlyLimitMatters(job, policy));
    const live = job.expected <= policy.liveMessagesUpTo;
    for (;;) {
      if (this.stale(gen)) return null;
      const started = performance.now();
      const page = await nextCandidates(ctx.db, job, list, policy.chunkSize);
      if (page.listed === 0) return job;
      const members =
        job.scope === "list" ? page.rows : page.rows.filter((c) => wasFollower(c, job.snapshot_at));
      const reachable = members.filter((c) => c.subscribed === 1 && c.blacklisted === 0);
      const over = capped
        ? await cappedUsers(
            ctx.db,
            job.appid,
            reachable.map((c) => c.user_id),
            monthStart,
            policy.serviceReceivesPerMonth,
          )
        : new Set<string>();
      const to = reachable.filter((c) => !over.has(c.user_id));
      const total = job.scope === "list" ? page.listed : members.length;
      const next = {
        cursor: page.cursor,
        total: job.total + total,
        skipped: job.skipped + total - to.length,
        sent: job.sent + to.length,
      };
      let saved: ConversationMessage[];
      try {
        saved = await this.commitChunk(job, to, next, live);
      } catch (err) {
        if (err instanceof StaleChunk) return null; // another runner moved the job on
        throw err;
      }
      job = { ...job, ...next };
      for (const m of saved) ctx.events.emit("conversation.message", m);
      this.progress(job);
      await this.pace(policy, job.appid, to.length, performance.now() - started);
    }
  }

  private async commitChunk(
    job: MassJobTable,
    to: readonly Candidate[],
    next: { cursor: string; total: number; skipped: number; sent: number },
    collect: boolean,
  ): Promise<ConversationMessage[]> {
    const { ctx } = this;
    return ctx.db.transaction().execute(async (trx) => {
      const saved = await recordBulkMessages(
        trx,
        ctx.dialect === "postgres",
        {
          appid: job.appid,
          direction: "out",
          kind: "mass",
          msgType: job.msgtype,
          payloadJson: job.payload,
          msgId: job.msg_id,
          createdAt: ctx.clock.now(),
        },
        to.map((c) => ({ userId: c.user_id, openid: c.openid })),
        collect,
      );
      const r = await trx
        .updateTable("mass_jobs")
        .set(next)
        .where("appid", "=", job.appid)
        .where("msg_id", "=", job.msg_id)
        .where("cursor", "=", job.cursor)
        .where("status", "=", "SENDING")
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new StaleChunk();
      return saved;
    });
  }

  /** Service accounts: only after `cap` sends this month can a follower be over the monthly limit. */
  private async monthlyLimitMatters(job: MassJobTable, policy: MassPolicy): Promise<boolean> {
    const r = await this.ctx.db
      .selectFrom("mass_jobs")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("appid", "=", job.appid)
      .where("month", "=", job.month)
      .where("kind", "in", ["sendall", "send"])
      .where("status", "in", LIVE_STATUSES)
      .where("msg_id", "!=", job.msg_id)
      .executeTakeFirst();
    return Number(r?.n ?? 0) >= policy.serviceReceivesPerMonth;
  }

  /** The account's speed level (pace `speed`, real time) and the policy's pause; then let others in. */
  private async pace(policy: MassPolicy, appid: string, delivered: number, spentMs: number): Promise<void> {
    let wait = policy.chunkPauseMs;
    if (policy.pace === "speed") {
      const row = await this.ctx.db
        .selectFrom("mass_settings")
        .select("speed")
        .where("appid", "=", appid)
        .executeTakeFirst();
      const perMinute = (REAL_SPEED[row?.speed ?? 0] ?? REAL_SPEED[0]) * 10_000;
      wait += Math.max(0, (delivered / perMinute) * 60_000 - spentMs);
    }
    if (wait > 0) await sleep(wait, this.stop.signal);
    else await new Promise((r) => setImmediate(r));
  }

  private progress(job: MassJobTable): void {
    this.ctx.events.emit("mass.job", {
      appid: job.appid,
      msgId: job.msg_id,
      kind: job.kind,
      status: job.status,
      expected: job.expected,
      total: job.total,
      skipped: job.skipped,
      sent: job.sent,
      errors: job.errors,
    });
  }

  /** SEND_SUCCESS (or SEND_FAIL: stopped by the originality check, or nobody reached); a sent draft leaves the box. */
  private async complete(job: MassJobTable): Promise<MassJobTable> {
    const { ctx } = this;
    const stopped = job.result.startsWith("err(");
    const failed = stopped || (job.total > 0 && job.sent === 0);
    const done = {
      status: failed ? "SEND_FAIL" : "SEND_SUCCESS",
      result: stopped ? job.result : failed ? "send fail" : "send success",
      finished_at: ctx.clock.now(),
    };
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("mass_jobs")
        .set(done)
        .where("appid", "=", job.appid)
        .where("msg_id", "=", job.msg_id)
        .where("status", "=", "SENDING")
        .execute();
      const m = parseJsonColumn<MassMessage>(job.message, { msgtype: "text" });
      if (!failed && m.mpnews?.from === "draft") await removeDraft(trx, job.appid, m.mpnews.media_id);
    });
    const finished = { ...job, ...done };
    this.progress(finished);
    return finished;
  }
}
