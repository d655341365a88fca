/**
 * `wx.openProductSpecificView` in the simulated in-app browser (spec/jssdk.md §5.10): jweixin
 * invokes `openProductViewWithPid` with `pid` and `view_type`; the shop's product (of the account of
 * the page's wx.config) is shown in a sheet over the page, as WeChat opens its product page, and the
 * call answers at once. An unknown product answers `fail`.
 */
import { type BridgeHandler, infoSheet } from "../jssdk/index.js";
import type { ShopServices } from "./index.js";

/** The view types WeChat documents: normal, scan, shop product page. */
const VIEWS = ["商品详情 · Product", "扫一扫商品 · Scanned product", "小店商品 · Shop product"];

export function shopBridgeHandler(shop: ShopServices): BridgeHandler {
  return async (call) => {
    const pid = typeof call.args.pid === "string" ? call.args.pid.slice(0, 64) : "";
    if (!call.account || !pid) return { result: { err_msg: `${call.name}:fail, invalid productId` } };
    const r = await shop.openProduct(call.user.id, call.account.appid, pid);
    const err_msg = `${call.name}:${r.errMsg.slice(r.errMsg.indexOf(":") + 1)}`;
    if (!r.product) return { result: { err_msg } };
    const base = (r.product.product_base ?? {}) as Record<string, unknown>;
    const skus = Array.isArray(r.product.sku_list)
      ? (r.product.sku_list as Array<Record<string, unknown>>)
      : [];
    const prices = skus.map((s) => `¥${(Number(s.price ?? 0) / 100).toFixed(2)} · ${String(s.sku_id ?? "")}`);
    const view = VIEWS[Number(call.args.view_type)] ?? VIEWS[0]!;
    return {
      result: { err_msg },
      directive: infoSheet(`${view}: ${String(base.name ?? pid)}`, [pid, ...prices]),
    };
  };
}
