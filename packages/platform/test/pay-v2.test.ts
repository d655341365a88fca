/**
 * WeChat Pay v2 over real HTTP (spec/applied-features.md §1.2–§1.6): unified order, query, close,
 * refund and refund query with every error code the spec lists, signed answers, the pay session a
 * page opens, payment and refund notifications (signature, req_info) retried on the schedule.
 */

import { rmSync } from "node:fs";
import { decryptRefundReqInfo, parseXml, paySign, verifyPaySign } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type NotifyServer,
  notifyServer,
  type PayWorld,
  payOnSheet,
  payWorld,
  until,
  v2,
} from "./applied-helpers.js";
import { BACKENDS, PG_URL, type Running, start, tempDir } from "./helpers.js";

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`pay v2 on ${backend.name}`, () => {
    let r: Running;
    let w: PayWorld;
    let other: PayWorld;
    let notify: NotifyServer;
    let n = 0;
    const outNo = () => `T${Date.now()}${++n}`;

    const order = (fields: Record<string, string | number> = {}) => ({
      appid: w.appid,
      mch_id: w.merchant.mchId,
      body: "Tea",
      out_trade_no: outNo(),
      total_fee: 100,
      spbill_create_ip: "127.0.0.1",
      notify_url: `${notify.url}/pay/notify`,
      trade_type: "JSAPI",
      openid: w.openid,
      ...fields,
    });
    const call = (path: string, fields: Record<string, string | number>, key = w.merchant.apiKey) =>
      v2(r, path, fields, key);
    const advance = (seconds: number) => r.post("/_mpstack/clock", { advanceSeconds: seconds });

    /** Place an order and pay it on the sheet; returns the order's fields. */
    async function paidOrder(extra: Record<string, string | number> = {}) {
      const o = order(extra);
      const placed = (await call("/pay/unifiedorder", o)).xml;
      const params: Record<string, string> = {
        appId: w.appid,
        timeStamp: String(Math.floor(Date.now() / 1000)),
        nonceStr: "n0nce",
        package: `prepay_id=${placed.prepay_id}`,
        signType: "MD5",
      };
      params.paySign = paySign(params, w.merchant.apiKey);
      expect(await payOnSheet(r, w.user, params)).toBe("get_brand_wcpay_request:ok");
      return o;
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

    it("places a JSAPI order with a signed answer; same order again = same prepay_id, changed = OUT_TRADE_NO_USED", async () => {
      const o = order();
      const { xml } = await call("/pay/unifiedorder", o);
      expect(xml).toMatchObject({ return_code: "SUCCESS", result_code: "SUCCESS", trade_type: "JSAPI" });
      expect(xml.prepay_id).toMatch(/^wx\d{14}/);
      expect(verifyPaySign(xml, w.merchant.apiKey)).toBe(true);
      expect((await call("/pay/unifiedorder", o)).xml.prepay_id).toBe(xml.prepay_id);
      const changed = (await call("/pay/unifiedorder", { ...o, total_fee: 200 })).xml;
      expect(changed).toMatchObject({
        return_code: "SUCCESS",
        result_code: "FAIL",
        err_code: "OUT_TRADE_NO_USED",
      });
      expect(verifyPaySign(changed, w.merchant.apiKey)).toBe(true);
      const hmac = (await v2(r, "/pay/unifiedorder", order(), w.merchant.apiKey, "HMAC-SHA256")).xml;
      expect(hmac.result_code).toBe("SUCCESS");
      expect(verifyPaySign(hmac, w.merchant.apiKey, "HMAC-SHA256")).toBe(true);
    });

    it("answers communication failures with return_code FAIL", async () => {
      const fail = (xml: Record<string, string>, msg: string) =>
        expect(xml).toEqual({ return_code: "FAIL", return_msg: msg });
      const parse = async (res: Response) => parseXml(await res.text()) as Record<string, string>;
      fail(await parse(await r.raw("/pay/unifiedorder")), "请使用post方法");
      fail(await parse(await r.raw("/pay/unifiedorder", { method: "POST" })), "post数据为空");
      const utf16 = Buffer.from("\ufeff<xml><a>1</a></xml>", "utf16le");
      fail(await parse(await r.raw("/pay/unifiedorder", { method: "POST", body: utf16 })), "编码格式错误");
      fail(
        await parse(await r.raw("/pay/unifiedorder", { method: "POST", body: "<xml><a>" })),
        "XML格式错误",
      );
      const { mch_id: _m, ...noMch } = order();
      fail((await call("/pay/unifiedorder", noMch)).xml, "缺少参数mch_id");
      const { body: _b, ...noBody } = order();
      fail((await call("/pay/unifiedorder", noBody)).xml, "缺少参数body");
      fail((await call("/pay/unifiedorder", order(), "0".repeat(32))).xml, "签名错误");
      fail((await call("/pay/unifiedorder", order({ mch_id: "1000000000" }))).xml, "商户号mch_id不存在");
      fail((await call("/pay/unifiedorder", order({ appid: "wx00000000000000ff" }))).xml, "appid不存在");
      fail((await call("/pay/unifiedorder", order({ appid: other.appid }))).xml, "appid和mch_id不匹配");
      fail((await call("/pay/unifiedorder", order({ openid: other.openid }))).xml, "appid和openid不匹配");
      fail(
        (await call("/pay/unifiedorder", order({ notify_url: `${notify.url}/n?x=1` }))).xml,
        "notify_url参数格式错误",
      );
      fail((await call("/pay/unifiedorder", order({ total_fee: "1.5" }))).xml, "total_fee参数格式错误");
    });

    it("NOAUTH without the pay grant, SYSTEMERROR from an injected fault", async () => {
      await r.raw(`/_mpstack/accounts/${w.appid}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grants: [] }),
      });
      const denied = (await call("/pay/unifiedorder", order())).xml;
      expect(denied).toMatchObject({ result_code: "FAIL", err_code: "NOAUTH" });
      await r.raw(`/_mpstack/accounts/${w.appid}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grants: ["pay"] }),
      });
      await r.post(`/_mpstack/accounts/${w.appid}/merchant/faults`, {
        operation: "order",
        error: "SYSTEMERROR",
      });
      expect((await call("/pay/unifiedorder", order())).xml).toMatchObject({ err_code: "SYSTEMERROR" });
      expect((await call("/pay/unifiedorder", order())).xml.result_code).toBe("SUCCESS");
    });

    it("pays on the sheet: notification signed, query SUCCESS, ORDERPAID afterwards", async () => {
      const o = await paidOrder({ attach: "shop-7" });
      const got = await until(() => notify.received.find((x) => x.body.includes(String(o.out_trade_no))));
      const xml = parseXml(got.body) as Record<string, string>;
      expect(xml).toMatchObject({
        return_code: "SUCCESS",
        result_code: "SUCCESS",
        out_trade_no: o.out_trade_no,
        total_fee: "100",
        openid: w.openid,
        is_subscribe: "Y",
        attach: "shop-7",
      });
      expect(xml.transaction_id).toMatch(/^\d{28}$/);
      expect(verifyPaySign(xml, w.merchant.apiKey)).toBe(true);
      const q = (
        await call("/pay/orderquery", {
          appid: w.appid,
          mch_id: w.merchant.mchId,
          out_trade_no: o.out_trade_no,
        })
      ).xml;
      expect(q).toMatchObject({
        result_code: "SUCCESS",
        trade_state: "SUCCESS",
        transaction_id: xml.transaction_id,
      });
      const byId = (
        await call("/pay/orderquery", {
          appid: w.appid,
          mch_id: w.merchant.mchId,
          transaction_id: xml.transaction_id as string,
        })
      ).xml;
      expect(byId.out_trade_no).toBe(o.out_trade_no);
      expect((await call("/pay/unifiedorder", o)).xml.err_code).toBe("ORDERPAID");
      expect(
        (
          await call("/pay/closeorder", {
            appid: w.appid,
            mch_id: w.merchant.mchId,
            out_trade_no: o.out_trade_no,
          })
        ).xml.err_code,
      ).toBe("ORDERPAID");
      const views = (await r.get(`/_mpstack/pay/notifications?appid=${w.appid}&ref=${xml.transaction_id}`))
        .body;
      expect((views.notifications as Array<{ status: string }>)[0]?.status).toBe("delivered");
    });

    it("closes only after 5 minutes; ORDERCLOSED and ORDERNOTEXIST", async () => {
      const o = order();
      await call("/pay/unifiedorder", o);
      const close = () =>
        call("/pay/closeorder", { appid: w.appid, mch_id: w.merchant.mchId, out_trade_no: o.out_trade_no });
      expect((await close()).xml).toMatchObject({ result_code: "FAIL", err_code: "SYSTEMERROR" });
      await advance(301);
      expect((await close()).xml.result_code).toBe("SUCCESS");
      expect((await close()).xml.err_code).toBe("ORDERCLOSED");
      expect((await call("/pay/unifiedorder", o)).xml.err_code).toBe("ORDERCLOSED");
      const q = (
        await call("/pay/orderquery", {
          appid: w.appid,
          mch_id: w.merchant.mchId,
          out_trade_no: o.out_trade_no,
        })
      ).xml;
      expect(q.trade_state).toBe("CLOSED");
      const missing = (
        await call("/pay/orderquery", { appid: w.appid, mch_id: w.merchant.mchId, out_trade_no: "nope123" })
      ).xml;
      expect(missing).toMatchObject({ result_code: "FAIL", err_code: "ORDERNOTEXIST" });
    });

    it("refunds: rules, NOTENOUGH, req_info notification, refund query", async () => {
      const o = await paidOrder();
      const base = { appid: w.appid, mch_id: w.merchant.mchId, out_trade_no: o.out_trade_no, total_fee: 100 };
      const refund = (no: string, fee: number) =>
        call("/secapi/pay/refund", { ...base, out_refund_no: no, refund_fee: fee });
      expect((await refund("R-too-much", 101)).xml).toMatchObject({ err_code: "INVALID_REQUEST" });
      await r.post(`/_mpstack/accounts/${w.appid}/merchant/faults`, {
        operation: "refund",
        error: "NOTENOUGH",
      });
      expect((await refund("R-1", 30)).xml).toMatchObject({ result_code: "FAIL", err_code: "NOTENOUGH" });
      const ok = (await refund("R-1", 30)).xml;
      expect(ok).toMatchObject({ result_code: "SUCCESS", refund_fee: "30", out_refund_no: "R-1" });
      expect((await refund("R-1", 30)).xml.refund_id).toBe(ok.refund_id);
      expect((await refund("R-1", 40)).xml.err_code).toBe("INVALID_REQUEST");
      const got = await until(() => notify.received.find((x) => x.body.includes("req_info")));
      const outer = parseXml(got.body) as Record<string, string>;
      expect(outer).toMatchObject({ return_code: "SUCCESS", appid: w.appid, mch_id: w.merchant.mchId });
      const inner = parseXml(decryptRefundReqInfo(outer.req_info ?? "", w.merchant.apiKey)) as Record<
        string,
        string
      >;
      expect(inner).toMatchObject({
        out_refund_no: "R-1",
        refund_id: ok.refund_id,
        refund_fee: "30",
        refund_status: "SUCCESS",
      });
      const rq = (
        await call("/pay/refundquery", { appid: w.appid, mch_id: w.merchant.mchId, out_refund_no: "R-1" })
      ).xml;
      expect(rq).toMatchObject({
        result_code: "SUCCESS",
        refund_count: "1",
        refund_status_0: "SUCCESS",
        refund_fee_0: "30",
      });
      const none = (
        await call("/pay/refundquery", { appid: w.appid, mch_id: w.merchant.mchId, out_refund_no: "R-none" })
      ).xml;
      expect(none.err_code).toBe("REFUNDNOTEXIST");
      const q = (
        await call("/pay/orderquery", {
          appid: w.appid,
          mch_id: w.merchant.mchId,
          out_trade_no: o.out_trade_no,
        })
      ).xml;
      expect(q.trade_state).toBe("REFUND");
    });

    it("retries a refused notification on the schedule (platform clock)", async () => {
      let refusals = 2;
      notify.answer = (x) =>
        refusals-- > 0
          ? { status: 200, body: "<xml><return_code>FAIL</return_code></xml>" }
          : {
              status: 200,
              body: x.body.startsWith("<") ? "<xml><return_code>SUCCESS</return_code></xml>" : "",
            };
      const o = await paidOrder();
      const mine = () => notify.received.filter((x) => x.body.includes(String(o.out_trade_no)));
      await until(() => (mine().length === 1 ? true : undefined));
      await new Promise((res) => setTimeout(res, 700));
      expect(mine()).toHaveLength(1); // the next attempt waits 15 s of platform time
      await advance(15);
      await until(() => (mine().length === 2 ? true : undefined));
      await advance(15);
      await until(() => (mine().length === 3 ? true : undefined));
      type View = { status: string; attempts: Array<{ outcome: string }> };
      const view = await until(async () => {
        const list = (await r.get(`/_mpstack/pay/notifications?appid=${w.appid}&limit=5`)).body
          .notifications as View[];
        return list.find((v) => v.status === "delivered" && v.attempts.length === 3);
      });
      expect(view?.attempts.map((a) => a.outcome)).toEqual(["rejected", "rejected", "success"]);
      expect(mine()[0]?.body).toBe(mine()[2]?.body);
    });

    it("sandbox: getsignkey, then sandbox calls signed with the sandbox key", async () => {
      const key = (await call("/sandboxnew/pay/getsignkey", { mch_id: w.merchant.mchId })).xml;
      expect(key).toMatchObject({ return_code: "SUCCESS", mch_id: w.merchant.mchId });
      const sandboxKey = key.sandbox_signkey ?? "";
      expect((await v2(r, "/sandboxnew/pay/unifiedorder", order(), sandboxKey)).xml.result_code).toBe(
        "SUCCESS",
      );
      expect((await v2(r, "/sandboxnew/pay/unifiedorder", order(), w.merchant.apiKey)).xml.return_msg).toBe(
        "签名错误",
      );
    });
  });
}

