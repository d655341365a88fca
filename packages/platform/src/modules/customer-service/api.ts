/** `message/custom/send` and `message/custom/typing` (customer-service.md §2–§4). */
import { CUSTOM_MESSAGE_TYPES, catalog, ErrorCode } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { findByOpenid } from "../simulated-users/index.js";
import { csPolicyFor } from "./policy.js";
import {
  clearTyping,
  deliverCustomMessage,
  lastInteractionAt,
  type Recipient,
  startTyping,
  typingState,
} from "./store.js";
import { validateMessage } from "./validate.js";
import { grantsOf, liveGrants } from "./window-grants.js";

const windowError = (reason: "no_window" | "count_used_up") =>
  new WechatApiError(
    reason === "no_window" ? ErrorCode.ResponseOutOfTimeLimit : ErrorCode.OutOfResponseCountLimit,
  );

/**
 * The follower `touser` names: missing, empty or not of this account → 40003; no longer following →
 * 45015 (§2.3 step 2). A missing `touser` is "invalid openid" too (emulator decision).
 */
async function recipientOf(ctx: ModuleContext, account: Account, touser: unknown): Promise<Recipient> {
  if (touser !== undefined && touser !== null && typeof touser !== "string")
    throw new WechatApiError(ErrorCode.DataFormatError);
  if (typeof touser !== "string" || touser === "") throw new WechatApiError(ErrorCode.InvalidOpenId);
  const f = await findByOpenid(ctx.db, account.appid, touser);
  if (!f) throw new WechatApiError(ErrorCode.InvalidOpenId);
  if (f.subscribed !== 1) throw new WechatApiError(ErrorCode.ResponseOutOfTimeLimit);
  return { appid: account.appid, userId: f.user_id, openid: f.openid };
}

export function implementCustomerServiceApi(ctx: ModuleContext<"kf">): void {
  ctx.implement(
    catalog.message.sendCustom,
    // The message's own checks first (§2.3 step 1), then the recipient (step 2).
    async (body, { account }) => {
      const policy = await csPolicyFor(ctx.db, account.appid);
      const { message, links } = validateMessage(body, account, policy, CUSTOM_MESSAGE_TYPES);
      const to = await recipientOf(ctx, account, body.touser);
      return { message, links, to, policy };
    },
    async (call) => {
      const { message, links, to, policy } = call.input;
      // Sent as a customer-service account: it must exist (65401); the send becomes a 2002 record.
      const kfAccount = message.customservice?.kf_account;
      if (kfAccount && !(await ctx.services.kf.account(to.appid, kfAccount)))
        throw new WechatApiError(ErrorCode.InvalidCustomServiceAccount);
      const r = await deliverCustomMessage(ctx, to, message, links, policy.profile);
      if (!r.ok) throw windowError(r.reason);
      if (kfAccount) await ctx.services.kf.recordSent(to, kfAccount, message);
      return ok();
    },
  );

  ctx.implement(
    catalog.message.sendTyping,
    async (body, { account }) => {
      const command = body.command;
      if (command !== "Typing" && command !== "CancelTyping")
        throw new WechatApiError(ErrorCode.InvalidCommand);
      return { command, to: await recipientOf(ctx, account, body.touser) };
    },
    async (call) => {
      const { command, to } = call.input;
      const account = call.account;
      const now = ctx.clock.now();
      // Cancelling needs no window and succeeds when nothing is showing (§4, emulator decision).
      if (command === "CancelTyping") {
        await clearTyping(ctx.db, to.appid, to.userId);
        return ok();
      }
      const policy = await csPolicyFor(ctx.db, account.appid);
      // Typing needs a live window but uses no message of it (§2.3 step 3).
      const live = liveGrants(await grantsOf(ctx.db, to.appid, to.userId, policy.profile), now);
      if (live.length === 0) throw new WechatApiError(ErrorCode.ResponseOutOfTimeLimit);
      const last = await lastInteractionAt(ctx.db, to.appid, to.userId);
      if (last === null || now - last > policy.typingInteractionSeconds * 1000)
        throw new WechatApiError(ErrorCode.NoRecentInteractionForTyping);
      if ((await typingState(ctx.db, to.appid, to.userId, now)).typing)
        throw new WechatApiError(ErrorCode.AlreadyTyping);
      await startTyping(ctx.db, to, now, policy.typingSeconds);
      return ok();
    },
  );
}
