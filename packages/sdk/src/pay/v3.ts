/**
 * WeChat Pay API v3 for a merchant's server (spec/applied-features.md §1.7–§1.9): requests signed
 * with the merchant key (`Authorization: WECHATPAY2-SHA256-RSA2048 …`), answers verified with the
 * platform certificates (downloaded from /v3/certificates and decrypted with the APIv3 key), the
 * JSAPI parameters with an RSA paySign, and notifications verified and decrypted.
 */
import { createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import {
  decryptAeadResource,
  payV3JsapiMessage,
  rsaSha256Sign,
  signPayV3Request,
  verifyPayV3Response,
} from "@mpstack/protocol";
import { type PayFetch, payNonce, unixSeconds, WECHAT_PAY_HOST, WechatPayError } from "./common.js";
import type { JsapiPayParameters } from "./v2.js";

export interface PayV3Options {
  appId: string;
  mchId: string;
  /** Serial number of the merchant API certificate. */
  serialNo: string;
  /** The merchant's private key (PEM). */
  privateKey: string;
  /** The APIv3 key (32 bytes). */
  apiV3Key: string;
  /** Known platform certificates by serial (PEM); others are downloaded when first needed. */
  platformCertificates?: Record<string, string>;
  baseUrl?: string;
  fetch?: PayFetch;
  /** Refuse answers and notifications whose timestamp is further off than this (default 300 s). */
  maxSkewSeconds?: number;
}

export interface SignedMessage {
  /** Header values (any case of the names). */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface V3Notification<T = Record<string, unknown>> {
  id: string;
  event_type: string;
  summary: string;
  create_time: string;
  /** The decrypted resource (transaction or refund object). */
  resource: T;
}

const header = (h: SignedMessage["headers"], name: string): string => {
  for (const [k, v] of Object.entries(h))
    if (k.toLowerCase() === name) return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
  return "";
};

export class PayV3Client {
  private readonly base: string;
  private readonly fetchFn: PayFetch;
  private readonly certs = new Map<string, KeyObject>();

  constructor(private readonly o: PayV3Options) {
    this.base = (o.baseUrl ?? WECHAT_PAY_HOST).replace(/\/+$/, "");
    this.fetchFn = o.fetch ?? ((url, init) => fetch(url, init));
    for (const [serial, pem] of Object.entries(o.platformCertificates ?? {})) {
      this.certs.set(serial.toUpperCase(), createPublicKey(pem));
    }
  }

  /** A signed call; resolves the JSON answer (or null for 204) after verifying its signature. */
  async request<T = Record<string, unknown>>(
    method: "GET" | "POST",
    pathWithQuery: string,
    body?: unknown,
  ): Promise<T> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const authorization = signPayV3Request({
      mchid: this.o.mchId,
      serialNo: this.o.serialNo,
      privateKey: this.o.privateKey,
      method,
      pathWithQuery,
      body: text,
      timestamp: unixSeconds(),
      nonce: payNonce(),
    });
    const res = await this.fetchFn(this.base + pathWithQuery, {
      method,
      headers: { authorization, accept: "application/json", "content-type": "application/json" },
      ...(method === "POST" ? { body: text } : {}),
    });
    const answer = await res.text();
    const json: unknown = answer === "" ? null : JSON.parse(answer);
    if (res.status >= 300) {
      const e = (json ?? {}) as { code?: string; message?: string };
      throw new WechatPayError(e.code ?? String(res.status), e.message ?? "", res.status, json);
    }
    if (!pathWithQuery.startsWith("/v3/certificates")) {
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        headers[k] = v;
      });
      await this.verify({ headers, body: answer });
    }
    return json as T;
  }

  jsapi(
    order: Record<string, unknown> & {
      description: string;
      out_trade_no: string;
      notify_url: string;
      amount: { total: number };
      payer: { openid: string };
    },
  ) {
    return this.request<{ prepay_id: string }>("POST", "/v3/pay/transactions/jsapi", {
      appid: this.o.appId,
      mchid: this.o.mchId,
      ...order,
    });
  }

  queryByOutTradeNo(outTradeNo: string) {
    return this.request(
      "GET",
      `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${this.o.mchId}`,
    );
  }

  queryById(transactionId: string) {
    return this.request(
      "GET",
      `/v3/pay/transactions/id/${encodeURIComponent(transactionId)}?mchid=${this.o.mchId}`,
    );
  }

  close(outTradeNo: string) {
    return this.request("POST", `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, {
      mchid: this.o.mchId,
    });
  }

  refund(
    body: Record<string, unknown> & {
      out_refund_no: string;
      amount: { refund: number; total: number; currency: string };
    },
  ) {
    return this.request("POST", "/v3/refund/domestic/refunds", body);
  }

  queryRefund(outRefundNo: string) {
    return this.request("GET", `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`);
  }

  /** Download and decrypt the platform certificates; they verify answers and notifications from now on. */
  async downloadCertificates(): Promise<Record<string, string>> {
    const res = await this.request<{
      data: Array<{
        serial_no: string;
        encrypt_certificate: { nonce: string; associated_data: string; ciphertext: string };
      }>;
    }>("GET", "/v3/certificates");
    const out: Record<string, string> = {};
    for (const item of res.data) {
      const pem = decryptAeadResource(this.o.apiV3Key, item.encrypt_certificate);
      const cert = new X509Certificate(pem);
      if (cert.serialNumber.toUpperCase() !== item.serial_no.toUpperCase()) {
        throw new WechatPayError("CERT_MISMATCH", "certificate serial differs from serial_no", 200, item);
      }
      this.certs.set(item.serial_no.toUpperCase(), cert.publicKey);
      out[item.serial_no] = pem;
    }
    return out;
  }

  /** Verify a signed answer or notification (Wechatpay-* headers) with the platform certificate it names. */
  async verify(m: SignedMessage): Promise<void> {
    const serial = header(m.headers, "wechatpay-serial").toUpperCase();
    const timestamp = header(m.headers, "wechatpay-timestamp");
    if (!this.certs.has(serial)) await this.downloadCertificates();
    const key = this.certs.get(serial);
    if (!key) throw new WechatPayError("CERT_UNKNOWN", `no platform certificate ${serial}`, 200, null);
    const skew = Math.abs(Number(unixSeconds()) - Number(timestamp));
    if (!(skew <= (this.o.maxSkewSeconds ?? 300)))
      throw new WechatPayError("STALE", "timestamp too far from now", 200, null);
    const ok = verifyPayV3Response(
      m.body,
      {
        timestamp,
        nonce: header(m.headers, "wechatpay-nonce"),
        signature: header(m.headers, "wechatpay-signature"),
      },
      key,
    );
    if (!ok) throw new WechatPayError("SIGN_MISMATCH", "Wechatpay-Signature does not verify", 200, null);
  }

  /** Verify a notification and decrypt its resource. */
  async verifyNotification<T = Record<string, unknown>>(m: SignedMessage): Promise<V3Notification<T>> {
    await this.verify(m);
    const n = JSON.parse(m.body) as Omit<V3Notification, "resource"> & {
      resource: { nonce: string; associated_data: string; ciphertext: string };
    };
    return { ...n, resource: JSON.parse(decryptAeadResource(this.o.apiV3Key, n.resource)) as T };
  }

  /** JSAPI parameters with `signType: "RSA"` (paySign over appId, timeStamp, nonceStr, package). */
  jsapiParams(prepayId: string): JsapiPayParameters {
    const timeStamp = unixSeconds();
    const nonceStr = payNonce();
    const pkg = `prepay_id=${prepayId}`;
    return {
      appId: this.o.appId,
      timeStamp,
      nonceStr,
      package: pkg,
      signType: "RSA",
      paySign: rsaSha256Sign(payV3JsapiMessage(this.o.appId, timeStamp, nonceStr, pkg), this.o.privateKey),
    };
  }
}
