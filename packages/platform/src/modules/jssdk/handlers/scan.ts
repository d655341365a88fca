/**
 * `scanQRCode` (spec/jssdk.md §5.9): the user points the simulated camera at one of the account's
 * QR codes, types what a code says, or enters a bar code. `needResult: 1` hands the content to the
 * page (`resultStr`; bar codes as `EAN_13,<digits>`); `needResult: 0` lets WeChat handle it: a
 * platform QR code is scanned through the qrcode module (subscribe or SCAN pushed to the
 * developer), a link opens, other text is shown.
 */
import { findByUrl, isExpired, listQrcodes, scanQrcode } from "../../qrcode/index.js";
import type { BridgeAnswer, BridgeCall, BridgeHandler } from "../apis.js";
import { cancel, ok } from "../apis.js";
import type { Toolkit } from "./toolkit.js";

const MAX_CODES = 30;
const MAX_TEXT = 4096;

interface ScanChoice {
  text?: unknown;
  barcode?: unknown;
  format?: unknown;
}

export function scanHandlers(kit: Toolkit): Record<string, BridgeHandler> {
  const { ctx } = kit;
  const handle = async (
    call: BridgeCall,
    needResult: boolean,
    choice: ScanChoice | null,
  ): Promise<BridgeAnswer> => {
    const barcode = typeof choice?.barcode === "string" ? choice.barcode.replace(/\D/g, "").slice(0, 64) : "";
    const text = typeof choice?.text === "string" ? choice.text.slice(0, MAX_TEXT) : "";
    if (!barcode && !text) return { result: cancel(call.name) };
    if (barcode) {
      const format =
        typeof choice?.format === "string" && /^[A-Z_0-9]{2,20}$/.test(choice.format)
          ? choice.format
          : "EAN_13";
      const resultStr = `${format},${barcode}`;
      return {
        result: ok(call.name, needResult ? { resultStr } : {}),
        ...(needResult ? {} : { directive: { kind: "notice", text: resultStr } }),
      };
    }
    if (needResult) return { result: ok(call.name, { resultStr: text }) };
    const code = await findByUrl(ctx.db, text);
    if (code) {
      if (!isExpired(code, ctx.clock.now())) await scanQrcode(ctx, call.user.id, { url: text, follow: true });
      else
        return {
          result: ok(call.name),
          directive: { kind: "notice", text: "二维码已过期 · The QR code has expired" },
        };
      return { result: ok(call.name) };
    }
    if (/^https?:\/\//i.test(text))
      return { result: ok(call.name), directive: { kind: "navigate", url: text } };
    return { result: ok(call.name), directive: { kind: "notice", text } };
  };
  return {
    async scanQRCode(call) {
      const needResult = Number(call.args.needResult) === 1;
      const now = ctx.clock.now();
      const codes = call.account
        ? (await listQrcodes(ctx.db, call.account.appid, { limit: MAX_CODES }))
            .filter((c) => !isExpired(c, now))
            .map((c) => ({ url: c.url, label: `${c.actionName} ${c.scene}` }))
        : [];
      return {
        result: ok(call.name),
        directive: { kind: "scan", codes, needResult, scanType: call.args.scanType ?? ["qrCode", "barCode"] },
        next: (choice) => handle(call, needResult, choice as ScanChoice | null),
      };
    },
  };
}
