/**
 * The card calls of the simulated in-app browser (spec/jssdk.md §5.11): the bridge names jweixin
 * invokes for `wx.addCard` (`batchAddCard`), `wx.chooseCard` (`chooseCard`) and `wx.openCard`
 * (`batchViewCard`), answered by this module's JS card services (jsapi.ts) for the account of the
 * page's `wx.config`, in the native shape jweixin converts (`card_list` and `choose_card_info` as
 * JSON strings). addCard gives the cards and openCard shows them at once; chooseCard lists the
 * user's cards that match the signed filters in a native sheet and answers with those the user
 * picks (cancel: `chooseCard:cancel`; no matching card: an empty list at once).
 */
import { type BridgeCall, type BridgeHandler, cancel, chooseSheet, infoSheet } from "../jssdk/index.js";
import type { CardServices } from "./index.js";
import type { CardJsResult } from "./jsapi.js";

const MAX_ITEMS = 10;
const MAX_TEXT = 4096;

const text = (v: unknown, max = MAX_TEXT): string | undefined =>
  typeof v === "string" ? v.slice(0, max) : typeof v === "number" ? String(v) : undefined;

/** The `card_list` items jweixin sends (`{card_id, card_ext}` or `{card_id, code}`), or null. */
function cardList(call: BridgeCall, second: "card_ext" | "code"): Array<[string, string]> | null {
  const list = call.args.card_list;
  if (!Array.isArray(list) || list.length === 0) return null;
  const out: Array<[string, string]> = [];
  for (const item of list.slice(0, MAX_ITEMS)) {
    const o = item && typeof item === "object" ? (item as Record<string, unknown>) : {};
    const id = text(o.card_id, 64);
    if (!id) return null;
    out.push([id, text(o[second]) ?? ""]);
  }
  return out;
}

/** The service's `errMsg` under the invoked bridge name (jweixin maps it back to the wx name). */
const native = (call: BridgeCall, r: CardJsResult) =>
  `${call.name}:${r.errMsg.slice(r.errMsg.indexOf(":") + 1)}`;
const isOk = (r: CardJsResult) => r.errMsg.endsWith(":ok");
const invalid = (call: BridgeCall) => ({ result: { err_msg: `${call.name}:fail, invalid card_list` } });

export function cardBridgeHandlers(cards: CardServices): Record<string, BridgeHandler> {
  return {
    async batchAddCard(call) {
      const list = cardList(call, "card_ext");
      if (!call.account || !list) return invalid(call);
      const items = list.map(([cardId, cardExt]) => ({ cardId, cardExt }));
      const r = await cards.addCard(call.user.id, call.account.appid, items);
      if (!isOk(r)) return { result: { err_msg: native(call, r) } };
      const got = (r.cardList ?? []) as Array<{
        cardId: string;
        cardExt: string;
        code: string;
        isSuccess: boolean;
      }>;
      const cardListJson = JSON.stringify(
        got.map((c) => ({
          card_id: c.cardId,
          card_ext: c.cardExt,
          code: c.code,
          is_succ: c.isSuccess ? 1 : 0,
        })),
      );
      return {
        result: { err_msg: native(call, r), card_list: cardListJson },
        directive: infoSheet(
          "已放入卡包 · Added to the card holder",
          got.map((c) => c.cardId),
        ),
      };
    },
    async chooseCard(call) {
      if (!call.account) return invalid(call);
      const a = call.args;
      const r = await cards.chooseCard(call.user.id, call.account.appid, {
        shopId: text(a.location_id, 64) ?? "",
        cardType: text(a.card_type, 64) ?? "",
        cardId: text(a.card_id, 64) ?? "",
        timestamp: text(a.time_stamp, 32) ?? "",
        nonceStr: text(a.nonce_str, 64) ?? "",
        signType: text(a.sign_type, 16) ?? "SHA1",
        cardSign: text(a.card_sign, 128) ?? "",
      });
      if (!isOk(r)) return { result: { err_msg: native(call, r) } };
      const found = JSON.parse(String(r.cardList ?? "[]")) as unknown[];
      const answer = (picked: unknown[]) => ({
        result: { err_msg: native(call, r), choose_card_info: JSON.stringify(picked) },
      });
      if (found.length === 0) return answer([]);
      const labels = (r.labels ?? []) as string[];
      return chooseSheet(
        call,
        {
          title: "选择卡券 · Choose cards",
          options: found.map((_, i) => ({ value: String(i), label: labels[i] ?? String(i) })),
          multiple: true,
        },
        async (chosen) =>
          chosen === null ? { result: cancel(call.name) } : answer(chosen.map((i) => found[Number(i)])),
      );
    },
    async batchViewCard(call) {
      const list = cardList(call, "code");
      if (!call.account || !list) return invalid(call);
      const items = list.map(([cardId, code]) => ({ cardId, code }));
      const r = await cards.openCard(call.user.id, call.account.appid, items);
      if (!isOk(r)) return { result: { err_msg: native(call, r) } };
      return {
        result: { err_msg: native(call, r) },
        directive: infoSheet(
          "卡券 · Card",
          items.map((i) => `${i.cardId} · ${i.code}`),
        ),
      };
    },
  };
}
