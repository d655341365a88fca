/**
 * Third-party pay clients against the platform, unmodified except for where they send: npm `tenpay`
 * (v2; its URLs live in the instance's `urls` table, rewritten here) and npm `wechatpay-node-v3`
 * (v3; it sends through a replaceable HTTP service, given here as its own PayRequest with the host
 * rewritten). Each creates, queries and pays an order; tenpay's Express middleware and
 * wechatpay-node-v3's verifySign/decipher_gcm check the notifications the platform sends.
 */
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PayWorld, payOnSheet, payWorld, until } from "./applied-helpers.js";
import { type Running, start } from "./helpers.js";

const require = createRequire(import.meta.url);
const WECHAT_PAY = "https://api.mch.weixin.qq.com";

interface TenpayApi {
  urls: Record<string, string>;
  unifiedOrder(p: Record<string, unknown>): Promise<Record<string, string>>;
  getPayParamsByPrepay(p: { prepay_id: string }, signType?: string): Record<string, string>;
  orderQuery(p: Record<string, unknown>): Promise<Record<string, string>>;
  closeOrder(p: Record<string, unknown>): Promise<Record<string, string>>;
  refund(p: Record<string, unknown>): Promise<Record<string, string>>;
  middlewareForExpress(type?: string): (req: unknown, res: unknown, next: () => void) => void;
}
type TenpayCtor = new (config: Record<string, unknown>) => TenpayApi;

interface HttpResult {
  status: number;
  data?: Record<string, unknown>;
  error?: string;
}
interface HttpService {
  get(url: string, headers: Record<string, string>): Promise<HttpResult>;
  post(url: string, params: unknown, headers: Record<string, string>): Promise<HttpResult>;
  upload(url: string, params: unknown, headers: Record<string, string>): Promise<HttpResult>;
}
interface WxPayApi {
  createHttp(s: HttpService): void;
  transactions_jsapi(p: Record<string, unknown>): Promise<HttpResult & { data?: Record<string, string> }>;
  query(p: { out_trade_no: string }): Promise<HttpResult>;
  refunds(p: Record<string, unknown>): Promise<HttpResult>;
  verifySign(p: Record<string, unknown>): Promise<boolean>;
  decipher_gcm<T>(ciphertext: string, associated_data: string, nonce: string, key?: string): T;
}
type WxPayCtor = new (config: Record<string, unknown>) => WxPayApi;

type Middleware = (req: unknown, res: unknown, next: () => void) => void;
interface ExpressApp extends http.RequestListener {
  use(m: Middleware): void;
  post(path: string, ...handlers: Middleware[]): void;
}
interface ExpressModule {
  (): ExpressApp;
  text(options: { type: string }): Middleware;
}

/** An HTTP server for notifications: `handle` decides the answer. */
async function server(handle: http.RequestListener) {
  const s = http.createServer(handle);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => new Promise((r) => s.close(r)),
  };
}

