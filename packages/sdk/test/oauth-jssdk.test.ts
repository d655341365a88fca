/**
 * The SDK's OAuth helper and JS-SDK signer against the real platform (in-process, SQLite, demo
 * world): the authorize URL as WeChat documents it, a whole snsapi_userinfo flow by HTTP (the
 * browser's part done with the browsing cookie), refresh, profile, token check and typed errors;
 * tickets fetched once for many pages and shared through a token store; a signed config the
 * platform's bridge accepts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, demoAppid, demoSecret, type Platform } from "@mpstack/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createJssdk, createOAuth, MemoryTokenStore, WechatApiError } from "../src/index.js";

let platform: Platform;
let url: string;
let dir: string;
const account = { appId: demoAppid(4), appSecret: demoSecret(4) };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-web-"));
  platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
  url = await platform.listen();
});
afterAll(async () => {
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The browser's part: a browsing cookie for `user` entering from the account's menu (silent consent). */
async function browserCode(authorizeUrl: string, user: string): Promise<URL> {
  const made = await fetch(`${url}/_mpstack/users/${user}/browse-link`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ next: "/", entry: { appid: account.appId, from: "menu" } }),
  }).then((r) => r.json() as Promise<{ path: string }>);
  const link = await fetch(url + made.path, { redirect: "manual" });
  const cookie = link.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(authorizeUrl, { redirect: "manual", headers: { cookie } });
  expect(res.status).toBe(302);
  return new URL(String(res.headers.get("location")));
}

describe("OAuth helper", () => {
  it("builds the authorize URL in WeChat's documented form", () => {
    const oauth = createOAuth({ ...account });
    expect(
      oauth.authorizeUrl({
        redirectUri: "https://shop.example.cn/wx/cb?from=menu",
        scope: "snsapi_userinfo",
        state: "k7Qm2x9",
      }),
    ).toBe(
      `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${account.appId}&redirect_uri=https%3A%2F%2Fshop.example.cn%2Fwx%2Fcb%3Ffrom%3Dmenu&response_type=code&scope=snsapi_userinfo&state=k7Qm2x9#wechat_redirect`,
    );
    expect(oauth.authorizeUrl({ redirectUri: "http://a.example/", forcePopup: true })).toMatch(
      /scope=snsapi_base&state=&forcePopup=true#wechat_redirect$/,
    );
    expect(() => oauth.authorizeUrl({ redirectUri: "http://a.example/", state: "a-b" })).toThrow(RangeError);
    expect(() => oauth.authorizeUrl({ redirectUri: "/relative" })).toThrow(RangeError);
  });

  it("runs a whole snsapi_userinfo flow against the platform", async () => {
    const oauth = createOAuth({ ...account, baseUrl: url });
    const back = await browserCode(
      oauth.authorizeUrl({ redirectUri: "http://127.0.0.1:3000/cb", scope: "snsapi_userinfo", state: "s1" }),
      "bob",
    );
    expect(back.searchParams.get("state")).toBe("s1");
    const code = String(back.searchParams.get("code"));
    const token = await oauth.exchangeCode(code);
    expect(token.scope).toBe("snsapi_userinfo");
    expect(token.unionid).toBeDefined();
    const again = await oauth.exchangeCode(code).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(WechatApiError);
    expect((again as WechatApiError).errcode).toBe(40163);
    expect(String((again as Error).message)).not.toContain(account.appSecret);
    const user = await oauth.userInfo(token.access_token, token.openid);
    expect(user).toMatchObject({ openid: token.openid, nickname: "Bob", unionid: token.unionid });
    expect(await oauth.checkToken(token.access_token, token.openid)).toBe(true);
    expect(await oauth.checkToken(token.access_token, "oSomebodyElse")).toBe(false);
    const renewed = await oauth.refresh(token.refresh_token);
    expect(renewed.refresh_token).toBe(token.refresh_token);
    expect(await oauth.checkToken(renewed.access_token, token.openid)).toBe(true);
  });
});

describe("JS-SDK signer", () => {
  it("fetches a ticket once for many pages and processes sharing a store", async () => {
    let fetches = 0;
    const counting: typeof fetch = async (input, init) => {
      if (new URL(String(input)).pathname === "/cgi-bin/ticket/getticket") fetches++;
      return fetch(input, init);
    };
    const store = new MemoryTokenStore();
    const client = createClient({ ...account, baseUrl: url, fetch: counting });
    const one = createJssdk({ client, tokenStore: store });
    const two = createJssdk({
      client: createClient({ ...account, baseUrl: url, fetch: counting }),
      tokenStore: store,
    });
    const configs = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        one.configFor(`http://127.0.0.1:3000/p${i}#x`, { jsApiList: ["chooseImage"] }),
      ),
      two.configFor("http://127.0.0.1:3000/q", { jsApiList: [] }),
    ]);
    expect(fetches).toBe(1);
    expect(configs[0]).toMatchObject({ appId: account.appId, debug: false, jsApiList: ["chooseImage"] });
    expect(configs[0]!.signature).toMatch(/^[0-9a-f]{40}$/);
    await one.invalidateTicket(await one.getTicket());
    await two.getTicket();
    expect(fetches).toBe(2);
  });

  it("signs a config the platform's bridge accepts", async () => {
    const signer = createJssdk({ client: createClient({ ...account, baseUrl: url }) });
    const page = "http://127.0.0.1:3000/menu?table=7";
    const config = await signer.configFor(`${page}#/dishes`, { jsApiList: ["chooseImage"] });
    const made = (await fetch(`${url}/_mpstack/users/carol/browse-link`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).then((r) => r.json())) as { path: string };
    const cookie = (await fetch(url + made.path, { redirect: "manual" })).headers
      .getSetCookie()[0]!
      .split(";")[0]!;
    const script = await (await fetch(`${url}/_mpstack/jsbridge.js`, { headers: { cookie } })).text();
    const token = /"token":"([^"]+)"/.exec(script)?.[1];
    const answer = await fetch(`${url}/_mpstack/jsbridge/invoke`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: "http://127.0.0.1:3000" },
      body: JSON.stringify({
        t: token,
        n: "preVerifyJSAPI",
        u: `${page}#/dishes`,
        a: {
          verifyAppId: config.appId,
          verifyTimestamp: String(config.timestamp),
          verifyNonceStr: config.nonceStr,
          verifySignature: config.signature,
          verifyJsApiList: config.jsApiList,
        },
      }),
    }).then((r) => r.json() as Promise<{ r: { err_msg: string } }>);
    expect(answer.r.err_msg).toBe("config:ok");
  });
});
