/**
 * The LOCATION event (users.md §10.2, callback.md §5.3): pushed when a user enters the conversation
 * (mode `entry` or `periodic`), and in `periodic` mode again every `intervalSeconds` while the user
 * stays in it — only for accounts with the permission row (verified service accounts), the console
 * switch on, the user's consent, and a known position.
 *
 * Periodic mode: users in a conversation are sessions kept in memory (a restart = everyone left).
 * A one-second real-time timer checks them against the PLATFORM clock, so real time and moving the
 * clock both make reports due; one report per session per check (moving the clock by a minute gives
 * one report, not twelve). Sessions end on leave, unfollow, or after MAX_SESSION_MS of platform time
 * (the client does not stay open forever), and at most MAX_SESSIONS are kept. `POST
 * /_mpstack/location/tick` runs the same check at once and waits for the pushes.
 */
import { mayCall } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import type { PushResult } from "../push/index.js";
import { getFollow } from "../simulated-users/index.js";
import { consentOf, getLocationSettings, getPosition, type Position, setPosition } from "./store.js";

export const MAX_SESSION_MS = 10 * 60_000;
const MAX_SESSIONS = 1000;
const CHECK_EVERY_MS = 1000;

export type SkipReason = "off" | "not_permitted" | "not_following" | "no_consent" | "no_position";

export interface ReportOutcome {
  /** The LOCATION push, or null when none was made (see `skipped`). */
  push: PushResult | null;
  skipped: SkipReason | null;
  position: Position | null;
}

interface Session {
  appid: string;
  userId: string;
  enteredAt: number;
  lastReportAt: number;
}

export class LocationReporter {
  private readonly sessions = new Map<string, Session>();
  private running: Promise<number> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ctx: ModuleContext<"push">) {
    this.timer = setInterval(() => {
      if (this.running || this.sessions.size === 0) return;
      this.runDue(false).catch((err) =>
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "location reports failed"),
      );
    }, CHECK_EVERY_MS);
    this.timer.unref();
    ctx.onClose(() => clearInterval(this.timer));
    ctx.events.on("user.unfollowed", (e) => this.leave(e.appid, e.userId));
    ctx.events.on("world.replaced", () => this.sessions.clear());
  }

  private key(appid: string, userId: string): string {
    return `${appid}\n${userId}`;
  }

  /** Report the user's position to the account now, if everything allows it. */
  async report(account: Account, userId: string, opts: { wait?: boolean } = {}): Promise<ReportOutcome> {
    const ctx = this.ctx;
    const position = await getPosition(ctx.db, userId);
    const skip = (skipped: SkipReason): ReportOutcome => ({ push: null, skipped, position });
    const settings = await getLocationSettings(ctx.db, account.appid);
    if (settings.mode === "off") return skip("off");
    if (!mayCall(account, "user.location", ctx.policiesFor(account).permissionOverrides))
      return skip("not_permitted");
    const follow = await getFollow(ctx.db, account.appid, userId);
    if (follow?.subscribed !== 1) return skip("not_following");
    if (!(await consentOf(ctx.db, account.appid, userId))) return skip("no_consent");
    if (!position) return skip("no_position");
    const result = await ctx.services.push.send({
      appid: account.appid,
      userId,
      wait: opts.wait ?? true,
      message: {
        kind: "event",
        MsgType: "event",
        ToUserName: account.originalId,
        FromUserName: follow.openid,
        CreateTime: Math.floor(ctx.clock.now() / 1000),
        Event: "LOCATION",
        Latitude: position.latitude,
        Longitude: position.longitude,
        Precision: position.precision,
      },
    });
    return { push: result, skipped: null, position };
  }

  /** The user opens the conversation (optionally from a new position): a report when enabled. */
  async enter(account: Account, userId: string, position?: Position): Promise<ReportOutcome> {
    const now = this.ctx.clock.now();
    if (position) await setPosition(this.ctx.db, userId, position, now);
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    const key = this.key(account.appid, userId);
    this.sessions.delete(key);
    this.sessions.set(key, { appid: account.appid, userId, enteredAt: now, lastReportAt: now });
    return this.report(account, userId);
  }

  leave(appid: string, userId: string): boolean {
    return this.sessions.delete(this.key(appid, userId));
  }

  inConversation(appid: string, userId: string): boolean {
    const s = this.sessions.get(this.key(appid, userId));
    return s !== undefined && this.ctx.clock.now() - s.enteredAt <= MAX_SESSION_MS;
  }

  /** Periodic reports that are due; answers how many were pushed. Runs are never concurrent. */
  runDue(wait: boolean): Promise<number> {
    if (this.running) return this.running.then(() => this.runDue(wait));
    const run = this.checkSessions(wait).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async checkSessions(wait: boolean): Promise<number> {
    let pushed = 0;
    const now = this.ctx.clock.now();
    for (const [key, s] of [...this.sessions]) {
      if (now - s.enteredAt > MAX_SESSION_MS || now < s.enteredAt) {
        this.sessions.delete(key);
        continue;
      }
      const settings = await getLocationSettings(this.ctx.db, s.appid);
      if (settings.mode !== "periodic" || now - s.lastReportAt < settings.intervalSeconds * 1000) continue;
      s.lastReportAt = now;
      const account = await getAccount(this.ctx.db, s.appid);
      if (!account) {
        this.sessions.delete(key);
        continue;
      }
      const outcome = await this.report(account, s.userId, { wait });
      if (outcome.push) pushed++;
    }
    return pushed;
  }
}
