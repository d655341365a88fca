/**
 * The console end to end in Chromium against a real platform and the demo bot: create an account,
 * point it at the bot (handshake), follow and chat on the phone, tap the menu, scan a code, watch the
 * push inspector and the API log fill, the area panels (materials, mass jobs, templates, pay and
 * cards, JS-SDK) with data made through the WeChat API, the pay sheet and the JS-SDK bridge, move the
 * clock, switch the language. Every screen is saved
 * at desktop and phone width (MPSTACK_SCREENSHOTS_DIR, else a temp folder; `npm run screenshots -w
 * @mpstack/console` writes docs/screenshots). Any browser console error fails the suite.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AccountView, createPlatform, type Platform } from "@mpstack/platform";
import { buildXml, parseXml, paySign } from "@mpstack/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EchoBot, startEchoBot } from "../../../examples/echo-bot/src/index.js";
import { launchChromium } from "../../../scripts/chromium.js";

const CHROMIUM = process.env.MPSTACK_TEST_CHROMIUM;
const SKIP = "(skipped: MPSTACK_TEST_CHROMIUM not set)";
const consoleDir = fileURLToPath(new URL("../../platform/dist/console", import.meta.url));
/** A 1×1 PNG (a real image: the materials panel shows it as a thumbnail). */
const PNG_1PX =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const WIDTHS = [
  { name: "desktop", width: 1280, height: 820 },
  { name: "phone", width: 375, height: 760 },
] as const;

