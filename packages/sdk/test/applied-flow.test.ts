/**
 * End to end with a small test shop built on the SDK: its server places orders (PayV2Client and
 * PayV3Client), serves shop pages that load WeChat's jweixin from the platform
 * (`/open/js/jweixin-1.6.0.js`, the bridge first) with a wx.config the SDK's JssdkSigner signs, and
 * verifies the notifications the platform sends. In Chromium (one browser for the file) the page
 * calls `wx.chooseWXPay` with the SDK's v2 and v3 pay parameters, the platform's pay sheet opens
 * over the page, the simulated user pays in it and the page's `success` fires; a cancelled sheet
 * reaches `cancel` with nothing paid or notified; a refund notifies. `wx.addCard` with the SDK's
 * signed cardExt puts a card in the user's list (user_get_card pushed), `wx.chooseCard` lets the
 * user pick it in a native sheet, `wx.openCard` answers as the spec says, and an account without the card grant gets `permission
 * denied`. A card is also created with the typed client, received by QR scan and consumed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, type Platform } from "@mpstack/platform";
import { type InboundMessage, parseInbound } from "@mpstack/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../scripts/chromium.js";
import {
  addCardEntry,
  chooseCardParams,
  createClient,
  createJssdk,
  type JsapiPayParameters,
  type JssdkSigner,
  PayV2Client,
  PayV3Client,
} from "../src/index.js";
import { simulatorAt, until } from "./helpers/simulator.js";

const CHROMIUM = process.env.MPSTACK_TEST_CHROMIUM;
const CHROMIUM_SKIP = "(skipped: MPSTACK_TEST_CHROMIUM not set)";
const JS_APIS = ["chooseWXPay", "addCard", "chooseCard", "openCard"];

let platform: Platform;
let url: string;
let dir: string;
let appid = "";
let secret = "";
let openid = "";
/** An account without the card grant (its pages get `permission denied`). */
let plainAppid = "";
let v2: PayV2Client;
let v3: PayV3Client;
let signer: JssdkSigner;
let plainSigner: JssdkSigner;
let shop: { url: string; close(): void };
/** The card the card page offers (set by the test). */
let offeredCard = "";
const paidNotes: Array<{ api: string; fields: Record<string, unknown> }> = [];
const pushes: InboundMessage[] = [];

const sim = simulatorAt(() => url);

/**
 * A shop page: WeChat's jweixin from the platform, wx.config signed by the server, `data` for the
 * page's calls; `window.call(api, args)` runs a wx call and shows `<kind> <errMsg>` in #result.
 */
