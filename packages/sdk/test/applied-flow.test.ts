/**
 * End to end with a small test shop built on the SDK: its server places orders (PayV2Client and
 * PayV3Client), serves a shop page with the pay parameters, and verifies the notifications the
 * platform sends; in Chromium the simulated user pays on the platform's pay sheet (the bridge's
 * part, opening the sheet for the page's pay request, is played by the test through the simulator
 * route the bridge's service also serves). A refund notifies. A card is created with the SDK's
 * typed client, received through a QR scan and consumed, with user_get_card and user_consume_card
 * pushed to the shop's server.
 */

import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, type Platform } from "@mpstack/platform";
import { type InboundMessage, parseInbound } from "@mpstack/protocol";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type JsapiPayParameters, PayV2Client, PayV3Client } from "../src/index.js";
import { simulatorAt, until } from "./helpers/simulator.js";

const CHROMIUM = process.env.MPSTACK_TEST_CHROMIUM;
const CHROMIUM_SKIP = "(skipped: MPSTACK_TEST_CHROMIUM not set)";

let platform: Platform;
let url: string;
let dir: string;
let appid = "";
let secret = "";
let openid = "";
let v2: PayV2Client;
let v3: PayV3Client;
let shop: { url: string; close(): void };
const paidNotes: Array<{ api: string; fields: Record<string, unknown> }> = [];
const pushes: InboundMessage[] = [];

const sim = simulatorAt(() => url);

