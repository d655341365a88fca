/**
 * Card signature helpers for pages (spec/jssdk.md §6): the `cardExt` of `wx.addCard` with its
 * signature, and the `cardSign` parameters of `wx.chooseCard`, both over the card `api_ticket`.
 */
import { cardExtSignature, chooseCardSignature } from "@mpstack/protocol";
import { payNonce, unixSeconds } from "./common.js";

export interface AddCardInput {
  /** The card api_ticket (`ticket/getticket?type=wx_card`), not the jsapi ticket. */
  apiTicket: string;
  cardId: string;
  /** Required for use_custom_code cards. */
  code?: string;
  /** Only this user may claim it (bind_openid cards). */
  openid?: string;
  /** Returned as OuterStr in the user_get_card event. */
  outerStr?: string;
  fixedBeginTimestamp?: number;
}

/** One entry of `wx.addCard({ cardList })`: the card id and its signed cardExt (a JSON string). */
export function addCardEntry(i: AddCardInput): { cardId: string; cardExt: string } {
  const timestamp = unixSeconds();
  const nonce_str = payNonce(8);
  const signature = cardExtSignature({
    apiTicket: i.apiTicket,
    timestamp,
    cardId: i.cardId,
    ...(i.code !== undefined ? { code: i.code } : {}),
    ...(i.openid !== undefined ? { openid: i.openid } : {}),
    nonceStr: nonce_str,
  });
  const ext = {
    ...(i.code !== undefined ? { code: i.code } : {}),
    ...(i.openid !== undefined ? { openid: i.openid } : {}),
    timestamp,
    nonce_str,
    ...(i.fixedBeginTimestamp !== undefined ? { fixed_begintimestamp: i.fixedBeginTimestamp } : {}),
    ...(i.outerStr !== undefined ? { outer_str: i.outerStr } : {}),
    signature,
  };
  return { cardId: i.cardId, cardExt: JSON.stringify(ext) };
}

export interface ChooseCardInput {
  apiTicket: string;
  appId: string;
  shopId?: string;
  cardType?: string;
  cardId?: string;
}

/** The parameters of `wx.chooseCard` (timestamp, nonceStr, signType SHA1, cardSign and the filters). */
export function chooseCardParams(i: ChooseCardInput) {
  const timestamp = unixSeconds();
  const nonceStr = payNonce(8);
  return {
    shopId: i.shopId ?? "",
    cardType: i.cardType ?? "",
    cardId: i.cardId ?? "",
    timestamp,
    nonceStr,
    signType: "SHA1",
    cardSign: chooseCardSignature({
      apiTicket: i.apiTicket,
      appId: i.appId,
      locationId: i.shopId ?? "",
      timestamp,
      nonceStr,
      cardId: i.cardId ?? "",
      cardType: i.cardType ?? "",
    }),
  };
}
