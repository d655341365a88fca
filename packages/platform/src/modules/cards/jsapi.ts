/**
 * The card side of the JS-SDK (spec/jssdk.md §5.11, §6): addCard checks each cardExt signature
 * against every unexpired card api_ticket of the account and gives the cards (encrypted codes back),
 * chooseCard answers the user's cards filtered by the signed parameters (an empty list for a wrong
 * cardSign, as WeChat does), openCard shows a held card (user_view_card). Without the jssdk.card row
 * and the card grant every call answers `<api>:permission denied`.
 */
import { cardExtSignature, chooseCardSignature, mayCall } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { WechatApiError } from "../../http/errors.js";
import { getAccount } from "../accounts/index.js";
import { ensureIdentity } from "../simulated-users/index.js";
import { type CardsContext, claimCard, userCodeEvent } from "./claim.js";
import { codesOfUser, getCard, getCode, validApiTickets } from "./store.js";
import { encryptCode } from "./validate.js";

export interface AddCardItem {
  cardId: string;
  /** The JSON string the page signed. */
  cardExt: string;
}

export interface CardJsResult {
  errMsg: string;
  [key: string]: unknown;
}

/** The account if the JS card APIs are allowed for it, else the `permission denied` answer. */
async function allowed(ctx: CardsContext, appid: string, api: string): Promise<Account | CardJsResult> {
  const account = await getAccount(ctx.db, appid);
  if (!account) return { errMsg: `${api}:fail invalid appId` };
  const overrides = ctx.policiesFor(account).permissionOverrides;
  if (!mayCall(account, "jssdk.card", overrides) || !mayCall(account, "card", overrides)) {
    return { errMsg: `${api}:permission denied` };
  }
  return account;
}

const isResult = (v: Account | CardJsResult): v is CardJsResult => "errMsg" in v;

export async function addCard(
  ctx: CardsContext,
  userId: string,
  appid: string,
  list: AddCardItem[],
): Promise<CardJsResult> {
  const a = await allowed(ctx, appid, "addCard");
  if (isResult(a)) return a;
  const tickets = await validApiTickets(ctx.db, appid, ctx.clock.now());
  const out: Array<AddCardItem & { code: string; isSuccess: boolean }> = [];
  for (const item of list.slice(0, 10)) {
    let ext: Record<string, unknown>;
    try {
      ext = JSON.parse(item.cardExt) as Record<string, unknown>;
    } catch {
      return { errMsg: "addCard:fail invalid cardExt" };
    }
    const str = (k: string) => (typeof ext[k] === "string" ? (ext[k] as string) : undefined);
    const timestamp = ext.timestamp === undefined ? "" : String(ext.timestamp);
    const signed = tickets.some(
      (t) =>
        cardExtSignature({
          apiTicket: t,
          timestamp,
          cardId: item.cardId,
          ...(str("code") !== undefined ? { code: str("code") } : {}),
          ...(str("openid") !== undefined ? { openid: str("openid") } : {}),
          ...(str("nonce_str") !== undefined ? { nonceStr: str("nonce_str") } : {}),
        }) === str("signature"),
    );
    if (!signed) return { errMsg: "addCard:fail signature error" };
    try {
      const code = await claimCard(ctx, a, userId, {
        cardId: item.cardId,
        ...(str("code") !== undefined ? { code: str("code") } : {}),
        ...(str("openid") !== undefined ? { openid: str("openid") } : {}),
        ...(str("outer_str") !== undefined ? { outerStr: str("outer_str") } : {}),
      });
      out.push({ ...item, code: encryptCode(appid, code.code), isSuccess: true });
    } catch (err) {
      if (!(err instanceof WechatApiError)) throw err;
      return { errMsg: `addCard:fail ${err.errmsg}`, errcode: err.errcode };
    }
  }
  return { errMsg: "addCard:ok", cardList: out };
}

export interface ChooseCardParams {
  shopId?: string;
  cardType?: string;
  cardId?: string;
  timestamp?: string | number;
  nonceStr?: string;
  signType?: string;
  cardSign?: string;
}

export async function chooseCard(
  ctx: CardsContext,
  userId: string,
  appid: string,
  p: ChooseCardParams,
): Promise<CardJsResult> {
  const a = await allowed(ctx, appid, "chooseCard");
  if (isResult(a)) return a;
  const tickets = await validApiTickets(ctx.db, appid, ctx.clock.now());
  const signed = tickets.some(
    (t) =>
      chooseCardSignature({
        apiTicket: t,
        appId: appid,
        locationId: p.shopId ?? "",
        timestamp: p.timestamp ?? "",
        nonceStr: p.nonceStr ?? "",
        cardId: p.cardId ?? "",
        cardType: p.cardType ?? "",
      }) === p.cardSign,
  );
  if (!signed) return { errMsg: "chooseCard:ok", cardList: "[]" };
  const identity = await ensureIdentity(ctx, a, userId);
  const now = ctx.clock.now();
  const list = [];
  // What the user sees of each card in the picker, beside the list the page gets.
  const labels: string[] = [];
  for (const code of await codesOfUser(ctx.db, appid, identity.openid, p.cardId || undefined)) {
    if (code.status !== "NORMAL" || now >= code.end_at) continue;
    const card = await getCard(ctx.db, appid, code.card_id);
    if (!card || (p.cardType && card.card_type !== p.cardType)) continue;
    list.push({ card_id: code.card_id, encrypt_code: encryptCode(appid, code.code) });
    labels.push(`${card.card_type} · ${code.card_id} · ${code.code}`);
  }
  return { errMsg: "chooseCard:ok", cardList: JSON.stringify(list), labels };
}

export async function openCard(
  ctx: CardsContext,
  userId: string,
  appid: string,
  list: Array<{ cardId: string; code: string }>,
): Promise<CardJsResult> {
  const a = await allowed(ctx, appid, "openCard");
  if (isResult(a)) return a;
  for (const item of list.slice(0, 10)) {
    const code = await getCode(ctx.db, appid, item.code);
    if (!code || code.card_id !== item.cardId || code.user_id !== userId)
      return { errMsg: "openCard:fail invalid code" };
    await userCodeEvent(ctx, a, userId, code, "user_view_card");
  }
  return { errMsg: "openCard:ok" };
}
