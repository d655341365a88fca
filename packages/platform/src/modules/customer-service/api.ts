/** `message/custom/send` and `message/custom/typing` (customer-service.md §2–§4). */
import { CUSTOM_MESSAGE_TYPES, catalog, ErrorCode } from "@mpstack/protocol";
import { Value } from "@sinclair/typebox/value";
import type { ModuleContext } from "../../context.js";
import { withAnyJsonBody } from "../../http/api.js";
import { ok, WechatApiError } from "../../http/errors.js";
import type { Account } from "../accounts/types.js";
import { findByOpenid } from "../users/store.js";
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
import { grantsOf, liveGrants } from "./window.js";

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

export function implementCustomerServiceApi(ctx: ModuleContext): void {
  const sendSchema = catalog.message.sendCustom.request;

  ctx.implement(withAnyJsonBody(catalog.message.sendCustom), async (call) => {
    const body = call.input as Record<string, unknown>;
    const account = call.account;
    const policy = await csPolicyFor(ctx.db, account.appid);
    const { message, links } = validateMessage(body, account, policy, CUSTOM_MESSAGE_TYPES);
    const to = await recipientOf(ctx, account, body.touser);
    // The checks above build the catalog's message; this guards them against drifting apart.
    if (!Value.Check(sendSchema, { ...message, touser: to.openid }))
      throw new WechatApiError(ErrorCode.DataFormatError);
    // The kf_account is not checked (65401): customer-service accounts are not modelled yet.
    const r = await deliverCustomMessage(ctx, to, message, links, policy.profile);
    if (!r.ok) throw windowError(r.reason);
    return ok();
  });

  ctx.implement(withAnyJsonBody(catalog.message.sendTyping), async (call) => {
    const body = call.input as Record<string, unknown>;
    const account = call.account;
    const command = body.command;
    if (command !== "Typing" && command !== "CancelTyping")
      throw new WechatApiError(ErrorCode.InvalidCommand);
    const to = await recipientOf(ctx, account, body.touser);
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
  });
}
