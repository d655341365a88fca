/**
 * kf module — multi-customer-service (多客服, spec/customer-service.md §5–§8): customer-service
 * accounts, simulated workers (invitations, online state), sessions and the waiting queue with the
 * 30-minute rule, the kf_*_session events, and chat records. It plugs into pushes through the push
 * module's inbound router (a user in a session talks to the worker; transfer_customer_service
 * queues the user) and offers the customer-service module what `custom/send` with
 * `customservice.kf_account` needs (65401, record 2002).
 */
import { defineModule } from "../../module.js";
import { headimgUrl, kfOf } from "./accounts.js";
import { implementKfAccountApi } from "./api-accounts.js";
import { implementKfSessionApi } from "./api-sessions.js";
import { kfMigrations } from "./migrations.js";
import { appendRecord, KF_SENT, outboundText } from "./records.js";
import { kfInboundRouter } from "./router.js";
import { addKfRoutes } from "./routes.js";
import { KfSessions } from "./sessions.js";

export interface KfIdentity {
  kfAccount: string;
  nickname: string;
  headimgurl: string;
}

export interface KfServices {
  /** The customer-service account a custom/send names, or null (the caller answers 65401). */
  account(appid: string, kfAccount: string): Promise<KfIdentity | null>;
  /** A message sent as a customer-service account: record 2002; an open session with it stays alive. */
  recordSent(
    to: { appid: string; userId: string; openid: string },
    kfAccount: string,
    message: { msgtype: string; text?: { content: string } },
  ): Promise<void>;
}

declare module "../../module.js" {
  interface ModuleServices {
    kf: KfServices;
  }
}

declare module "../../events.js" {
  interface PlatformEventMap {
    /** A customer-service account changed (added, updated, deleted, invited, bound, rejected, online, offline). */
    "kf.account": { appid: string; kfAccount: string; action: string };
    /** A user waits, or a session was created, closed or switched (kfAccount: the serving one). */
    "kf.session": {
      appid: string;
      userId: string;
      kfAccount: string;
      action: "waiting" | "created" | "closed" | "switched";
    };
    /** A message inside a session (`in`: the user's, `out`: the worker's). */
    "kf.message": { appid: string; userId: string; kfAccount: string; direction: "in" | "out"; text: string };
  }
}

export const kfModule = defineModule({
  name: "kf",
  requires: ["accounts", "simulated-users", "conversations", "push"],
  migrations: kfMigrations,
  setup(ctx): KfServices {
    const sessions = new KfSessions(ctx);
    ctx.events.on("world.replaced", () => sessions.forget());
    ctx.services.push.setInboundRouter(kfInboundRouter(ctx, sessions));
    // A user who unfollows leaves their session and the queue (no event: they are gone).
    ctx.events.on("user.unfollowed", (e) => {
      const drop = async () => {
        await ctx.db
          .deleteFrom("kf_sessions")
          .where("appid", "=", e.appid)
          .where("user_id", "=", e.userId)
          .execute();
        await ctx.db
          .deleteFrom("kf_waitcases")
          .where("appid", "=", e.appid)
          .where("user_id", "=", e.userId)
          .execute();
      };
      drop().catch((err) =>
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "kf cleanup failed"),
      );
    });
    implementKfAccountApi(ctx, sessions);
    implementKfSessionApi(ctx, sessions);
    addKfRoutes(ctx, sessions);
    return {
      async account(appid, kfAccount) {
        const kf = await kfOf(ctx.db, appid, kfAccount);
        return kf
          ? { kfAccount: kf.kf_account, nickname: kf.nickname, headimgurl: headimgUrl(ctx.runtime.url, kf) }
          : null;
      },
      async recordSent(to, kfAccount, message) {
        await appendRecord(ctx.db, to.appid, {
          openid: to.openid,
          worker: kfAccount,
          opercode: KF_SENT,
          text: outboundText(message),
          time: ctx.clock.nowSeconds(),
        });
        const s = await sessions.sessionOf(to.appid, to.userId);
        if (s?.kf_account === kfAccount) await sessions.touch(to.appid, to.userId);
      },
    };
  },
});
