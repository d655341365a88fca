/**
 * JS-SDK tickets and wx.config over real HTTP, on SQLite and PostgreSQL (spec/jssdk.md §2–§4, §7):
 * getticket for jsapi and wx_card (40097, 48001, 7200 s), the bridge scripts (the browsing user's
 * token inside, jweixin after the bridge), and each config answer: ok, config:fail, invalid
 * signature (bad signature, unknown appId, expired ticket), invalid url domain (host, sub-domain,
 * port, a page claiming another origin); then the per-call rules: not configured or not listed
 * (offline verifying), permission denied by row and by grant, function not exist, checkJsApi.
 */
import { jssdkSignature } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";
import { bridgePage, bridgeTokenOf, browseAs, VV } from "./web-helpers.js";

const US = { appid: "wxd000000000000001", secret: "d0000000000000000000000000000001" };
const PAGE = "http://127.0.0.1:3000/shop/item?id=7";

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`jssdk tickets and wx.config (${backend.name})`, () => {
    let r: Running;
    let cookie: string;
    let token: string;
    const ticket = async (account: { appid: string; secret: string }, type = "jsapi") =>
      (
        await r.get(
          `/cgi-bin/ticket/getticket?access_token=${await tokenFor(r, account.appid, account.secret)}&type=${type}`,
        )
      ).body;
    const signed = (t: string, url = PAGE, appId = VV.appid, jsApiList = ["chooseImage", "scanQRCode"]) => {
      const c = { appId, timestamp: 1_700_000_000, nonceStr: "Wm3WZYTPz0wzccnW", jsApiList };
      return {
        ...c,
        signature: jssdkSignature({ jsapiTicket: t, nonceStr: c.nonceStr, timestamp: c.timestamp, url }),
      };
    };
    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      cookie = await browseAs(r, "alice");
      token = await bridgeTokenOf(r, cookie);
    });
    afterAll(() => r?.close());

    it("getticket: a fresh 86-character ticket each call; 40097 for a bad type; wx_card needs the card grant", async () => {
      const a = await ticket(VV);
      const b = await ticket(VV);
      expect(a).toMatchObject({ errcode: 0, errmsg: "ok", expires_in: 7200 });
      expect(String(a.ticket)).toMatch(/^[\w-]{86}$/);
      expect(a.ticket).not.toBe(b.ticket);
      expect((await ticket(US)).errcode).toBe(0);
      expect((await ticket(VV, "card")).errcode).toBe(40097);
      const at = await tokenFor(r, VV.appid, VV.secret);
      expect((await r.get(`/cgi-bin/ticket/getticket?access_token=${at}`)).body.errcode).toBe(40097);
      expect((await ticket(VV, "wx_card")).errcode).toBe(48001);
      await r.raw(`/_mpstack/accounts/${VV.appid}?handshake=false`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grants: ["pay", "card"] }),
      });
      expect((await ticket(VV, "wx_card")).errcode).toBe(0);
    });

    it("serves the bridge with the browsing user's token, and jweixin after it", async () => {
      const js = await (await r.raw("/_mpstack/jsbridge.js", { headers: { cookie } })).text();
      expect(js).toContain('"user":{"id":"alice","nickname":"Alice"}');
      expect(js).toContain("MicroMessenger/");
      const anonymous = await (await r.raw("/_mpstack/jsbridge.js")).text();
      expect(anonymous).toContain('"token":null');
      const cdn = await r.raw("/open/js/jweixin-1.6.0.js", { headers: { cookie } });
      expect(cdn.headers.get("cache-control")).toBe("no-store");
      const text = await cdn.text();
      expect(text.indexOf("WeixinJSBridge")).toBeLessThan(text.indexOf("preVerifyJSAPI"));
      expect(text).toContain("window.wx = window.jWeixin = module.exports");
      expect((await r.raw("/open/js/jweixin-9.9.9.js")).status).toBe(404);
    });

    it("wx.config: ok, fail, invalid signature, invalid url domain", async () => {
      const t = String((await ticket(VV)).ticket);
      const page = bridgePage(r, token, `${PAGE}#/tab`);
      expect(await page.config(signed(t))).toBe("config:ok");
      // One hex digit changed (a signature that already starts with 0 gets a 1 there).
      const forged = signed(t).signature.replace(/^./, (c) => (c === "0" ? "1" : "0"));
      expect(await page.config({ ...signed(t), signature: forged })).toBe("config:invalid signature");
      expect(await page.config(signed(t, PAGE, "wx0000000000000bad"))).toBe("config:invalid signature");
      expect(await page.config({ ...signed(t), jsApiList: undefined as unknown as string[] })).toBe(
        "config:fail",
      );
      expect(await page.config({ ...signed(t), nonceStr: "" })).toBe("config:fail");
      // The signed URL must be the page's own, without the fragment.
      expect(await page.config(signed(t, "http://127.0.0.1:3000/shop/item"))).toBe(
        "config:invalid signature",
      );
      const elsewhere = "http://shop.example.cn/item";
      expect(await bridgePage(r, token, elsewhere).config(signed(t, elsewhere))).toBe(
        "config:invalid url domain",
      );
      const sub = "http://m.localhost:3000/x";
      expect(await bridgePage(r, token, sub).config(signed(t, sub))).toBe("config:ok");
      await r.raw(`/_mpstack/accounts/${VV.appid}?handshake=false`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jssdkDomains: ["127.0.0.1:4000"] }),
      });
      expect(await page.config(signed(t))).toBe("config:invalid url domain");
      const port4000 = "http://127.0.0.1:4000/";
      expect(await bridgePage(r, token, port4000).config(signed(t, port4000))).toBe("config:ok");
      await r.raw(`/_mpstack/accounts/${VV.appid}?handshake=false`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jssdkDomains: ["127.0.0.1", "localhost"] }),
      });
      // A bridge reporting another page than the one the browser shows (its Origin) is not believed.
      expect(await bridgePage(r, token, PAGE, "http://evil.example:3000").config(signed(t))).toBe(
        "config:invalid url domain",
      );
    });

    it("an expired ticket no longer verifies; an older live one still does", async () => {
      const older = String((await ticket(VV)).ticket);
      await r.post("/_mpstack/clock", { advanceSeconds: 3600 });
      await ticket(VV);
      expect(await bridgePage(r, token, PAGE).config(signed(older))).toBe("config:ok");
      await r.post("/_mpstack/clock", { advanceSeconds: 3601 });
      expect(await bridgePage(r, token, PAGE).config(signed(older))).toBe("config:invalid signature");
      await r.post("/_mpstack/clock", { resetToRealTime: true });
    });

    it("per call: offline verifying, permission denied (row, grant), function not exist, checkJsApi", async () => {
      const page = bridgePage(r, token, PAGE);
      expect((await page.invoke("chooseImage")).r.err_msg).toBe(
        "chooseImage:fail, the permission value is offline verifying",
      );
      const t = String((await ticket(VV)).ticket);
      await page.config(
        signed(t, PAGE, VV.appid, ["chooseImage", "updateAppMessageShareData", "openProductSpecificView"]),
      );
      expect((await page.invoke("scanQRCode")).r.err_msg).toBe(
        "scanQRCode:fail, the permission value is offline verifying",
      );
      expect((await page.invoke("openProductViewWithPid", { pid: "p1" })).r.err_msg).toBe(
        "system:access_denied",
      );
      expect((await page.invoke("launchMiniProgram")).r.err_msg).toBe("system:function_not_exist");
      const check = await page.invoke("checkJsApi", {
        jsApiList: ["chooseImage", "geoLocation", "noSuchApi"],
      });
      expect(check.r).toEqual({
        err_msg: "checkJsApi:ok",
        checkResult: { chooseImage: true, geoLocation: true, noSuchApi: false },
      });
      // jweixin lists the bridge's own names (geoLocation, menu:share:timeline): those count too.
      const named = bridgePage(r, token, PAGE);
      await named.config(signed(t, PAGE, VV.appid, ["geoLocation", "menu:share:timeline"]));
      expect((await named.invoke("geoLocation", { type: "wgs84" })).do?.kind).toBe("location");
      expect((await named.invoke("shareTimeline", { title: "t", link: PAGE })).r.err_msg).toBe(
        "shareTimeline:ok",
      );
      const known = await named.invoke("checkJsApi", { jsApiList: ["menu:share:timeline"] });
      expect(known.r.checkResult).toEqual({ "menu:share:timeline": true });
      // Legacy bridge APIs work without wx.config.
      expect((await bridgePage(r, token, PAGE).invoke("getNetworkType")).r.err_msg).toBe("network_type:wifi");
      // An unverified subscription account has no sharing row.
      const us = bridgePage(r, token, PAGE);
      expect(
        await us.config(
          signed(String((await ticket(US)).ticket), PAGE, US.appid, ["updateAppMessageShareData"]),
        ),
      ).toBe("config:ok");
      expect((await us.invoke("updateAppMessageShareData", { title: "t", link: PAGE })).r.err_msg).toBe(
        "system:access_denied",
      );
      const calls = (await r.get(`/_mpstack/accounts/${US.appid}/jssdk/calls`)).body.calls as {
        api: string;
        errMsg: string;
      }[];
      expect(calls[0]).toMatchObject({
        api: "updateAppMessageShareData",
        errMsg: "updateAppMessageShareData:permission denied",
      });
    });

    it("a bridge without a browsing user is told to pick one", async () => {
      const a = await bridgePage(r, "forged.token", PAGE).invoke("getNetworkType");
      expect(String(a.r.err_msg)).toMatch(/^getNetworkType:fail, no simulated user/);
      expect(a.do?.kind).toBe("identity");
    });
  });
}