describe("pay notifications survive a restart", () => {
  it("a refused notification is retried by the next platform on the same data folder", async () => {
    const dir = tempDir();
    const notify = await notifyServer();
    notify.answer = () => ({ status: 500, body: "down" });
    let r = await start({ dataDir: dir });
    try {
      const w = await payWorld(r);
      const o = {
        appid: w.appid,
        mch_id: w.merchant.mchId,
        body: "Tea",
        out_trade_no: `RESTART${Date.now()}`,
        total_fee: 5,
        spbill_create_ip: "127.0.0.1",
        notify_url: `${notify.url}/n`,
        trade_type: "JSAPI",
        openid: w.openid,
      };
      const placed = (await v2(r, "/pay/unifiedorder", o, w.merchant.apiKey)).xml;
      const params: Record<string, string> = {
        appId: w.appid,
        timeStamp: "1700000000",
        nonceStr: "r",
        package: `prepay_id=${placed.prepay_id}`,
        signType: "MD5",
      };
      params.paySign = paySign(params, w.merchant.apiKey);
      await payOnSheet(r, w.user, params);
      await until(() => (notify.received.length === 1 ? true : undefined));
      // The refused attempt is on record before the platform stops.
      await until(async () => {
        const n = (await r.get(`/_mpstack/pay/notifications?appid=${w.appid}`)).body.notifications as Array<{
          attempts: unknown[];
        }>;
        return n[0]?.attempts.length === 1 ? true : undefined;
      });
      await r.close();
      notify.answer = (n) => ({
        status: 200,
        body: n.body.startsWith("<") ? "<xml><return_code>SUCCESS</return_code></xml>" : "",
      });
      r = await start({ dataDir: dir });
      await r.post("/_mpstack/clock", { advanceSeconds: 16 });
      await until(() => (notify.received.length === 2 ? true : undefined));
      const list = await until(async () => {
        const n = (await r.get(`/_mpstack/pay/notifications?appid=${w.appid}`)).body.notifications as Array<{
          status: string;
          attempts: unknown[];
        }>;
        return n[0]?.status === "delivered" ? n : undefined;
      });
      expect(list[0]?.attempts).toHaveLength(2);
      expect(notify.received[1]?.body).toBe(notify.received[0]?.body);
    } finally {
      await r.close();
      await notify.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
