/**
 * The console end to end in Chromium against a real platform and the demo bot: create an account,
 * point it at the bot (handshake), follow and chat on the phone, tap the menu, scan a code, watch the
 * push inspector and the API log fill, move the clock, switch the language. Every screen is saved
 * at desktop and phone width (MPSTACK_SCREENSHOTS_DIR, else a temp folder; `npm run screenshots -w
 * @mpstack/console` writes docs/screenshots). Any browser console error fails the suite.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AccountView, createPlatform, type Platform } from "@mpstack/platform";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EchoBot, startEchoBot } from "../../../examples/echo-bot/src/index.js";

const CHROMIUM = process.env.MPSTACK_TEST_CHROMIUM;
const SKIP = "(skipped: MPSTACK_TEST_CHROMIUM not set)";
const consoleDir = fileURLToPath(new URL("../../platform/dist/console", import.meta.url));
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
    browser = await chromium.launch({
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
