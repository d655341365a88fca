/**
 * The OAuth authorize page (spec/oauth.md §2, §7) over real HTTP, on SQLite and PostgreSQL: every
 * error page of §2.4 and the generic "link cannot be accessed" page, the redirect-domain rule,
 * nobody browsing (the chooser), silent snsapi_base, consent allowed and refused, silent
 * re-authorization and forcePopup, the follower entering from the menu, and snapshot mode.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, type Running, start } from "./helpers.js";
import {
  authorizePath,
  browseAs,
  CALLBACK,
  codeOf,
  exchange,
  openPage,
  ticketOf,
  VS,
  VV,
} from "./web-helpers.js";

const SHOP = { appid: "wx00000000000000e1", secret: "e0000000000000000000000000000001" };

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`oauth authorize (${backend.name})`, () => {
    let r: Running;
    let alice: string;
    const settings = (appid: string, change: Record<string, unknown>) =>
      r.raw(`/_mpstack/accounts/${appid}/oauth-settings`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(change),
      });
    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      alice = await browseAs(r, "alice");
      await r.post("/_mpstack/accounts", {
        ...SHOP,
        name: "Shop",
        type: "service",
        verified: true,
        openPlatform: "demo-open",
        oauthDomains: ["www.qq.com", "127.0.0.1:3000"],
      });
      await r.post("/_mpstack/users", { id: "zed", nickname: "Zed" });
    });
    afterAll(() => r?.close());

    it("answers each parameter error with WeChat's page and code", async () => {
      const cases: [string, string][] = [
        ["10012", "/connect/oauth2/authorize?redirect_uri=x&response_type=code&scope=snsapi_base"],
        ["10011", `/connect/oauth2/authorize?appid=${VV.appid}&response_type=code&scope=snsapi_base`],
        ["10010", `/connect/oauth2/authorize?appid=${VV.appid}&redirect_uri=x&response_type=code`],
        ["10016", authorizePath({ appid: "demo-open" })],
        ["link", authorizePath({ appid: "wx0000000000000bad" })],
        ["10015", authorizePath({ extra: "&component_appid=wx0000000000000c01" })],
        ["link", authorizePath({ responseType: "token" })],
        ["10005", authorizePath({ scope: "snsapi_login" })],
        ["10005", authorizePath({ appid: VS.appid })],
        ["10003", authorizePath({ redirect: "http://evil.example/cb" })],
        ["link", authorizePath({ redirect: "javascript:alert(1)" })],
        ["link", authorizePath({ state: "s".repeat(129) })],
      ];
      for (const [code, path] of cases) {
        const page = await openPage(r, path, alice);
        expect([path, page.status, page.error]).toEqual([path, 200, code]);
        if (code !== "link") expect(page.text).toContain(`data-errcode="${code}"`);
      }
      expect((await openPage(r, authorizePath({ state: "s".repeat(128) }), alice)).location).toMatch(/^http/);
    });

    it("matches the callback's full host name against the authorization domains", async () => {
      const at = (redirect: string) => openPage(r, authorizePath({ appid: SHOP.appid, redirect }), alice);
      expect((await at("http://www.qq.com/music.html")).location).toMatch(
        /^http:\/\/www\.qq\.com\/music\.html\?code=/,
      );
      expect((await at("https://www.qq.com/a/b/login.html")).status).toBe(302);
      for (const bad of [
        "http://pay.qq.com/",
        "http://qq.com/",
        "http://music.qq.com/",
        "http://127.0.0.1:4000/",
      ])
        expect((await at(bad)).error).toBe("10003");
      expect((await at("http://127.0.0.1:3000/cb")).status).toBe(302);
    });

    it("banned, test-account, rate-limit and strict-link settings give 10004, 10006, 10009, 10013", async () => {
      await settings(SHOP.appid, { banned: true });
      expect(
        (await openPage(r, authorizePath({ appid: SHOP.appid, redirect: "http://www.qq.com/" }), alice))
          .error,
      ).toBe("10004");
      await settings(SHOP.appid, { banned: false, testAccount: true });
      const zed = await browseAs(r, "zed");
      const shopLink = authorizePath({ appid: SHOP.appid, redirect: "http://www.qq.com/" });
      expect((await openPage(r, shopLink, zed)).error).toBe("10006");
      await r.post("/_mpstack/users/zed/follow", { appid: SHOP.appid });
      expect((await openPage(r, shopLink, zed)).status).toBe(302);
      await settings(SHOP.appid, { testAccount: false, authorizePerMinute: 1 });
      expect((await openPage(r, shopLink, zed)).status).toBe(302);
      expect((await openPage(r, shopLink, zed)).error).toBe("10009");
      await settings(SHOP.appid, { authorizePerMinute: 0, strictLinks: true });
      const base = `/connect/oauth2/authorize?appid=${SHOP.appid}&redirect_uri=${encodeURIComponent("http://www.qq.com/")}&response_type=code&scope=snsapi_base`;
      expect((await openPage(r, base, zed)).error).toBe("10013");
      expect((await openPage(r, `${base}&state=a-b`, zed)).error).toBe("link");
      const reordered = `/connect/oauth2/authorize?redirect_uri=${encodeURIComponent("http://www.qq.com/")}&appid=${SHOP.appid}&response_type=code&scope=snsapi_base&state=x`;
      expect((await openPage(r, reordered, zed)).error).toBe("link");
      const raw = `/connect/oauth2/authorize?appid=${SHOP.appid}&redirect_uri=http://www.qq.com/&response_type=code&scope=snsapi_base&state=x`;
      expect((await openPage(r, raw, zed)).error).toBe("link");
      expect((await openPage(r, `${base}&state=x&connect_redirect=1`, zed)).status).toBe(302);
      await settings(SHOP.appid, { strictLinks: false });
      expect((await openPage(r, raw, zed)).status).toBe(302);
    });

    it("sends a browser nobody is browsing with to the chooser, and back", async () => {
      const path = authorizePath({});
      const page = await openPage(r, path);
      expect(page.status).toBe(302);
      expect(page.location).toBe(`/_mpstack/browse?next=${encodeURIComponent(path.split("#")[0]!)}`);
    });

    it("snsapi_base is silent, works for non-followers, and keeps the callback's query and fragment", async () => {
      const zed = await browseAs(r, "zed");
      const page = await openPage(
        r,
        authorizePath({ redirect: `${CALLBACK}?from=menu#/route`, state: "k7Qm2x9" }),
        zed,
      );
      expect(page.location).toMatch(
        /^http:\/\/127\.0\.0\.1:3000\/cb\?from=menu&code=[A-Za-z0-9]{32}&state=k7Qm2x9#\/route$/,
      );
      const token = await exchange(r, String(codeOf(page.location).code));
      expect(token.body.scope).toBe("snsapi_base");
      expect(token.body.unionid).toBeUndefined();
      const user = await r.get("/_mpstack/users/zed");
      expect(JSON.stringify(user.body)).toContain(String(token.body.openid));
      const noState = `/connect/oauth2/authorize?appid=${VV.appid}&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=snsapi_base`;
      expect(codeOf((await openPage(r, noState, zed)).location).state).toBe("");
    });

    it("snsapi_userinfo asks once: deny, allow, silent again within 30 days, forcePopup, expiry", async () => {
      const outcomes: string[] = [];
      const off = r.platform.events.on("oauth.authorized", (e) => {
        if (e.userId === "bob") outcomes.push(`${e.outcome}${e.silent ? " silent" : ""}`);
      });
      const bob = await browseAs(r, "bob");
      const link = authorizePath({ scope: "snsapi_userinfo", state: "st" });
      const first = await openPage(r, link, bob);
      expect(first.status).toBe(200);
      expect(first.text).toContain("Bob");
      const denied = await openPage(
        r,
        `/connect/oauth2/authorize_reply?ticket=${ticketOf(first.text)}&action=deny`,
        bob,
        "POST",
      );
      expect(denied.location).toBe(`${CALLBACK}?state=st`);
      const again = await openPage(r, link, bob);
      const ticket = ticketOf(again.text);
      expect(
        (await openPage(r, `/connect/oauth2/authorize_reply?ticket=${ticket}&action=allow`, alice, "POST"))
          .error,
      ).toBe("link");
      const second = await openPage(r, link, bob);
      const allowed = await openPage(
        r,
        `/connect/oauth2/authorize_reply?ticket=${ticketOf(second.text)}&action=allow`,
        bob,
        "POST",
      );
      const { code, state } = codeOf(allowed.location);
      expect(state).toBe("st");
      const token = await exchange(r, String(code));
      expect(token.body.scope).toBe("snsapi_userinfo");
      expect(String(token.body.unionid)).toMatch(/^o[\w-]{27}$/);
      expect(
        (
          await openPage(
            r,
            `/connect/oauth2/authorize_reply?ticket=${ticketOf(second.text)}&action=allow`,
            bob,
            "POST",
          )
        ).error,
      ).toBe("link");
      expect((await openPage(r, link, bob)).status).toBe(302);
      expect((await openPage(r, link.replace("#", "&forcePopup=true#"), bob)).status).toBe(200);
      await r.post("/_mpstack/clock", { advanceSeconds: 31 * 86_400 });
      expect((await openPage(r, link, bob)).status).toBe(200);
      await r.post("/_mpstack/clock", { resetToRealTime: true });
      off();
      expect(outcomes).toEqual(["denied", "code", "code silent"]);
    });

    it("a follower entering from the account's menu is authorized silently with snsapi_userinfo", async () => {
      const carol = await browseAs(r, "carol", { appid: VV.appid, from: "menu" });
      expect((await openPage(r, authorizePath({ scope: "snsapi_userinfo" }), carol)).status).toBe(302);
      const plain = await browseAs(r, "carol");
      expect((await openPage(r, authorizePath({ scope: "snsapi_userinfo" }), plain)).status).toBe(200);
    });

    it("snapshot mode: a virtual user with is_snapshotuser, once for 'next'; 'full' opens consent", async () => {
      await settings(VV.appid, { snapshot: "next" });
      const dave = await browseAs(r, "dave");
      const link = authorizePath({ scope: "snsapi_userinfo" });
      const page = await openPage(r, link, dave);
      expect(page.text).toContain("使用完整服务");
      const stay = await openPage(
        r,
        `/connect/oauth2/authorize_reply?ticket=${ticketOf(page.text)}&action=snapshot`,
        dave,
        "POST",
      );
      const token = await exchange(r, String(codeOf(stay.location).code));
      expect(token.body.is_snapshotuser).toBe(1);
      const real = await exchange(
        r,
        String(codeOf((await openPage(r, authorizePath({}), dave)).location).code),
      );
      expect(token.body.openid).not.toBe(real.body.openid);
      expect(real.body.is_snapshotuser).toBeUndefined();
      const info = await r.get(
        `/sns/userinfo?access_token=${token.body.access_token}&openid=${token.body.openid}`,
      );
      expect(info.body.errcode).toBe(48001);
      expect((await openPage(r, link, dave)).text).toContain("mpstack-allow");
      await settings(VV.appid, { snapshot: "always" });
      const snap = await openPage(r, link, dave);
      const full = await openPage(
        r,
        `/connect/oauth2/authorize_reply?ticket=${ticketOf(snap.text)}&action=full`,
        dave,
        "POST",
      );
      expect(full.text).toContain("mpstack-allow");
      await settings(VV.appid, { snapshot: "off" });
    });
  });
}
