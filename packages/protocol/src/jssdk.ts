/** JS-SDK page and card signatures (spec/jssdk.md §3, §6). */
import { sha1Hex } from "./signature.js";

export interface JssdkSignatureInput {
  jsapiTicket: string;
  nonceStr: string;
  timestamp: string | number;
  /** The full page URL; a `#fragment` is removed before signing. */
  url: string;
}

/** The URL a page signature covers: the full URL without `#` and what follows. */
export function jssdkSignedUrl(url: string): string {
  const hash = url.indexOf("#");
  return hash < 0 ? url : url.slice(0, hash);
}

/**
 * `wx.config` signature: SHA-1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (keys in ASCII order,
 * raw values, no URL-encoding), lower-case hex.
 */
export function jssdkSignature(input: JssdkSignatureInput): string {
  return sha1Hex(
    `jsapi_ticket=${input.jsapiTicket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}` +
      `&url=${jssdkSignedUrl(input.url)}`,
  );
}

/** Card signature scheme: the values (absent ones as "") sorted as strings, joined, SHA-1. */
export function cardSignature(values: string[]): string {
  return sha1Hex([...values].sort().join(""));
}

export interface CardExtSignatureInput {
  /** The card `api_ticket` (`type=wx_card`), not the jsapi ticket. */
  apiTicket: string;
  timestamp: string | number;
  cardId: string;
  code?: string;
  openid?: string;
  nonceStr?: string;
}

/** `cardExt.signature` for `wx.addCard` (spec/jssdk.md §6.2). */
export function cardExtSignature(input: CardExtSignatureInput): string {
  return cardSignature([
    input.apiTicket,
    String(input.timestamp),
    input.cardId,
    input.code ?? "",
    input.openid ?? "",
    input.nonceStr ?? "",
  ]);
}

export interface ChooseCardSignatureInput {
  apiTicket: string;
  appId: string;
  locationId?: string;
  timestamp: string | number;
  nonceStr: string;
  cardId?: string;
  cardType?: string;
}

/** `cardSign` for `wx.chooseCard` (spec/jssdk.md §6.3); `app_id` takes part. */
export function chooseCardSignature(input: ChooseCardSignatureInput): string {
  return cardSignature([
    input.apiTicket,
    input.appId,
    input.locationId ?? "",
    String(input.timestamp),
    input.nonceStr,
    input.cardId ?? "",
    input.cardType ?? "",
  ]);
}