/** The shop: its page, its WeChat push endpoint, its pay notify endpoints. */
function shopHandler(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: string,
): void | Promise<void> {
  const u = new URL(req.url ?? "/", "http://shop");
  if (u.pathname === "/wechat") {
    if (req.method === "GET") return void res.end(u.searchParams.get("echostr") ?? "");
    pushes.push(parseInbound(body));
    return void res.end("success");
  }
  if (u.pathname === "/notify/v2") {
    try {
      paidNotes.push({
        api: "v2",
        fields: body.includes("req_info") ? v2.decryptRefundNotification(body) : v2.verifyNotification(body),
      });
      return void res.end(PayV2Client.answer(true));
    } catch {
      return void res.end(PayV2Client.answer(false, "bad sign"));
    }
  }
  if (u.pathname === "/notify/v3") {
    return v3.verifyNotification({ headers: req.headers, body }).then(
      (n) => {
        paidNotes.push({ api: "v3", fields: { event: n.event_type, ...n.resource } });
        res.writeHead(204).end();
      },
      () => {
        res.writeHead(401).end(JSON.stringify({ code: "FAIL", message: "bad signature" }));
      },
    );
  }
  if (u.pathname === "/shop") {
    const api = u.searchParams.get("api") === "v3" ? "v3" : "v2";
    const no = `SHOP${api}${Date.now()}`;
    const order =
      api === "v2"
        ? v2
            .unifiedOrder({
              body: "Oolong tea",
              out_trade_no: no,
              total_fee: 1999,
              notify_url: `${shop.url}/notify/v2`,
              openid,
            })
            .then((o) => v2.jsapiParams(o.prepay_id ?? ""))
        : v3
            .jsapi({
              description: "Oolong tea",
              out_trade_no: no,
              notify_url: `${shop.url}/notify/v3`,
              amount: { total: 1999 },
              payer: { openid },
            })
            .then((o) => v3.jsapiParams(o.prepay_id));
    return order.then((params: JsapiPayParameters) => {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(
          `<!doctype html><meta charset="utf-8"><title>Tea shop</title><h1 id="no">${no}</h1>` +
            `<script id="params" type="application/json">${JSON.stringify(params)}</script>` +
            `<button id="buy">Buy ¥19.99</button>`,
        );
    });
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-applied-"));
  platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
  url = await platform.listen();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => void shopHandler(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  shop = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
  const account = await sim("POST", "/_mpstack/accounts", {
    name: "Tea shop",
    verified: true,
    grants: ["pay", "card"],
    server: { url: `${shop.url}/wechat`, token: "teashop", mode: "plain" },
  });
  appid = account.appid as string;
  secret = account.secret as string;
  await sim("POST", "/_mpstack/users", { id: "buyer", nickname: "Buyer" });
  openid = (await sim("POST", "/_mpstack/users/buyer/follow", { appid })).openid as string;
  const m = (await sim("GET", `/_mpstack/accounts/${appid}/merchant`)) as Record<string, string>;
  v2 = new PayV2Client({ appId: appid, mchId: m.mchId ?? "", apiKey: m.apiKey ?? "", baseUrl: url });
  v3 = new PayV3Client({
    appId: appid,
    mchId: m.mchId ?? "",
    serialNo: m.merchantSerialNo ?? "",
    privateKey: m.merchantPrivateKey ?? "",
    apiV3Key: m.apiV3Key ?? "",
    baseUrl: url,
  });
});
afterAll(async () => {
  shop?.close();
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!CHROMIUM)(`paying in Chromium ${CHROMIUM ? "" : CHROMIUM_SKIP}`, () => {
  it("the shop page's order is paid on the pay sheet (v2 and v3); the shop verifies both notifications; a refund notifies", async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    try {
      const page = await browser.newPage();
      for (const api of ["v2", "v3"] as const) {
        await page.goto(`${shop.url}/shop?api=${api}`);
        const no = await page.textContent("#no");
        const params = JSON.parse((await page.textContent("#params")) ?? "{}") as JsapiPayParameters;
        // The bridge's part: getBrandWCPayRequest(params) → pay.startPayment → the sheet for the browsing user.
        const started = await sim("POST", "/_mpstack/users/buyer/pay", { params, pageUrl: page.url() });
        expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
        await page.goto(String(started.browseLink));
        expect(await page.textContent("#amount")).toContain("¥19.99");
        await page.click("#pay");
        await page.waitForSelector("#result[data-result=ok]");
        expect(await page.textContent("#errmsg")).toBe("get_brand_wcpay_request:ok");
        const note = await until(() => paidNotes.find((n) => n.api === api && n.fields.out_trade_no === no));
        expect(note.fields).toMatchObject(
          api === "v2"
            ? { result_code: "SUCCESS", total_fee: "1999" }
            : { event: "TRANSACTION.SUCCESS", trade_state: "SUCCESS" },
        );
        expect(
          await (api === "v2" ? v2.orderQuery({ out_trade_no: no ?? "" }) : v3.queryByOutTradeNo(no ?? "")),
        ).toMatchObject({ trade_state: "SUCCESS" });
        if (api === "v3") {
          await v3.refund({
            out_trade_no: no ?? "",
            out_refund_no: `R${no}`,
            amount: { refund: 999, total: 1999, currency: "CNY" },
          });
          const refund = await until(() => paidNotes.find((n) => n.fields.event === "REFUND.SUCCESS"));
          expect(refund.fields).toMatchObject({ out_refund_no: `R${no}`, refund_status: "SUCCESS" });
        }
      }
    } finally {
      await browser.close();
    }
  });
});

describe("a card from creation to redemption", () => {
  it("is created with the typed client, received by QR scan, consumed; the shop gets the events", async () => {
    const client = createClient({ appId: appid, appSecret: secret, baseUrl: url });
    const { card_id } = await client.card.create({
      card: {
        card_type: "GROUPON",
        groupon: {
          base_info: {
            logo_url: "http://mmbiz.qpic.cn/x/0",
            brand_name: "Tea shop",
            code_type: "CODE_TYPE_QRCODE",
            title: "Tea for two",
            color: "Color010",
            notice: "Show at the counter",
            description: "One pot, two cups",
            sku: { quantity: 10 },
            date_info: { type: "DATE_TYPE_FIX_TERM", fixed_term: 30, fixed_begin_term: 0 },
          },
          deal_detail: "Oolong for two",
        },
      },
    });
    await until(() =>
      pushes.find(
        (m) => m.kind === "unknown" && m.Event === "card_pass_check" && m.fields.CardId === card_id,
      ),
    );
    const qr = await client.card.createQrcode({
      action_name: "QR_CARD",
      action_info: { card: { card_id, outer_str: "counter" } },
    });
    const scan = await sim("POST", "/_mpstack/users/buyer/scan", { ticket: qr.ticket });
    expect(scan.event).toBe("user_get_card");
    const got = await until(() =>
      pushes.find((m) => m.kind === "unknown" && m.Event === "user_get_card" && m.fields.CardId === card_id),
    );
    const code = got.kind === "unknown" ? String(got.fields.UserCardCode) : "";
    expect(got.FromUserName).toBe(openid);
    expect(await client.card.getCode({ code, check_consume: true })).toMatchObject({
      can_consume: true,
      openid,
    });
    await client.card.consumeCode({ code });
    await until(() =>
      pushes.find(
        (m) => m.kind === "unknown" && m.Event === "user_consume_card" && m.fields.UserCardCode === code,
      ),
    );
    await expect(client.card.consumeCode({ code })).rejects.toMatchObject({ errcode: 40099 });
  });
});
