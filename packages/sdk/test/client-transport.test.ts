/**
 * Where the client's requests go and what they never show: base URLs per host kind, and secrets kept
 * out of errors, logs and printed clients.
 */
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, type WechatApiError, WechatRequestError } from "../src/index.js";
import { adHoc, clientFor } from "./client-harness.js";
import { errorBody, type FakeWechat, startFakeWechat } from "./helpers/fake-wechat.js";

let fake: FakeWechat;
beforeEach(async () => {
  fake = await startFakeWechat({ tokenDelayMs: 30 });
});
afterEach(async () => {
  await fake.close();
});

describe("base URL routing", () => {
  it("sends api, mp and open endpoints to the single base URL", async () => {
    fake.on("/cgi-bin/showqrcode", () => ({
      body: Buffer.from("GIF89a"),
      headers: { "content-type": "image/gif" },
    }));
    fake.on("/connect/oauth2/authorize", () => ({ json: { ok: true } }));
    const client = clientFor(fake);
    await client.basic.getCallbackIp();
    await client.call(adHoc.page, { ticket: "t" });
    await client.call(adHoc.authorize, { appid: fake.appId });
    expect(fake.requests.map((r) => r.path)).toEqual([
      "/cgi-bin/token",
      "/cgi-bin/getcallbackip",
      "/cgi-bin/showqrcode",
      "/connect/oauth2/authorize",
    ]);
  });

  it("keeps a path prefix of the base URL", async () => {
    const urls: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      urls.push(String(input));
      return Response.json({ access_token: "T", expires_in: 7200 });
    };
    const client = createClient({
      appId: "wx1",
      appSecret: "s",
      baseUrl: "http://localhost:9/wechat/",
      fetch: fetchSpy,
    });
    await client.getAccessToken();
    expect(urls[0]).toMatch(/^http:\/\/localhost:9\/wechat\/cgi-bin\/token\?/);
  });

  it("maps hosts to WeChat's hosts when no base URL is set", async () => {
    const urls: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      const url = String(input);
      urls.push(url);
      if (url.includes("/cgi-bin/token")) return Response.json({ access_token: "T", expires_in: 7200 });
      if (url.includes("showqrcode"))
        return new Response("GIF89a", { headers: { "content-type": "image/gif" } });
      return Response.json({ ok: true });
    };
    const client = createClient({ appId: "wx1", appSecret: "s", fetch: fetchSpy });
    await client.basic.getCallbackIp();
    await client.call(adHoc.page, { ticket: "t" });
    await client.call(adHoc.authorize, { appid: "wx1" });
    expect(urls.map((u) => new URL(u).origin)).toEqual([
      "https://api.weixin.qq.com",
      "https://api.weixin.qq.com",
      "https://mp.weixin.qq.com",
      "https://open.weixin.qq.com",
    ]);
  });
});

describe("secrets", () => {
  it("never appear in errors or in the client's printed forms", async () => {
    const client = clientFor(fake);
    const token = await client.getAccessToken();
    fake.on("/cgi-bin/getcallbackip", () => ({ json: errorBody(45009, "reach max api daily quota limit") }));
    const apiError = await client.basic.getCallbackIp().catch((e: unknown) => e);

    const wrongSecret = createClient({
      appId: fake.appId,
      appSecret: "wrong-secret-value",
      baseUrl: fake.url,
    });
    const tokenError = await wrongSecret.getAccessToken().catch((e: unknown) => e);
    expect((tokenError as WechatApiError).errcode).toBe(40125);

    const offline = createClient({ appId: "wx1", appSecret: fake.appSecret, baseUrl: "http://127.0.0.1:1" });
    const networkError = await offline.getAccessToken().catch((e: unknown) => e);
    expect(networkError).toBeInstanceOf(WechatRequestError);

    const slow = await startFakeWechat({ appId: fake.appId, appSecret: fake.appSecret, tokenDelayMs: 500 });
    const timeoutError = await clientFor(slow, { timeoutMs: 50 })
      .getAccessToken()
      .catch((e: unknown) => e);
    await slow.close();
    expect((timeoutError as Error).message).toContain("timed out");

    const printed = [apiError, tokenError, networkError, timeoutError]
      .flatMap((e) => [String(e), (e as Error).stack ?? "", inspect(e, { depth: 10, showHidden: true })])
      .concat([String(client), JSON.stringify(client), inspect(client, { depth: 10, showHidden: true })]);
    for (const text of printed) {
      expect(text).not.toContain(fake.appSecret);
      expect(text).not.toContain("wrong-secret-value");
      expect(text).not.toContain(token);
    }
    expect(inspect(client)).toContain(fake.appId);
  });
});
