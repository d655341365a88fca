/**
 * The web demo in headless Chromium against the platform (one browser for the file): WeChat's own
 * jweixin (npm weixin-js-sdk, and the platform's jweixin-1.6.0.js) over the platform's
 * WeixinJSBridge. A simulated user signs in with snsapi_userinfo and sees their nickname;
 * wx.config reaches ready with the server's signature, and error with a tampered one and on a
 * domain the account did not bind; chooseImage → uploadImage → the server downloads it with
 * media/get; scanQRCode reads a platform QR code, and scans it in WeChat's way (SCAN pushed).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, demoAppid, demoSecret, type Platform } from "@mpstack/platform";
import { createClient } from "@mpstack/sdk";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../scripts/chromium.js";
import { startWebDemo, type WebDemo } from "../src/index.js";

const CHROMIUM = process.env.MPSTACK_TEST_CHROMIUM;
const VV = { appId: demoAppid(4), appSecret: demoSecret(4) };
const OTHER = { appId: "wx00000000000000f1", appSecret: "f0000000000000000000000000000001" };

describe.skipIf(!CHROMIUM)(
  `web demo in Chromium${CHROMIUM ? "" : " (skipped: MPSTACK_TEST_CHROMIUM not set)"}`,
  () => {
    let platform: Platform;
    let url: string;
    let dir: string;
    let demo: WebDemo;
    let elsewhere: WebDemo;
    let browser: Browser;
    let page: Page;
    const sim = (path: string, body: unknown, method = "POST") =>
      fetch(url + path, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const text = (selector: string) => page.locator(selector);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "mpstack-web-demo-"));
      platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
      url = await platform.listen();
      // An account whose JS safe domain is not where its pages run.
      await sim("/_mpstack/accounts", {
        ...{ appid: OTHER.appId, secret: OTHER.appSecret },
        verified: true,
        jssdkDomains: ["wx.example.com"],
      });
      demo = await startWebDemo({ ...VV, platformUrl: url, port: 0 });
      elsewhere = await startWebDemo({ ...OTHER, platformUrl: url, port: 0 });
      browser = await launchChromium(CHROMIUM);
      page = await browser.newPage();
    });
    afterAll(async () => {
      await browser?.close();
      await demo?.close();
      await elsewhere?.close();
      await platform?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("signs a simulated user in with snsapi_userinfo and shows the nickname", async () => {
      const link = await sim("/_mpstack/users/erin/browse-link", { next: `${demo.url}/` });
      await page.goto(String(link.link));
      // The platform's consent page, then back to the demo.
      await page.click("#mpstack-allow");
      await expect.poll(() => text("#nickname").textContent()).toBe("Erin");
    });

    it("wx.config: ready with the server's signature; error with a tampered one or an unbound domain", async () => {
      await page.goto(`${demo.url}/jssdk`);
      await expect.poll(() => text("#status").textContent()).toBe("ready");
      expect(await page.evaluate("navigator.userAgent")).toMatch(/MicroMessenger\/8\./);
      await page.goto(`${demo.url}/jssdk?lib=cdn`);
      await expect.poll(() => text("#status").textContent()).toBe("ready");
      await page.route("**/jssdk/config", async (route) => {
        const config = await (await route.fetch()).json();
        await route.fulfill({ json: { ...config, signature: "0".repeat(40) } });
      });
      try {
        await page.goto(`${demo.url}/jssdk`);
        await expect.poll(() => text("#status").textContent()).toBe("error: config:invalid signature");
      } finally {
        await page.unroute("**/jssdk/config");
      }
      await page.goto(`${elsewhere.url}/jssdk`);
      await expect.poll(() => text("#status").textContent()).toBe("error: config:invalid url domain");
    });

    it("chooseImage → uploadImage → the server downloads the image with media/get", async () => {
      await page.goto(`${demo.url}/jssdk`);
      await expect.poll(() => text("#status").textContent()).toBe("ready");
      await page.click("#choose");
      await page.click('[data-mpstack="sample-1"]');
      await page.click('[data-mpstack="images-ok"]');
      await expect.poll(() => text("#choose-result").textContent()).toMatch(/^wxlocalresource:\/\//);
      // The <img src=localId> shows the chosen picture.
      await expect.poll(() => page.evaluate('document.getElementById("picked").naturalWidth')).toBe(240);
      await page.click("#upload");
      const sample = await fetch(`${url}/_mpstack/jsbridge/samples/erin/1.png`).then((r) => r.arrayBuffer());
      await expect
        .poll(() => text("#upload-result").textContent())
        .toBe(`image/png, ${sample.byteLength} bytes`);
    });

    it("scanQRCode reads a platform QR code, and scans it as WeChat does (SCAN pushed)", async () => {
      const client = createClient({ ...VV, baseUrl: url });
      const code = await client.qrcode.create({
        action_name: "QR_LIMIT_STR_SCENE",
        action_info: { scene: { scene_str: "desk-3" } },
      });
      await page.goto(`${demo.url}/jssdk`);
      await expect.poll(() => text("#status").textContent()).toBe("ready");
      await page.click("#scan");
      await page.click('[data-mpstack="code-0"]');
      await expect.poll(() => text("#scan-result").textContent()).toBe(code.url);
      await page.click("#scan-wechat");
      await page.click('[data-mpstack="code-0"]');
      await expect.poll(() => text("#scan-result").textContent()).toBe("scanQRCode:ok");
      const talk = await fetch(`${url}/_mpstack/users/erin/conversations/${VV.appId}`).then((r) => r.json());
      const events = (talk as { messages: { payload: Record<string, unknown> }[] }).messages.map(
        (m) => m.payload,
      );
      expect(events).toContainEqual(expect.objectContaining({ Event: "SCAN", EventKey: "desk-3" }));
    });

    it("records and translates a voice clip, uploads it; the location prompt; sharing from the menu", async () => {
      await page.goto(`${demo.url}/jssdk`);
      await expect.poll(() => text("#status").textContent()).toBe("ready");
      await page.click("#record");
      await expect.poll(() => text("#voice-result").textContent()).toBe("recording");
      await page.fill('[data-mpstack="transcript"]', "明天见");
      await page.click("#stop");
      await expect.poll(() => text("#voice-text").textContent()).toBe("明天见");
      await page.click("#voice-upload");
      await expect.poll(() => text("#voice-result").textContent()).toMatch(/^audio\/amr, \d+ bytes$/);
      await sim("/_mpstack/users/erin/location", { appid: VV.appId, latitude: 30.2741, longitude: 120.1551 });
      await page.click("#location");
      await page.click('[data-mpstack="location-allow"]');
      await expect.poll(() => text("#location-result").textContent()).toBe("30.2741, 120.1551");
      await page.click("#share");
      await expect.poll(() => text("#share-result").textContent()).toBe("ok");
      await page.click('[data-mpstack="menu"]');
      await page.click('[data-mpstack="share-appMessage"]');
      await expect
        .poll(() => text('[data-mpstack="toast"]').textContent())
        .toContain("JS-SDK · mpstack web demo");
      const shares = await fetch(`${url}/_mpstack/accounts/${VV.appId}/jssdk/shares?user=erin`).then((r) =>
        r.json(),
      );
      expect((shares as { shares: { target: string }[] }).shares.map((x) => x.target).sort()).toEqual([
        "appMessage",
        "qq",
      ]);
    });

    it("answers in the shape of the phone's platform (Android, iPhone), as jweixin parses it", async () => {
      const phone = async (userAgent: string) => {
        const context = await browser.newContext({ userAgent });
        const p = await context.newPage();
        const link = await sim("/_mpstack/users/erin/browse-link", { next: `${demo.url}/jssdk` });
        await p.goto(String(link.link));
        await expect.poll(() => p.locator("#status").textContent()).toBe("ready");
        return { context, p };
      };
      const android = await phone(
        "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36",
      );
      const checked = await android.p.evaluate(
        'new Promise((done) => wx.checkJsApi({ jsApiList: ["chooseImage", "noSuchApi"], success: (r) => done(r.checkResult) }))',
      );
      expect(checked).toEqual({ chooseImage: true, noSuchApi: false });
      await android.context.close();
      const iphone = await phone(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
      );
      await iphone.p.click("#scan");
      await iphone.p.click('[data-mpstack="code-0"]');
      await expect
        .poll(() => iphone.p.locator("#scan-result").textContent())
        .toMatch(/^http:\/\/weixin\.qq\.com\/q\//);
      await iphone.context.close();
    });
  },
);
