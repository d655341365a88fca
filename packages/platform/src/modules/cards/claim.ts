/**
 * A user receiving a card (QR scan, addCard) under the platform rules of spec/applied-features.md
 * §3.6 — cards under review only for whitelisted users (40078), stock (45031), get_limit (45033),
 * custom codes (40116, 40146), validity — and the card events of §3.4 pushed to the developer's
 * server (card_pass_check as a system event; user_get_card, user_consume_card, user_del_card,
 * user_view_card for the user).
 */
import { ErrorCode } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import type { PushResult } from "../push/index.js";
import { ensureIdentity, getFollow } from "../simulated-users/index.js";
import {
  type Card,
  type CardCode,
  changeStock,
  countClaims,
  getCode,
  isWhitelisted,
  newCode,
  putCode,
  requireCard,
} from "./store.js";

export type CardsContext = ModuleContext<"accounts" | "simulated-users" | "push" | "qrcode">;

const DAY = 86_400_000;

declare module "../../events.js" {
  interface PlatformEventMap {
    "card.event": { appid: string; userId: string; event: string; cardId: string; code: string };
  }
}

/** The OpenID WeChat's system account uses as FromUserName of review events (emulator choice). */
export const SYSTEM_OPENID = "oSystemCardReview0000000000";

/** Push an event of the account to its developer server (`userId` "" for system events). */
export function pushAccountEvent(
  ctx: ModuleContext<"push">,
  account: Account,
  userId: string,
  openid: string,
  event: string,
  fields: Record<string, string>,
): Promise<PushResult> {
  return ctx.services.push.send({
    appid: account.appid,
    userId,
    message: {
      kind: "unknown",
      MsgType: "event",
      Event: event,
      ToUserName: account.originalId,
      FromUserName: openid,
      CreateTime: ctx.clock.nowSeconds(),
      fields,
    },
    wait: false,
  });
}

/** Push a card event; `userId` "" for system events (review results). */
export function pushCardEvent(
  ctx: CardsContext,
  account: Account,
  userId: string,
  openid: string,
  event: string,
  fields: Record<string, string>,
): Promise<PushResult> {
  ctx.events.emit("card.event", {
    appid: account.appid,
    userId,
    event,
    cardId: fields.CardId ?? "",
    code: fields.UserCardCode ?? "",
  });
  return pushAccountEvent(ctx, account, userId, openid, event, fields);
}

export interface ClaimRequest {
  cardId: string;
  /** Custom-code cards: the code given by the merchant (cardExt / QR). */
  code?: string;
  /** The code may only go to this user. */
  openid?: string;
  outerStr?: string;
}

function validity(c: Card, now: number): { begin: number; end: number } {
  if (c.begin_at !== null && c.end_at !== null) return { begin: c.begin_at, end: c.end_at };
  if (c.fixed_term > 0) {
    const begin = now + c.fixed_begin_term * DAY;
    return { begin, end: begin + c.fixed_term * DAY };
  }
  return { begin: now, end: now + 100 * 365 * DAY };
}

/** Give a card to a user (after every rule); pushes user_get_card. Returns the code. */
export async function claimCard(
  ctx: CardsContext,
  account: Account,
  userId: string,
  req: ClaimRequest,
): Promise<CardCode> {
  const c = await requireCard(ctx.db, account.appid, req.cardId, true);
  const identity = await ensureIdentity(ctx, account, userId);
  const openid = identity.openid;
  const now = ctx.clock.now();
  if (c.status === "CARD_STATUS_VERIFY_FAIL") throw new WechatApiError(ErrorCode.InvalidCardStatus);
  if (c.status === "CARD_STATUS_NOT_VERIFY" && !(await isWhitelisted(ctx.db, account.appid, openid))) {
    throw new WechatApiError(ErrorCode.InvalidCardStatus);
  }
  if (req.openid && req.openid !== openid) throw new WechatApiError(ErrorCode.CodeMarkedByOther);
  const { begin, end } = validity(c, now);
  if (end <= now) throw new WechatApiError(ErrorCode.InvalidCardTime);
  if ((await countClaims(ctx.db, c.card_id, openid)) >= c.get_limit)
    throw new WechatApiError(ErrorCode.GetLimitExceeded);
  let code = req.code ?? "";
  if (c.use_custom_code === 1) {
    if (!/^[0-9A-Za-z]{1,20}$/.test(code)) throw new WechatApiError(ErrorCode.InvalidCode40116);
    const existing = await getCode(ctx.db, account.appid, code);
    if (existing && (existing.card_id !== c.card_id || existing.status !== "DEPOSITED")) {
      throw new WechatApiError(ErrorCode.CodeMarkedByOther);
    }
  } else {
    code = newCode();
  }
  await changeStock(ctx.db, c, -1);
  const row: CardCode = {
    appid: account.appid,
    code,
    card_id: c.card_id,
    user_id: userId,
    openid,
    status: "NORMAL",
    outer_str: req.outerStr ?? "",
    begin_at: begin,
    end_at: end,
    received_at: now,
    consumed_at: null,
  };
  await putCode(ctx.db, row);
  await pushCardEvent(ctx, account, userId, openid, "user_get_card", {
    CardId: c.card_id,
    IsGiveByFriend: "0",
    UserCardCode: code,
    FriendUserName: "",
    OuterId: "0",
    OldUserCardCode: "",
    OuterStr: req.outerStr ?? "",
    IsRestoreMemberCard: "0",
    UnionId: "",
  });
  return row;
}

/** Whether a code may be redeemed now; the code otherwise answers 40099 / 40127 / 40079. */
export function consumable(code: CardCode, card: Card, now: number): void {
  if (code.status === "CONSUMED") throw new WechatApiError(ErrorCode.CodeConsumed);
  if (code.status !== "NORMAL" || card.status === "CARD_STATUS_DELETE") {
    throw new WechatApiError(ErrorCode.InvalidUserCardStatus);
  }
  if (now < code.begin_at || now >= code.end_at) throw new WechatApiError(ErrorCode.InvalidCardTime);
}

/** The review result reaches the developer as a system event. */
export async function pushReview(ctx: CardsContext, c: Card, pass: boolean, reason = ""): Promise<void> {
  const account = await getAccount(ctx.db, c.appid);
  if (!account) return;
  await pushCardEvent(
    ctx,
    account,
    "",
    SYSTEM_OPENID,
    pass ? "card_pass_check" : "card_not_pass_check",
    pass ? { CardId: c.card_id } : { CardId: c.card_id, RefuseReason: reason || "不符合卡券审核规范" },
  );
}

/** A user's own action on a code they hold: delete it, or view it (openCard). */
export async function userCodeEvent(
  ctx: CardsContext,
  account: Account,
  userId: string,
  code: CardCode,
  event: "user_del_card" | "user_view_card",
): Promise<void> {
  const follow = await getFollow(ctx.db, account.appid, userId);
  await pushCardEvent(ctx, account, userId, follow?.openid ?? code.openid, event, {
    CardId: code.card_id,
    UserCardCode: code.code,
    ...(event === "user_view_card" ? { OuterStr: code.outer_str } : {}),
  });
}
