/**
 * The SDK's pay helpers against the platform: PayV2Client and PayV3Client place, query, pay (through
 * the simulator's pay session, as the page would), refund and close; the merchant side verifies and
 * decrypts both notification formats; the card helpers sign as jssdk.md §6 says.
 */

import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, type Platform } from "@mpstack/platform";
import { cardExtSignature, chooseCardSignature } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCardEntry, chooseCardParams, PayV2Client, PayV3Client, WechatPayError } from "../src/index.js";
import { simulatorAt, until } from "./helpers/simulator.js";

let platform: Platform;
let url: string;
let dir: string;
let notify: { url: string; got: Array<{ headers: http.IncomingHttpHeaders; body: string }>; close(): void };

const sim = simulatorAt(() => url);

let appid = "";
let openid = "";
let merchant: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-pay-"));
  platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
  url = await platform.listen();
  const account = await sim("POST", "/_mpstack/accounts", {
    name: "SDK shop",
    verified: true,
    grants: ["pay", "card"],
  });
  appid = account.appid as string;
  await sim("POST", "/_mpstack/users", { id: "sdkpayer" });
  openid = (await sim("POST", "/_mpstack/users/sdkpayer/follow", { appid })).openid as string;
  merchant = (await sim("GET", `/_mpstack/accounts/${appid}/merchant`)) as Record<string, string>;
  const got: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      got.push({ headers: req.headers, body });
      res.end(body.startsWith("<") ? PayV2Client.answer(true) : "");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  notify = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    got,
    close: () => server.close(),
  };
});
afterAll(async () => {
  notify?.close();
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function payOnSheet(params: unknown) {
  const started = await sim("POST", "/_mpstack/users/sdkpayer/pay", { params, via: "chooseWXPay" });
  expect(started.ok, JSON.stringify(started)).toBe(true);
  return sim("POST", `/_mpstack/pay/sessions/${started.sessionId}`, { action: "pay" });
}

describe("PayV2Client", () => {
  it("orders, pays, verifies the notification, refunds and decrypts req_info", async () => {
    const pay = new PayV2Client({
      appId: appid,
      mchId: merchant.mchId ?? "",
      apiKey: merchant.apiKey ?? "",
      baseUrl: url,
      signType: "HMAC-SHA256",
    });
    const no = `SDK2${Date.now()}`;
    const order = await pay.unifiedOrder({
      body: "SDK tea",
      out_trade_no: no,
      total_fee: 66,
      notify_url: `${notify.url}/v2`,
      openid,
    });
    expect((await payOnSheet(pay.jsapiParams(order.prepay_id ?? ""))).errMsg).toBe("chooseWXPay:ok");
    const note = await until(() => notify.got.find((n) => n.body.includes(no)));
    expect(pay.verifyNotification(note.body)).toMatchObject({ out_trade_no: no, total_fee: "66" });
    expect(() => pay.verifyNotification(note.body.replace("<total_fee>66", "<total_fee>1"))).toThrow(
      WechatPayError,
    );
    expect((await pay.orderQuery({ out_trade_no: no })).trade_state).toBe("SUCCESS");
    await pay.refund({ out_trade_no: no, out_refund_no: `R${no}`, total_fee: 66, refund_fee: 6 });
    const refundNote = await until(() => notify.got.find((n) => n.body.includes("req_info")));
    expect(pay.decryptRefundNotification(refundNote.body)).toMatchObject({
      out_refund_no: `R${no}`,
      refund_status: "SUCCESS",
    });
    await expect(pay.closeOrder(no)).rejects.toMatchObject({ code: "ORDERPAID" });
  });
});

describe("PayV3Client", () => {
  it("orders, verifies answers with downloaded certificates, pays, decrypts the notification", async () => {
    const pay = new PayV3Client({
      appId: appid,
      mchId: merchant.mchId ?? "",
      serialNo: merchant.merchantSerialNo ?? "",
      privateKey: merchant.merchantPrivateKey ?? "",
      apiV3Key: merchant.apiV3Key ?? "",
      baseUrl: url,
    });
    const certs = await pay.downloadCertificates();
    expect(Object.keys(certs)).toEqual([merchant.platformSerialNo]);
    const no = `SDK3${Date.now()}`;
    const { prepay_id } = await pay.jsapi({
      description: "v3",
      out_trade_no: no,
      notify_url: `${notify.url}/v3`,
      amount: { total: 300 },
      payer: { openid },
    });
    expect((await payOnSheet(pay.jsapiParams(prepay_id))).errMsg).toBe("chooseWXPay:ok");
    const note = await until(() =>
      notify.got.find((n) => n.headers["wechatpay-serial"] && n.body.includes("TRANSACTION")),
    );
    const n = await pay.verifyNotification<{ out_trade_no: string; trade_state: string }>({
      headers: note.headers,
      body: note.body,
    });
    expect(n.resource).toMatchObject({ out_trade_no: no, trade_state: "SUCCESS" });
    await expect(
      pay.verifyNotification({
        headers: note.headers,
        body: note.body.replace("TRANSACTION", "TRANSACTIOX"),
      }),
    ).rejects.toThrow("SIGN_MISMATCH");
    expect(await pay.queryByOutTradeNo(no)).toMatchObject({ trade_state: "SUCCESS" });
    await expect(pay.close("does-not-exist")).rejects.toMatchObject({ code: "ORDER_NOT_EXIST", status: 404 });
  });
});

describe("card helpers", () => {
  it("sign cardExt and chooseCard as jssdk.md §6 says", () => {
    const entry = addCardEntry({ apiTicket: "TICKET", cardId: "pCARD", code: "123", outerStr: "qr" });
    const ext = JSON.parse(entry.cardExt) as Record<string, string>;
    expect(ext.signature).toBe(
      cardExtSignature({
        apiTicket: "TICKET",
        timestamp: ext.timestamp ?? "",
        cardId: "pCARD",
        code: "123",
        nonceStr: ext.nonce_str ?? "",
      }),
    );
    expect(ext.outer_str).toBe("qr");
    const p = chooseCardParams({ apiTicket: "TICKET", appId: appid, cardType: "CASH" });
    expect(p.cardSign).toBe(
      chooseCardSignature({
        apiTicket: "TICKET",
        appId: appid,
        timestamp: p.timestamp,
        nonceStr: p.nonceStr,
        cardType: "CASH",
      }),
    );
  });
});