describe.skipIf(!CHROMIUM)(`console in Chromium ${CHROMIUM ? "" : SKIP}`, () => {
  let platform: Platform;
  let url: string;
  let bot: EchoBot | undefined;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "mpstack-console-e2e-"));
  const shots = process.env.MPSTACK_SCREENSHOTS_DIR ?? join(dataDir, "screenshots");

  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
  /** Save the current screen at both widths (back at desktop width afterwards). */
  const shoot = async (name: string) => {
    for (const w of [...WIDTHS].reverse()) {
      await page.setViewportSize({ width: w.width, height: w.height });
      await page.waitForTimeout(120);
      await page.screenshot({ path: join(shots, `${name}-${w.name}.png`) });
    }
  };
  const go = async (hash: string) => {
    await page.evaluate((h) => {
      window.location.hash = h;
    }, hash);
  };

  beforeAll(async () => {
    if (!existsSync(join(consoleDir, "index.html"))) {
      const { build } = await import("vite");
      await build({
        configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)),
        logLevel: "warn",
      });
    }
    mkdirSync(shots, { recursive: true });
    platform = await createPlatform({ dataDir, port: 0 });
    url = await platform.listen();
    browser = await launchChromium(CHROMIUM);
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: "en-US" });
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(`${url}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await bot?.close();
    await platform?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates an account and points it at the demo bot (handshake)", async () => {
    await page.getByRole("link", { name: "Accounts" }).first().click();
    await page.getByRole("button", { name: "New account" }).click();
    await page.getByLabel("Name").fill("E2E Shop");
    await page.getByRole("button", { name: "Create the account" }).click();
    await page.getByRole("heading", { name: "E2E Shop · VV" }).waitFor();
    const { accounts } = await api<{ accounts: AccountView[] }>("/_mpstack/accounts");
    const a = accounts.find((x) => x.name === "E2E Shop")!;
    bot = await startEchoBot({
      port: 0,
      platformUrl: url,
      accounts: [
        {
          appId: a.appid,
          appSecret: a.secret,
          token: a.server.token,
          encodingAESKey: a.server.encodingAESKey,
          name: a.name,
        },
      ],
      onError: () => {},
    });
    expect(bot.menus[a.appid]?.created).toBe(true);
    await page.getByLabel("Server URL").fill(bot.urlOf(a.appid));
    await page.getByRole("button", { name: "Save (handshake)" }).click();
    await page.locator(".handshake .badge-ok").waitFor();
    await page.locator(".creds").filter({ hasText: a.secret }).waitFor();
    await shoot("account");
    await go("#/accounts");
    await page.getByRole("cell", { name: "E2E Shop" }).waitFor();
    await shoot("accounts");
  });

  it("follows, chats, taps the menu and scans a code on the phone", async () => {
    const { accounts } = await api<{ accounts: AccountView[] }>("/_mpstack/accounts");
    const a = accounts.find((x) => x.name === "E2E Shop")!;
    await go(`#/phones?user=alice&appid=${a.appid}`);
    const phone = page.locator(`.phone[data-user="alice"][data-appid="${a.appid}"]`);
    await phone.getByRole("button", { name: "Follow this account" }).click();
    await phone.locator(".msg-account").filter({ hasText: "Welcome to E2E Shop" }).waitFor();
    // the menu shows once following; the keyboard is one tap away
    await phone.getByRole("menuitem", { name: "Hello" }).click();
    await phone.locator(".msg-account").filter({ hasText: "Hello from E2E Shop!" }).waitFor();
    await phone.getByRole("menuitem", { name: /Try/ }).click();
    await phone.getByRole("menuitem", { name: "Scan a code" }).waitFor();
    await page.keyboard.press("Escape");
    await phone.getByRole("button", { name: "Show the keyboard" }).click();
    const input = phone.getByRole("textbox", { name: "Message" });
    await input.fill("hello console /::)");
    await input.press("Enter");
    await phone.locator(".msg-user").filter({ hasText: "hello console 🙂" }).waitFor();
    await phone.locator(".msg-account").filter({ hasText: "hello console" }).waitFor();
    // a QR code of the account, scanned from the "+" sheet: the follower pushes SCAN
    const token = await api<{ access_token: string }>(
      `/cgi-bin/token?grant_type=client_credential&appid=${a.appid}&secret=${a.secret}`,
    );
    await api(`/cgi-bin/qrcode/create?access_token=${token.access_token}`, {
      action_name: "QR_LIMIT_STR_SCENE",
      action_info: { scene: { scene_str: "poster-1" } },
    });
    await phone.getByRole("button", { name: /More/ }).click();
    await phone.getByRole("button", { name: "Scan", exact: true }).click();
    await phone.getByRole("button", { name: /poster-1/ }).click();
    await phone.locator(".msg-center").filter({ hasText: "SCAN · poster-1" }).waitFor();
    // voice (a generated sample, playable) and a place from the presets
    await phone.getByRole("button", { name: /More/ }).click();
    await phone.getByRole("button", { name: "Voice", exact: true }).click();
    await phone.getByRole("button", { name: "Send a sample voice" }).click();
    await phone.locator(".msg-user audio").waitFor();
    await phone.getByRole("button", { name: /More/ }).click();
    await phone.getByRole("button", { name: "Location", exact: true }).click();
    await phone.getByRole("button", { name: /West Lake/ }).click();
    await phone.locator(".msg-user").filter({ hasText: "West Lake" }).waitFor();
    // a pic_* menu button: the pictures sheet, then the event
    await phone.getByRole("button", { name: "Show the menu" }).click();
    await phone.getByRole("menuitem", { name: /Try/ }).click();
    await phone.getByRole("menuitem", { name: "Send a photo" }).click();
    await phone.getByRole("button", { name: "Send without choosing" }).click();
    await phone.locator(".msg-center").filter({ hasText: "pic_photo_or_album" }).waitFor();
    // the in-app browser: a link in a message opens a tab that is this simulated user
    await phone.getByRole("button", { name: "Show the keyboard" }).click();
    await input.fill(`${url}/_mpstack/browse/whoami`);
    await input.press("Enter");
    const popup = page.waitForEvent("popup");
    await phone.locator(".msg-account a").filter({ hasText: "/_mpstack/browse/whoami" }).last().click();
    const tab = await popup;
    await tab.waitForURL(/\/_mpstack\/browse\/whoami$/);
    expect(JSON.parse((await tab.textContent("body")) ?? "{}")).toEqual({ user: "alice" });
    await tab.close();
    // a second phone beside it
    await page.getByRole("button", { name: "Add a phone" }).click();
    await page.locator(".phone").nth(1).waitFor();
    await shoot("phones");
  });

  it("shows the pushes with their attempts and the API calls live", async () => {
    await go("#/pushes");
    const pushes = page.getByTestId("pushes");
    const scanRow = pushes.locator("tbody tr").filter({ hasText: "event · SCAN" });
    await scanRow.waitFor();
    await scanRow.getByRole("button").click();
    await page
      .getByRole("heading", { name: /Attempt 1/ })
      .first()
      .waitFor();
    await page
      .locator(".detail")
      .filter({ hasText: "<MsgType><![CDATA[event]]></MsgType>" })
      .first()
      .waitFor();
    await shoot("pushes");

    await go("#/api");
    const log = page.getByTestId("api-log");
    await log.getByText("/cgi-bin/qrcode/create").first().waitFor();
    // a failing call appears live, and its errcode links to its meaning
    await api("/cgi-bin/user/info?access_token=nope&openid=x");
    const bad = log.locator("tr").filter({ hasText: "/cgi-bin/user/info" }).first();
    await bad.waitFor();
    await shoot("api-log");
    const code = (await bad.getByRole("link").textContent())?.trim() ?? "";
    expect(Number(code)).toBeGreaterThan(0);
    await bad.getByRole("link").click();
    await page.locator("tr.marked").filter({ hasText: code }).waitFor();
    await shoot("errcodes");
  });

  it("shows permissions, users, menus and QR codes", async () => {
    const { accounts } = await api<{ accounts: AccountView[] }>("/_mpstack/accounts");
    const a = accounts.find((x) => x.name === "E2E Shop")!;
    await go(`#/permissions?appid=${a.appid}`);
    await page.getByRole("cell", { name: "推广支持-生成带参数二维码" }).waitFor();
    await shoot("permissions");
    await go(`#/users?appid=${a.appid}`);
    await page
      .getByTestId("users")
      .locator("tr")
      .filter({ has: page.getByRole("cell", { name: "alice", exact: true }) })
      .getByText("yes", { exact: true })
      .waitFor();
    await shoot("users");
    await go(`#/menus?appid=${a.appid}`);
    await page.locator(".qr-card").filter({ hasText: "poster-1" }).waitFor();
    await page.locator(".menu-drawing").getByText("Hello", { exact: true }).waitFor();
    await shoot("menus");
  });

  it("shows materials, mass jobs, templates, pay and JS-SDK, updating live", async () => {
    // An account with the pay grant and a JS-SDK domain; carol follows it.
    const acct = await api<AccountView>("/_mpstack/accounts", {
      name: "E2E Areas",
      type: "service",
      verified: true,
      grants: ["pay"],
      jssdkDomains: ["127.0.0.1"],
    });
    const appid = acct.appid;
    await api("/_mpstack/users", { id: "carol", nickname: "Carol" });
    const { openid } = await api<{ openid: string }>("/_mpstack/users/carol/follow", { appid });
    const { access_token: at } = await api<{ access_token: string }>(
      `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${acct.secret}`,
    );
    const wx = <T = Record<string, unknown>>(path: string, body: unknown) =>
      api<T & { errcode?: number }>(`${path}?access_token=${at}`, body);

    // Materials: a temporary image made on the user's side, a permanent image, a draft using it.
    await api(`/_mpstack/accounts/${appid}/media`, {
      type: "image",
      source: "user",
      filename: "e2e.png",
      data: PNG_1PX,
    });
    const form = new FormData();
    form.append("media", new Blob([Buffer.from(PNG_1PX, "base64")], { type: "image/png" }), "cover.png");
    const cover = (await (
      await fetch(`${url}/cgi-bin/material/add_material?type=image&access_token=${at}`, {
        method: "POST",
        body: form,
      })
    ).json()) as { media_id: string };
    expect(cover.media_id).toBeTruthy();
    const draft = await wx("/cgi-bin/draft/add", {
      articles: [{ title: "E2E spring menu", thumb_media_id: cover.media_id, content: "<p>tea</p>" }],
    });
    expect(draft.errcode ?? 0).toBe(0);
    await go(`#/materials?appid=${appid}`);
    await page.getByTestId("temporary-media").getByText("e2e.png", { exact: false }).waitFor();
    await page.getByTestId("temporary-media").locator("img.thumb").waitFor();
    await page.getByTestId("permanent-materials").getByText(cover.media_id).waitFor();
    await page.getByTestId("drafts").getByText("E2E spring menu").waitFor();
    await shoot("materials");

    // Mass: the panel is open before the job exists; it appears and finishes live.
    await go(`#/mass?appid=${appid}`);
    await page.getByTestId("mass-jobs").getByText("No mass jobs").waitFor();
    const mass = await wx("/cgi-bin/message/mass/sendall", {
      filter: { is_to_all: true },
      msgtype: "text",
      text: { content: "hello everyone" },
    });
    expect(mass.errcode).toBe(0);
    const job = page.getByTestId("mass-jobs").locator("tbody tr").first();
    await job.getByText("SEND_SUCCESS").waitFor();
    await job.getByText("send success").waitFor();
    await job.getByText("all followers").waitFor();
    await shoot("mass");

    // Templates: an industry, a library template, one send to carol.
    expect(
      (await wx("/cgi-bin/template/api_set_industry", { industry_id1: 1, industry_id2: 13 })).errcode,
    ).toBe(0);
    const tmpl = await wx<{ template_id: string }>("/cgi-bin/template/api_add_template", {
      template_id_short: "TM00015",
    });
    expect(tmpl.errcode).toBe(0);
    await go(`#/templates?appid=${appid}`);
    await page.getByTestId("templates").getByText(tmpl.template_id).waitFor();
    const sent = await wx("/cgi-bin/message/template/send", {
      touser: openid,
      template_id: tmpl.template_id,
      data: { first: { value: "Your order" } },
    });
    expect(sent.errcode).toBe(0);
    await page.getByTestId("template-sends").getByText("delivered").waitFor();
    await shoot("templates");

    // Pay: the panel is open; an order placed and paid on the sheet shows with its notification live.
    const merchant = await api<{ mchId: string; apiKey: string }>(`/_mpstack/accounts/${appid}/merchant`);
    const notify = http.createServer((req, res) => {
      req.resume();
      req.on("end", () =>
        res
          .writeHead(200, { "content-type": "text/xml" })
          .end(buildXml({ return_code: "SUCCESS", return_msg: "OK" })),
      );
    });
    await new Promise<void>((resolve) => notify.listen(0, "127.0.0.1", resolve));
    try {
      await go(`#/pay?appid=${appid}`);
      await page.getByText(merchant.mchId).waitFor();
      expect(await page.getByText(merchant.apiKey).count()).toBe(0);
      const order: Record<string, string | number> = {
        appid,
        mch_id: merchant.mchId,
        nonce_str: "e2e0nce",
        body: "Tea",
        out_trade_no: "E2E-ORDER-1",
        total_fee: 1234,
        spbill_create_ip: "127.0.0.1",
        notify_url: `http://127.0.0.1:${(notify.address() as AddressInfo).port}/notify`,
        trade_type: "JSAPI",
        openid,
      };
      order.sign = paySign(order, merchant.apiKey);
      const placed = parseXml(
        await (await fetch(`${url}/pay/unifiedorder`, { method: "POST", body: buildXml(order) })).text(),
      ) as Record<string, string>;
      expect(placed.result_code).toBe("SUCCESS");
      const orders = page.getByTestId("pay-orders");
      await orders.getByText("E2E-ORDER-1").waitFor();
      await orders.getByText("NOTPAY").waitFor();
      const params: Record<string, string> = {
        appId: appid,
        timeStamp: String(Math.floor(Date.now() / 1000)),
        nonceStr: "n0nce",
        package: `prepay_id=${placed.prepay_id}`,
        signType: "MD5",
      };
      params.paySign = paySign(params, merchant.apiKey);
      const started = await api<{ ok: boolean; sessionId: string }>("/_mpstack/users/carol/pay", { params });
      expect(started.ok).toBe(true);
      await api(`/_mpstack/pay/sessions/${started.sessionId}`, { action: "pay" });
      await orders.getByText("SUCCESS").waitFor();
      await orders.getByText("¥12.34").waitFor();
      const note = page.getByTestId("pay-notifications").locator("tbody tr").first();
      await note.getByText("delivered").waitFor();
      await note.getByText("HTTP 200").waitFor();
      await note.getByRole("button").click();
      await page.getByRole("heading", { name: /Attempt 1/ }).waitFor();
      await page.getByRole("button", { name: "Reveal" }).first().click();
      await page.getByText(merchant.apiKey).waitFor();
      await shoot("pay");
    } finally {
      await new Promise((resolve) => notify.close(resolve));
    }

    // JS-SDK: a page of the account (as carol, through the bridge) sets what it shares.
    await go(`#/jssdk?appid=${appid}`);
    await page.getByTestId("jssdk-shares").getByText("No page has set its sharing").waitFor();
    const link = await api<{ path: string }>("/_mpstack/users/carol/browse-link", { next: "/" });
    const entered = await fetch(`${url}${link.path}`, { redirect: "manual" });
    const cookie = entered.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const script = await (await fetch(`${url}/_mpstack/jsbridge.js`, { headers: { cookie } })).text();
    const bridgeToken = /"token":"([^"]+)"/.exec(script)?.[1];
    expect(bridgeToken).toBeTruthy();
    const pageUrl = `${url}/e2e/shop`;
    let session: string | undefined;
    const bridge = async (n: string, a: Record<string, unknown>) => {
      const res = await fetch(`${url}/_mpstack/jsbridge/invoke`, {
        method: "POST",
        headers: { "content-type": "text/plain;charset=UTF-8", origin: url },
        body: JSON.stringify({ t: bridgeToken, s: session, u: pageUrl, n, a }),
      });
      const answer = (await res.json()) as { r: { err_msg?: string }; s?: string };
      if (answer.s) session = answer.s;
      return answer.r.err_msg;
    };
    const signed = await api<{ appId: string; timestamp: number; nonceStr: string; signature: string }>(
      `/_mpstack/accounts/${appid}/jssdk/signature`,
      { url: pageUrl },
    );
    expect(
      await bridge("preVerifyJSAPI", {
        verifyAppId: signed.appId,
        verifyTimestamp: String(signed.timestamp),
        verifyNonceStr: signed.nonceStr,
        verifySignature: signed.signature,
        verifyJsApiList: ["updateAppMessageShareData"],
      }),
    ).toBe("config:ok");
    expect(
      await bridge("updateAppMessageShareData", {
        title: "E2E tea sale",
        desc: "Two for one",
        link: `${url}/e2e/shop?from=share`,
        imgUrl: "",
      }),
    ).toBe("updateAppMessageShareData:ok");
    await page.getByTestId("jssdk-shares").getByText("E2E tea sale").first().waitFor();
    await page.getByTestId("jssdk-calls").getByText("updateAppMessageShareData:ok").waitFor();
    await shoot("jssdk");
  });

  it("moves the clock and switches the language", async () => {
    await go("#/clock");
    const now = page.getByTestId("clock-now");
    await now.waitFor();
    await page.getByRole("button", { name: "+1 day" }).click();
    await now.filter({ hasText: "+1d 0h" }).waitFor();
    await page.locator(".topbar .clock .badge").waitFor();
    await shoot("clock");
    await page.getByRole("button", { name: "中文" }).click();
    await page.getByRole("navigation").getByText("推送记录").waitFor();
    await go("#/phones");
    await shoot("phones-zh");
    await page.getByRole("button", { name: "English" }).click();
    // keyboard: on a fresh page the first Tab reaches the skip link
    await page.reload();
    await page.getByRole("navigation").getByText("Phones").waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
  });

  it("logged no browser console errors", () => {
    expect(errors).toEqual([]);
  });
});
