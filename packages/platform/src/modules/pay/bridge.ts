/**
 * Paying from a page in the simulated in-app browser (spec/applied-features.md §1.4, jssdk.md
 * §5.12): `WeixinJSBridge.invoke('getBrandWCPayRequest', params)` — which is also what WeChat's
 * jweixin sends for `wx.chooseWXPay` — checks the parameters, opens a pay session and shows its
 * sheet over the page; the page's callback gets `get_brand_wcpay_request:ok|cancel|fail` only once
 * the user has paid, cancelled or failed on the sheet (jweixin turns it into `chooseWXPay:…`).
 * Closing the sheet without an answer cancels the session, as dismissing WeChat's cashier does.
 */
import { type BridgeAnswer, type BridgeCall, type BridgeHandler, overlayPage } from "../jssdk/index.js";
import { type JsapiPayParams, PAY_RESULT_MESSAGE, type PaySheets, type StartPaymentInput } from "./sheet.js";

const MAX_FIELD = 1024;

const field = (v: unknown): string | undefined =>
  typeof v === "string" ? v.slice(0, MAX_FIELD) : typeof v === "number" ? String(v) : undefined;

/** The JSAPI pay fields of a bridge call (jweixin passes `timeStamp`; pages calling the bridge may too). */
function payParams(args: Record<string, unknown>): JsapiPayParams {
  const out: JsapiPayParams = {};
  for (const k of [
    "appId",
    "timeStamp",
    "timestamp",
    "nonceStr",
    "package",
    "signType",
    "paySign",
  ] as const) {
    const v = field(args[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function payBridgeHandler(sheets: PaySheets): BridgeHandler {
  return async (call: BridgeCall): Promise<BridgeAnswer> => {
    // A page invoking the bridge with the wx name gets answers under that name.
    const via: StartPaymentInput["via"] =
      call.name === "chooseWXPay" ? "chooseWXPay" : "getBrandWCPayRequest";
    const started = await sheets.start({
      userId: call.user.id,
      via,
      params: payParams(call.args),
      pageUrl: call.url,
      ...(call.page ? { configAppId: call.page.appid } : {}),
    });
    if (!started.ok) return { result: { err_msg: started.errMsg, err_desc: started.reason } };
    const prefix = via === "chooseWXPay" ? "chooseWXPay" : "get_brand_wcpay_request";
    const sheet = { path: started.sheetPath, message: PAY_RESULT_MESSAGE, title: "微信支付 · WeChat Pay" };
    return overlayPage(call, sheet, async () => {
      // The session's own answer; a sheet still pending was closed by the user: cancelled.
      const s = await sheets.answer(started.sessionId, call.user.id, "cancel");
      if (typeof s === "string") return { result: { err_msg: `${prefix}:fail`, err_desc: s } };
      return { result: { err_msg: s.errMsg } };
    });
  };
}
