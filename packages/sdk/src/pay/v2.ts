/**
 * WeChat Pay v2 for a merchant's server (spec/applied-features.md §1.2–§1.6): signed XML calls
 * (unified order, query, close, refund, refund query), the JSAPI pay parameters with paySign for
 * `WeixinJSBridge` / `wx.chooseWXPay`, and the notification side — verify a payment notification,
 * decrypt a refund notification's `req_info`, answer either. Works against WeChat and the platform.
 */
import {
  buildXml,
  decryptRefundReqInfo,
  type PaySignType,
  parseXml,
  paySign,
  verifyPaySign,
} from "@mpstack/protocol";
import { type PayFetch, payNonce, unixSeconds, WECHAT_PAY_HOST, WechatPayError } from "./common.js";

export interface PayV2Options {
  appId: string;
  mchId: string;
  /** The API v2 key (32 characters). */
  apiKey: string;
  signType?: PaySignType;
  /** Default https://api.mch.weixin.qq.com; the platform's URL for local work. */
  baseUrl?: string;
  fetch?: PayFetch;
}

export type PayFields = Record<string, string>;
type Params = Record<string, string | number | undefined>;

/** The parameters a page passes to getBrandWCPayRequest (chooseWXPay takes `timestamp` instead of `timeStamp`). */
export interface JsapiPayParameters {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

export class PayV2Client {
  private readonly base: string;
  private readonly signType: PaySignType;
  private readonly fetchFn: PayFetch;

  constructor(private readonly o: PayV2Options) {
    this.base = (o.baseUrl ?? WECHAT_PAY_HOST).replace(/\/+$/, "");
    this.signType = o.signType ?? "MD5";
    this.fetchFn = o.fetch ?? ((url, init) => fetch(url, init));
  }

  /** A signed call; resolves the answer's fields once return_code and result_code are SUCCESS and its sign verifies. */
  async call(path: string, params: Params): Promise<PayFields> {
    const body: Params = { appid: this.o.appId, mch_id: this.o.mchId, nonce_str: payNonce(), ...params };
    if (this.signType !== "MD5") body.sign_type = this.signType;
    body.sign = paySign(body, this.o.apiKey, this.signType);
    const res = await this.fetchFn(this.base + path, {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8" },
      body: buildXml(body),
    });
    const fields = parseXml(await res.text()) as PayFields;
    if (fields.return_code !== "SUCCESS")
      throw new WechatPayError(fields.return_msg ?? "FAIL", fields.return_msg ?? "", res.status, fields);
    if (!verifyPaySign(fields, this.o.apiKey, this.signType)) {
      throw new WechatPayError("SIGN_MISMATCH", "the answer's sign does not verify", res.status, fields);
    }
    if (fields.result_code !== "SUCCESS") {
      throw new WechatPayError(fields.err_code ?? "FAIL", fields.err_code_des ?? "", res.status, fields);
    }
    return fields;
  }

  unifiedOrder(
    p: Params & { body: string; out_trade_no: string; total_fee: number; notify_url: string },
  ): Promise<PayFields> {
    return this.call("/pay/unifiedorder", { trade_type: "JSAPI", spbill_create_ip: "127.0.0.1", ...p });
  }

  orderQuery(by: { out_trade_no: string } | { transaction_id: string }): Promise<PayFields> {
    return this.call("/pay/orderquery", by);
  }

  closeOrder(outTradeNo: string): Promise<PayFields> {
    return this.call("/pay/closeorder", { out_trade_no: outTradeNo });
  }

  refund(p: Params & { out_refund_no: string; total_fee: number; refund_fee: number }): Promise<PayFields> {
    return this.call("/secapi/pay/refund", p);
  }

  refundQuery(by: Params): Promise<PayFields> {
    return this.call("/pay/refundquery", by);
  }

  /** The JSAPI parameters for a prepay_id, signed over appId, timeStamp, nonceStr, package, signType. */
  jsapiParams(prepayId: string): JsapiPayParameters {
    const p = {
      appId: this.o.appId,
      timeStamp: unixSeconds(),
      nonceStr: payNonce(),
      package: `prepay_id=${prepayId}`,
      signType: this.signType,
    };
    return { ...p, paySign: paySign(p, this.o.apiKey, this.signType) };
  }

  /** A payment notification's fields once its sign verifies (every field takes part); throws otherwise. */
  verifyNotification(xml: string): PayFields {
    const fields = parseXml(xml) as PayFields;
    const type = (fields.sign_type as PaySignType | undefined) ?? "MD5";
    if (fields.return_code !== "SUCCESS" || !verifyPaySign(fields, this.o.apiKey, type)) {
      throw new WechatPayError("SIGN_MISMATCH", "the notification's sign does not verify", 200, fields);
    }
    if (fields.appid !== this.o.appId || fields.mch_id !== this.o.mchId) {
      throw new WechatPayError(
        "MCH_MISMATCH",
        "the notification is for another appid or merchant",
        200,
        fields,
      );
    }
    return fields;
  }

  /** A refund notification's `req_info`, decrypted (AES-256-ECB with the MD5 of the API key). */
  decryptRefundNotification(xml: string): PayFields {
    const outer = parseXml(xml) as PayFields;
    if (outer.mch_id !== this.o.mchId || !outer.req_info) {
      throw new WechatPayError("MCH_MISMATCH", "not a refund notification of this merchant", 200, outer);
    }
    return parseXml(decryptRefundReqInfo(outer.req_info, this.o.apiKey)) as PayFields;
  }

  /** The answer to a notification: SUCCESS, or FAIL with a reason (WeChat then retries). */
  static answer(ok: boolean, message = ok ? "OK" : "FAIL"): string {
    return buildXml({ return_code: ok ? "SUCCESS" : "FAIL", return_msg: message });
  }
}
