/**
 * The kf module's side of pushes (the push module's InboundRouter; spec/customer-service.md §6.6,
 * §8): a user in an open session talks to the worker (2003 record, not pushed); a waiting user's
 * messages are still pushed and keep the queue entry fresh; `transfer_customer_service` puts the
 * user in the queue (pinned to TransInfo's account when it exists) and auto-accepting workers take
 * it. Transfers of an account without the 多客服 row, or with the feature off, are dropped (§8.1).
 */
import { mayCall, parseInbound } from "@mpstack/protocol";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import type { InboundRouter } from "../push/index.js";
import { kfOf } from "./accounts.js";
import { kfPolicies } from "./policy.js";
import { appendRecord, inboundText, KF_RECEIVED } from "./records.js";
import type { KfSessions } from "./sessions.js";

export function kfInboundRouter(ctx: ModuleContext, sessions: KfSessions): InboundRouter {
  return {
    async route({ account, userId, openid, message }) {
      // Two key lookups on the hot path: the user's session, else their queue entry.
      const text = inboundText(message);
      const s = await sessions.sessionOf(account.appid, userId);
      if (s && !(await sessions.expireOne(account, s))) {
        await sessions.touch(account.appid, userId);
        await appendRecord(ctx.db, account.appid, {
          openid,
          worker: s.kf_account,
          opercode: KF_RECEIVED,
          text,
          time: ctx.clock.nowSeconds(),
        });
        ctx.events.emit("kf.message", {
          appid: account.appid,
          userId,
          kfAccount: s.kf_account,
          direction: "in",
          text,
        });
        return "customer_service";
      }
      await sessions.stillWaiting(account.appid, userId, text);
      return "push";
    },

    async transferred({ appid, userId, openid, kfAccount, xml }) {
      const account = await getAccount(ctx.db, appid);
      if (!account) return;
      const policy = await kfPolicies.of(ctx.db, appid);
      if (!policy.enabled || !mayCall(account, "kf.records", ctx.policiesFor(account).permissionOverrides)) {
        ctx.log.warn(
          { appid },
          "transfer_customer_service dropped: no multi-customer-service for this account",
        );
        return;
      }
      await sessions.expire(appid);
      if (await sessions.sessionOf(appid, userId)) return;
      // An unknown TransInfo account counts as none (§8.1, emulator decision).
      const pinned = kfAccount && (await kfOf(ctx.db, appid, kfAccount)) ? kfAccount : "";
      // Already waiting: route() queued this message's text when it arrived.
      const waiting = await sessions.waitcaseOf(appid, userId);
      const text = waiting ? null : inboundText(parseInbound(xml));
      await sessions.enqueue(appid, { userId, openid }, pinned || waiting?.kf_account || "", text);
      await sessions.autoAssign(account);
    },
  };
}