describe("third-party pay clients against the platform", () => {
  let r: Running;
  let w: PayWorld;
  const pay = async (params: Record<string, string>) => ({ errMsg: await payOnSheet(r, w.user, params) });

  beforeAll(async () => {
    r = await start();
    w = await payWorld(r);
  });
  afterAll(async () => {
    await r?.close();
  });

  it("tenpay (v2): unifiedOrder, pay params, orderQuery, refund; its middleware verifies the notification", async () => {
    const express = require("express") as ExpressModule;
    const Tenpay = require("tenpay") as TenpayCtor;
    const verified: Array<Record<string, unknown>> = [];
    const api = new Tenpay({
      appid: w.appid,
      mchid: w.merchant.mchId,
      partnerKey: w.merchant.apiKey,
      notify_url: "",
    });
    api.urls = Object.fromEntries(
      Object.entries(api.urls).map(([k, u]) => [k, u.replace(WECHAT_PAY, r.url)]),
    );
    const app = express();
    app.use(express.text({ type: "*/*" }));
    app.post("/notify", api.middlewareForExpress("pay"), (req, res) => {
      verified.push((req as unknown as { weixin: Record<string, unknown> }).weixin);
      (res as unknown as { reply: () => void }).reply();
    });
    const s = await server(app);
    try {
      const outTradeNo = `TP${Date.now()}`;
      const order = await api.unifiedOrder({
        out_trade_no: outTradeNo,
        body: "Tenpay tea",
        total_fee: 88,
        openid: w.openid,
        notify_url: `${s.url}/notify`,
      });
      const prepayId = order.prepay_id ?? "";
      expect(prepayId).toMatch(/^wx/);
      expect((await api.orderQuery({ out_trade_no: outTradeNo })).trade_state).toBe("NOTPAY");
      expect((await pay(api.getPayParamsByPrepay({ prepay_id: prepayId }))).errMsg).toBe(
        "get_brand_wcpay_request:ok",
      );
      await until(() => verified[0]);
      expect(verified[0]).toMatchObject({
        out_trade_no: outTradeNo,
        total_fee: "88",
        result_code: "SUCCESS",
      });
      expect((await api.orderQuery({ out_trade_no: outTradeNo })).trade_state).toBe("SUCCESS");
      const refund = await api.refund({
        out_trade_no: outTradeNo,
        out_refund_no: `R${outTradeNo}`,
        total_fee: 88,
        refund_fee: 8,
      });
      expect(refund.refund_fee).toBe("8");
      await expect(api.closeOrder({ out_trade_no: "missing-order" })).rejects.toThrow("ORDERNOTEXIST");
    } finally {
      await s.close();
    }
  });

  it("wechatpay-node-v3: transactions_jsapi, query, refunds; verifySign and decipher_gcm take the notification", async () => {
    const WxPay = require("wechatpay-node-v3") as WxPayCtor;
    const { PayRequest } = require("wechatpay-node-v3/dist/lib/pay-request") as {
      PayRequest: new () => HttpService;
    };
    const inner = new PayRequest();
    const local = (url: string) => url.replace(WECHAT_PAY, r.url);
    const pay3 = new WxPay({
      appid: w.appid,
      mchid: w.merchant.mchId,
      publicKey: Buffer.from(w.merchant.merchantCertificate),
      privateKey: Buffer.from(w.merchant.merchantPrivateKey),
      key: w.merchant.apiV3Key,
    });
    pay3.createHttp({
      get: (url, headers) => inner.get(local(url), headers),
      post: (url, params, headers) => inner.post(local(url), params, headers),
      upload: (url, params, headers) => inner.upload(local(url), params, headers),
    });
    const got: Array<Record<string, unknown>> = [];
    const s = await server((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const ok = await pay3.verifySign({
          timestamp: req.headers["wechatpay-timestamp"],
          nonce: req.headers["wechatpay-nonce"],
          serial: req.headers["wechatpay-serial"],
          signature: req.headers["wechatpay-signature"],
          body,
        });
        const { resource } = JSON.parse(body) as {
          resource: { ciphertext: string; associated_data: string; nonce: string };
        };
        if (ok) got.push(pay3.decipher_gcm(resource.ciphertext, resource.associated_data, resource.nonce));
        res.writeHead(ok ? 204 : 401).end();
      });
    });
    try {
      const outTradeNo = `WX3${Date.now()}`;
      const placed = await pay3.transactions_jsapi({
        description: "v3 tea",
        out_trade_no: outTradeNo,
        notify_url: `${s.url}/v3`,
        amount: { total: 120 },
        payer: { openid: w.openid },
      });
      expect(placed.status).toBe(200);
      const params = placed.data as Record<string, string>;
      expect(params.signType).toBe("RSA");
      expect((await pay3.query({ out_trade_no: outTradeNo })).data).toMatchObject({ trade_state: "NOTPAY" });
      expect((await pay(params)).errMsg).toBe("get_brand_wcpay_request:ok");
      await until(() => got[0]);
      expect(got[0]).toMatchObject({
        out_trade_no: outTradeNo,
        trade_state: "SUCCESS",
        amount: { total: 120 },
      });
      expect((await pay3.query({ out_trade_no: outTradeNo })).data).toMatchObject({ trade_state: "SUCCESS" });
      const refund = await pay3.refunds({
        out_trade_no: outTradeNo,
        out_refund_no: `R${outTradeNo}`,
        amount: { refund: 20, total: 120, currency: "CNY" },
      });
      expect(refund).toMatchObject({ status: 200, data: { status: "PROCESSING" } });
      await until(() => got.find((x) => x.refund_status === "SUCCESS"));
    } finally {
      await s.close();
    }
  });
});