function shopPage(title: string, data: Record<string, unknown>, body: string): string {
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<!doctype html><meta charset="utf-8"><title>${title}</title>
<script src="${url}/open/js/jweixin-1.6.0.js"></script>
<script id="data" type="application/json">${json}</script>
<p id="status">loading</p><p id="result"></p><pre id="detail"></pre>${body}
<script>
const data = JSON.parse(document.getElementById("data").textContent);
const show = (kind) => (res) => {
  document.getElementById("detail").textContent = JSON.stringify(res);
  document.getElementById("result").textContent = kind + " " + res.errMsg;
};
window.call = (api, args) => {
  document.getElementById("result").textContent = "";
  wx[api](Object.assign({}, args, { success: show("success"), cancel: show("cancel"), fail: show("fail") }));
};
wx.config(data.config);
wx.ready(() => { document.getElementById("status").textContent = "ready"; });
wx.error((e) => { document.getElementById("status").textContent = "error: " + e.errMsg; });
</script>`;
}

/** The shop's pay page: a fresh order, its chooseWXPay parameters (timestamp lower-case). */
async function payPage(pageUrl: string, api: "v2" | "v3"): Promise<string> {
  const no = `SHOP${api}${Date.now()}`;
  const params: JsapiPayParameters =
    api === "v2"
      ? v2.jsapiParams(
          (
            await v2.unifiedOrder({
              body: "Oolong tea",
              out_trade_no: no,
              total_fee: 1999,
              notify_url: `${shop.url}/notify/v2`,
              openid,
            })
          ).prepay_id ?? "",
        )
      : v3.jsapiParams(
          (
            await v3.jsapi({
              description: "Oolong tea",
              out_trade_no: no,
              notify_url: `${shop.url}/notify/v3`,
              amount: { total: 1999 },
              payer: { openid },
            })
          ).prepay_id,
        );
  const { timeStamp, appId: _, ...rest } = params;
  const pay = { ...rest, timestamp: timeStamp };
  const config = await signer.configFor(pageUrl, { jsApiList: JS_APIS });
  return shopPage(
    "Tea shop",
    { config, pay, no },
    `<h1 id="no">${no}</h1>
<button id="buy" onclick="call('chooseWXPay', data.pay)">Buy ¥19.99</button>`,
  );
}

/** The card page of an account: addCard with a signed cardExt, chooseCard with its cardSign. */
async function cardPage(pageUrl: string, plain: boolean): Promise<string> {
  const s = plain ? plainSigner : signer;
  const config = await s.configFor(pageUrl, { jsApiList: JS_APIS });
  if (plain) return shopPage("Cards", { config, add: { cardList: [] } }, "");
  const apiTicket = await s.getTicket("wx_card");
  const add = { cardList: [addCardEntry({ apiTicket, cardId: offeredCard, outerStr: "page" })] };
  const choose = chooseCardParams({ apiTicket, appId: appid, cardId: offeredCard });
  return shopPage("Cards", { config, add, choose }, "");
}

/** The shop: its pages, its WeChat push endpoint, its pay notify endpoints. */
function shopHandler(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: string,
): void | Promise<void> {
  const u = new URL(req.url ?? "/", shop.url);
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
  const html = (page: Promise<string>) =>
    page.then(
      (text) => void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(text),
      (err: unknown) => void res.writeHead(500).end(String(err)),
    );
  if (u.pathname === "/shop") return html(payPage(u.href, u.searchParams.get("api") === "v3" ? "v3" : "v2"));
  if (u.pathname === "/cards") return html(cardPage(u.href, u.searchParams.get("as") === "plain"));
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
    jssdkDomains: ["127.0.0.1"],
    server: { url: `${shop.url}/wechat`, token: "teashop", mode: "plain" },
  });
  appid = account.appid as string;
  secret = account.secret as string;
  signer = createJssdk({ client: createClient({ appId: appid, appSecret: secret, baseUrl: url }) });
  const plain = await sim("POST", "/_mpstack/accounts", {
    name: "Tea blog",
    verified: true,
    jssdkDomains: ["127.0.0.1"],
  });
  plainAppid = plain.appid as string;
  plainSigner = createJssdk({
    client: createClient({ appId: plainAppid, appSecret: plain.secret as string, baseUrl: url }),
  });
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

/** A card on the shop's account, approved (card_pass_check pushed). */
async function approvedCard(title: string): Promise<string> {
  const client = createClient({ appId: appid, appSecret: secret, baseUrl: url });
  const { card_id } = await client.card.create({
    card: {
      card_type: "GROUPON",
      groupon: {
        base_info: {
          logo_url: "http://mmbiz.qpic.cn/x/0",
          brand_name: "Tea shop",
          code_type: "CODE_TYPE_QRCODE",
          title,
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
    pushes.find((m) => m.kind === "unknown" && m.Event === "card_pass_check" && m.fields.CardId === card_id),
  );
  return card_id;
}

describe.skipIf(!CHROMIUM)(`the shop's pages in Chromium ${CHROMIUM ? "" : CHROMIUM_SKIP}`, () => {
  let browser: Browser;
  let page: Page;
  const result = () => page.locator("#result").textContent();
  /** Open a shop page as the buyer, wx.config passed. */
  const open = async (path: string) => {
    await page.goto(`${shop.url}${path}`);
    await expect.poll(() => page.locator("#status").textContent()).toBe("ready");
  };

  beforeAll(async () => {
    browser = await launchChromium(CHROMIUM);
    page = await browser.newPage();
    // The buyer browses: a one-time link sets the platform's cookie, then the shop opens.
    const link = await sim("POST", "/_mpstack/users/buyer/browse-link", { next: `${shop.url}/shop` });
    await page.goto(String(link.link));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("wx.chooseWXPay (v2 and v3): the pay sheet over the page, paid, success; the shop verifies the notifications; a refund notifies", async () => {
    for (const api of ["v2", "v3"] as const) {
      await open(`/shop?api=${api}`);
      const no = (await page.textContent("#no")) ?? "";
      await page.click("#buy");
      const sheet = page.frameLocator('[data-mpstack="page-frame"]');
      await expect.poll(() => sheet.locator("#amount").textContent()).toContain("¥19.99");
      expect(await result()).toBe("");
      await sheet.locator("#pay").click();
      await expect.poll(result).toBe("success chooseWXPay:ok");
      await expect.poll(() => page.locator('[data-mpstack="page-frame"]').count()).toBe(0);
      const note = await until(() => paidNotes.find((n) => n.api === api && n.fields.out_trade_no === no));
      expect(note.fields).toMatchObject(
        api === "v2"
          ? { result_code: "SUCCESS", total_fee: "1999", openid }
          : { event: "TRANSACTION.SUCCESS", trade_state: "SUCCESS" },
      );
      expect(
        await (api === "v2" ? v2.orderQuery({ out_trade_no: no }) : v3.queryByOutTradeNo(no)),
      ).toMatchObject({ trade_state: "SUCCESS" });
      if (api === "v3") {
        await v3.refund({
          out_trade_no: no,
          out_refund_no: `R${no}`,
          amount: { refund: 999, total: 1999, currency: "CNY" },
        });
        const refund = await until(() => paidNotes.find((n) => n.fields.event === "REFUND.SUCCESS"));
        expect(refund.fields).toMatchObject({ out_refund_no: `R${no}`, refund_status: "SUCCESS" });
      }
    }
  });

  it("wx.chooseWXPay cancelled on the sheet: the page gets cancel, nothing is paid or notified", async () => {
    const before = ((await sim("GET", `/_mpstack/pay/notifications?appid=${appid}`)).notifications as [])
      .length;
    await open("/shop?api=v2");
    const no = (await page.textContent("#no")) ?? "";
    await page.click("#buy");
    await page.frameLocator('[data-mpstack="page-frame"]').locator("#cancel").click();
    await expect.poll(result).toBe("cancel chooseWXPay:cancel");
    expect(await v2.orderQuery({ out_trade_no: no })).toMatchObject({ trade_state: "NOTPAY" });
    const after = (await sim("GET", `/_mpstack/pay/notifications?appid=${appid}`)).notifications as [];
    expect(after).toHaveLength(before);
    expect(paidNotes.some((n) => n.fields.out_trade_no === no)).toBe(false);
  });

  it("wx.addCard puts the card in the user's list (user_get_card pushed); chooseCard and openCard answer; no grant → permission denied", async () => {
    offeredCard = await approvedCard("Tea for one");
    await open("/cards");
    await page.evaluate("call('addCard', data.add)");
    await expect.poll(result).toBe("success addCard:ok");
    const added = JSON.parse((await page.textContent("#detail")) ?? "{}") as {
      cardList: Array<{ cardId: string; code: string; isSuccess: boolean }>;
    };
    expect(added.cardList).toEqual([expect.objectContaining({ cardId: offeredCard, isSuccess: true })]);
    await page.click('[data-mpstack="info-close"]');
    const got = await until(() =>
      pushes.find(
        (m) => m.kind === "unknown" && m.Event === "user_get_card" && m.fields.CardId === offeredCard,
      ),
    );
    const code = got.kind === "unknown" ? String(got.fields.UserCardCode) : "";
    expect(got.kind === "unknown" && got.fields.OuterStr).toBe("page");
    const held = (await sim("GET", `/_mpstack/users/buyer/cards?appid=${appid}`)).cards as Array<{
      cardId: string;
      code: string;
    }>;
    expect(held).toContainEqual(expect.objectContaining({ cardId: offeredCard, code }));
    const client = createClient({ appId: appid, appSecret: secret, baseUrl: url });
    expect((await client.card.decryptCode({ encrypt_code: added.cardList[0]?.code ?? "" })).code).toBe(code);

    // chooseCard lists the user's matching cards in a native sheet; the page gets what is picked.
    await page.evaluate("call('chooseCard', data.choose)");
    await page.click('[data-mpstack="choice-0"]');
    await page.click('[data-mpstack="choice-ok"]');
    await expect.poll(result).toBe("success chooseCard:ok");
    const chosen = JSON.parse((await page.textContent("#detail")) ?? "{}") as { cardList: string };
    const list = JSON.parse(chosen.cardList) as Array<{ card_id: string; encrypt_code: string }>;
    expect(list.map((c) => c.card_id)).toEqual([offeredCard]);
    expect((await client.card.decryptCode({ encrypt_code: list[0]?.encrypt_code ?? "" })).code).toBe(code);

    await page.evaluate(
      `call('openCard', { cardList: [{ cardId: ${JSON.stringify(offeredCard)}, code: ${JSON.stringify(code)} }] })`,
    );
    await expect.poll(result).toBe("success openCard:ok");
    await until(() =>
      pushes.find(
        (m) => m.kind === "unknown" && m.Event === "user_view_card" && m.fields.UserCardCode === code,
      ),
    );
    await page.click('[data-mpstack="info-close"]');

    await open("/cards?as=plain");
    await page.evaluate("call('addCard', data.add)");
    await expect.poll(result).toBe("fail addCard:permission denied");
  });
});

describe("a card from creation to redemption", () => {
  it("is created with the typed client, received by QR scan, consumed; the shop gets the events", async () => {
    const client = createClient({ appId: appid, appSecret: secret, baseUrl: url });
    const card_id = await approvedCard("Tea for two");
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
