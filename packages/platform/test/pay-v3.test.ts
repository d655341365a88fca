/**
 * WeChat Pay API v3 over real HTTP (spec/applied-features.md §1.7–§1.9): signed requests (every
 * SIGN_ERROR case), signed answers verified with the platform certificate from /v3/certificates,
 * JSAPI orders, queries, close, refunds with their error codes, RSA paySign on the pay session, and
 * the encrypted TRANSACTION.SUCCESS / REFUND.SUCCESS notifications.
 */
import { createPublicKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import {
  decryptAeadResource,
  payV3JsapiMessage,
  rsaSha256Sign,
  verifyPayV3Response,
} from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type NotifyServer,
  notifyServer,
  type PayWorld,
  payOnSheet,
  payWorld,
  until,
  v3,
} from "./applied-helpers.js";
import { BACKENDS, PG_URL, type Running, start } from "./helpers.js";

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`pay v3 on ${backend.name}`, () => {
    let r: Running;
    let w: PayWorld;
    let other: PayWorld;
    let notify: NotifyServer;
    let n = 0;
    const outNo = () => `V3T${Date.now()}${++n}`;
    const jsapiBody = (extra: Record<string, unknown> = {}) => ({
      appid: w.appid,
      mchid: w.merchant.mchId,
      description: "Tea",
      out_trade_no: outNo(),
      notify_url: `${notify.url}/v3/notify`,
      amount: { total: 250, currency: "CNY" },
      payer: { openid: w.openid },
      ...extra,
    });
    const order = (body: unknown) => v3(r, w.merchant, "POST", "/v3/pay/transactions/jsapi", body);
    const signed = (res: { text: string; headers: Headers }) =>
      verifyPayV3Response(
        res.text,
        {
          timestamp: res.headers.get("wechatpay-timestamp") ?? "",
          nonce: res.headers.get("wechatpay-nonce") ?? "",
          signature: res.headers.get("wechatpay-signature") ?? "",
        },
        createPublicKey(w.merchant.platformCertificate),
      );

    async function paid(extra: Record<string, unknown> = {}) {
      const body = jsapiBody(extra);
      const placed = await order(body);
      expect(placed.status).toBe(200);
      const params = {
        appId: w.appid,
        timeStamp: String(Math.floor(Date.now() / 1000)),
        nonceStr: "v3nonce",
        package: `prepay_id=${placed.json.prepay_id}`,
        signType: "RSA",
        paySign: "",
      };
      params.paySign = rsaSha256Sign(
        payV3JsapiMessage(params.appId, params.timeStamp, params.nonceStr, params.package),
        w.merchant.merchantPrivateKey,
      );
      expect(await payOnSheet(r, w.user, params, "chooseWXPay")).toBe("chooseWXPay:ok");
      return body;
    }

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      notify = await notifyServer();
      w = await payWorld(r);
      other = await payWorld(r);
    });
    afterAll(async () => {
      await r?.close();
      await notify?.close();
    });

    it("serves the platform certificate encrypted with the APIv3 key; answers are signed with it", async () => {
      const res = await v3(r, w.merchant, "GET", "/v3/certificates");
      expect(res.status).toBe(200);
      expect(signed(res)).toBe(true);
      expect(res.headers.get("wechatpay-serial")).toBe(w.merchant.platformSerialNo);
      const [item] = res.json.data as Array<{
        serial_no: string;
        encrypt_certificate: { nonce: string; associated_data: string; ciphertext: string };
      }>;
      const pem = decryptAeadResource(
        w.merchant.apiV3Key,
        item?.encrypt_certificate ?? { nonce: "", associated_data: "", ciphertext: "" },
      );
      const cert = new X509Certificate(pem);
      expect(cert.serialNumber).toBe(item?.serial_no);
      expect(pem).toBe(w.merchant.platformCertificate);
    });

    it("refuses badly signed requests with 401 SIGN_ERROR, unknown merchants with MCH_NOT_EXISTS", async () => {
      const body = jsapiBody();
      const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
      const cases = [
        await v3(r, w.merchant, "POST", "/v3/pay/transactions/jsapi", body, { auth: "Bearer x" }),
        await v3(r, w.merchant, "POST", "/v3/pay/transactions/jsapi", body, { serial: "ABCDEF" }),
        await v3(r, w.merchant, "POST", "/v3/pay/transactions/jsapi", body, {
          key: stranger.export({ type: "pkcs8", format: "pem" }).toString(),
        }),
        await v3(r, w.merchant, "POST", "/v3/pay/transactions/jsapi", body, { timestamp: 1_600_000_000 }),
      ];
      for (const [i, c] of cases.entries()) {
        expect(c.status).toBe(401);
        expect(c.json.code).toBe("SIGN_ERROR");
        // Signed with the platform key once the merchant is known (not for a header naming none).
        expect([i, signed(c)]).toEqual([i, i > 0]);
      }
      const unknown = await v3(
        r,
        { ...w.merchant, mchId: "1000000001" },
        "POST",
        "/v3/pay/transactions/jsapi",
        body,
      );
      expect([unknown.status, unknown.json.code]).toEqual([400, "MCH_NOT_EXISTS"]);
    });

    it("orders: PARAM_ERROR, APPID_MCHID_NOT_MATCH, OPENID_MISMATCH, OUT_TRADE_NO_USED, NO_AUTH, SYSTEM_ERROR", async () => {
      const { description: _d, ...noDescription } = jsapiBody();
      expect(await order(noDescription)).toMatchObject({ status: 400, json: { code: "PARAM_ERROR" } });
      expect(await order(jsapiBody({ amount: { total: 0 } }))).toMatchObject({
        status: 400,
        json: { code: "PARAM_ERROR" },
      });
      expect(await order(jsapiBody({ appid: other.appid }))).toMatchObject({
        status: 400,
        json: { code: "APPID_MCHID_NOT_MATCH" },
      });
      expect(await order(jsapiBody({ payer: { openid: other.openid } }))).toMatchObject({
        json: { code: "OPENID_MISMATCH" },
      });
      const body = jsapiBody();
      const first = await order(body);
      expect(first.status).toBe(200);
      expect(signed(first)).toBe(true);
      expect((await order(body)).json.prepay_id).toBe(first.json.prepay_id);
      expect(await order({ ...body, amount: { total: 1 } })).toMatchObject({
        status: 403,
        json: { code: "OUT_TRADE_NO_USED" },
      });
      await r.post(`/_mpstack/accounts/${w.appid}/merchant/faults`, {
        operation: "order",
        error: "SYSTEMERROR",
      });
      expect(await order(jsapiBody())).toMatchObject({ status: 500, json: { code: "SYSTEM_ERROR" } });
      const patch = (grants: string[]) =>
        r.raw(`/_mpstack/accounts/${w.appid}`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ grants }),
        });
      await patch([]);
      expect(await order(jsapiBody())).toMatchObject({ status: 403, json: { code: "NO_AUTH" } });
      await patch(["pay"]);
    });

    it("queries, closes (204), ORDER_NOT_EXIST and ORDER_CLOSED", async () => {
      const body = jsapiBody();
      await order(body);
      const path = `/v3/pay/transactions/out-trade-no/${body.out_trade_no}`;
      const q = await v3(r, w.merchant, "GET", `${path}?mchid=${w.merchant.mchId}`);
      expect(q.json).toMatchObject({
        trade_state: "NOTPAY",
        out_trade_no: body.out_trade_no,
        amount: { total: 250 },
      });
      const missing = await v3(
        r,
        w.merchant,
        "GET",
        `/v3/pay/transactions/id/4200000000000000000000000000?mchid=${w.merchant.mchId}`,
      );
      expect([missing.status, missing.json.code]).toEqual([404, "ORDER_NOT_EXIST"]);
      const closed = await v3(r, w.merchant, "POST", `${path}/close`, { mchid: w.merchant.mchId });
      expect(closed.status).toBe(204);
      expect(signed(closed)).toBe(true);
      expect((await v3(r, w.merchant, "GET", `${path}?mchid=${w.merchant.mchId}`)).json.trade_state).toBe(
        "CLOSED",
      );
      expect(await order(body)).toMatchObject({ status: 400, json: { code: "ORDER_CLOSED" } });
    });

    it("pays with an RSA paySign: encrypted, signed TRANSACTION.SUCCESS; refund notifies REFUND.SUCCESS", async () => {
      const body = await paid({ attach: "v3-attach" });
      const got = await until(() =>
        notify.received.find((x) => x.body.includes("TRANSACTION.SUCCESS") && x.path === "/v3/notify"),
      );
      const envelope = JSON.parse(got.body) as {
        event_type: string;
        resource: { nonce: string; associated_data: string; ciphertext: string };
      };
      expect(
        verifyPayV3Response(
          got.body,
          {
            timestamp: String(got.headers["wechatpay-timestamp"]),
            nonce: String(got.headers["wechatpay-nonce"]),
            signature: String(got.headers["wechatpay-signature"]),
          },
          createPublicKey(w.merchant.platformCertificate),
        ),
      ).toBe(true);
      expect(got.headers["wechatpay-serial"]).toBe(w.merchant.platformSerialNo);
      const tx = JSON.parse(decryptAeadResource(w.merchant.apiV3Key, envelope.resource)) as Record<
        string,
        unknown
      >;
      expect(tx).toMatchObject({
        out_trade_no: body.out_trade_no,
        trade_state: "SUCCESS",
        attach: "v3-attach",
        payer: { openid: w.openid },
        amount: { total: 250 },
      });
      const refundBody = (refund: number, no = `RF${n}`) => ({
        out_trade_no: body.out_trade_no,
        out_refund_no: no,
        amount: { refund, total: 250, currency: "CNY" },
      });
      const refunds = (b: unknown) => v3(r, w.merchant, "POST", "/v3/refund/domestic/refunds", b);
      expect(await refunds(refundBody(300))).toMatchObject({
        status: 400,
        json: { code: "INVALID_REQUEST" },
      });
      const ok = await refunds(refundBody(100, "RF-v3"));
      expect(ok.json).toMatchObject({
        out_refund_no: "RF-v3",
        status: "PROCESSING",
        amount: { refund: 100, total: 250 },
      });
      const note = await until(() => notify.received.find((x) => x.body.includes("REFUND.SUCCESS")));
      const res = JSON.parse(
        decryptAeadResource(w.merchant.apiV3Key, (JSON.parse(note.body) as typeof envelope).resource),
      );
      expect(res).toMatchObject({
        out_refund_no: "RF-v3",
        refund_status: "SUCCESS",
        amount: { refund: 100 },
      });
      const rq = await v3(r, w.merchant, "GET", "/v3/refund/domestic/refunds/RF-v3");
      expect(rq.json.status).toBe("SUCCESS");
      const none = await v3(r, w.merchant, "GET", "/v3/refund/domestic/refunds/RF-none");
      expect([none.status, none.json.code]).toEqual([404, "RESOURCE_NOT_EXISTS"]);
    });

    it("a page's pay request fails as WeChat answers it", async () => {
      const placed = await order(jsapiBody());
      const params = {
        appId: w.appid,
        timeStamp: "1700000000",
        nonceStr: "x",
        package: `prepay_id=${placed.json.prepay_id}`,
        signType: "RSA",
        paySign: "AAAA",
      };
      const start = (p: Record<string, unknown>, user = w.user) =>
        r.post(`/_mpstack/users/${user}/pay`, { params: p });
      expect((await start(params)).body).toMatchObject({
        ok: false,
        errMsg: "get_brand_wcpay_request:fail",
        reason: "支付验证签名失败",
      });
      const good = {
        ...params,
        paySign: rsaSha256Sign(
          payV3JsapiMessage(w.appid, "1700000000", "x", params.package),
          w.merchant.merchantPrivateKey,
        ),
      };
      expect((await start(good, other.user)).body).toMatchObject({
        ok: false,
        reason: "下单账号与支付账号不一致",
      });
      const session = (await start(good)).body;
      expect(session.ok).toBe(true);
      expect(
        (await r.post(`/_mpstack/pay/sessions/${session.sessionId}`, { action: "fail", reason: "NOTENOUGH" }))
          .body.errMsg,
      ).toBe("get_brand_wcpay_request:fail");
      const noGrant = await payWorld(r, []);
      expect((await start({ ...good, appId: noGrant.appid }, noGrant.user)).body).toMatchObject({
        ok: false,
        errMsg: "get_brand_wcpay_request:permission denied",
      });
    });
  });
}
