/**
 * The JS-SDK interfaces behind the bridge, over real HTTP on SQLite and PostgreSQL (spec/jssdk.md
 * §5): share settings recorded (and the link-domain rule), images chosen and uploaded as media that
 * media/get downloads, voice uploaded and "translated", the network type and position of the
 * user's phone (the prompt, gcj02), openLocation and menu items checked, scanQRCode returning the
 * content or performing the scan (SCAN pushed), every step that asks the user answered by choice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";
import { bridgePage, bridgeTokenOf, browseAs, VS, VV } from "./web-helpers.js";

const PAGE = "http://127.0.0.1:3000/page";
const APIS = [
  "updateAppMessageShareData",
  "onMenuShareTimeline",
  "chooseImage",
  "uploadImage",
  "downloadImage",
  "uploadVoice",
  "translateVoice",
  "getLocation",
  "openLocation",
  "hideMenuItems",
  "scanQRCode",
];

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`jssdk interfaces (${backend.name})`, () => {
    let r: Running;
    let page: ReturnType<typeof bridgePage>;
    let at: string;
    let token: string;
    const b64 = (buf: ArrayBuffer | Buffer) => Buffer.from(buf as ArrayBuffer).toString("base64");
    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      token = await bridgeTokenOf(r, await browseAs(r, "alice"));
      page = bridgePage(r, token, PAGE);
      const signed = await r.post(`/_mpstack/accounts/${VV.appid}/jssdk/signature`, { url: PAGE });
      const c = signed.body as { appId: string; timestamp: number; nonceStr: string; signature: string };
      expect(await page.config({ ...c, jsApiList: APIS })).toBe("config:ok");
      at = await tokenFor(r, VV.appid, VV.secret);
    });
    afterAll(() => r?.close());

    it("records share settings per page; links outside the JS safe domains fail", async () => {
      const set = {
        title: "Spring menu",
        desc: "New dishes",
        link: "http://127.0.0.1:3000/menu",
        imgUrl: "http://127.0.0.1:3000/i.png",
      };
      expect((await page.invoke("updateAppMessageShareData", set)).r.err_msg).toBe(
        "updateAppMessageShareData:ok",
      );
      expect((await page.invoke("shareTimeline", { title: "T", img_url: "", link: PAGE })).r.err_msg).toBe(
        "shareTimeline:ok",
      );
      const bad = await page.invoke("updateAppMessageShareData", {
        ...set,
        link: "https://elsewhere.example/x",
      });
      expect(bad.r.err_msg).toBe("updateAppMessageShareData:fail, invalid url domain");
      const shares = (await r.get(`/_mpstack/accounts/${VV.appid}/jssdk/shares?user=alice`)).body
        .shares as Record<string, unknown>[];
      const byTarget = Object.fromEntries(shares.map((s) => [s.target, s]));
      expect(Object.keys(byTarget).sort()).toEqual(["appMessage", "qq", "timeline"]);
      expect(byTarget.qq).toMatchObject({
        title: "Spring menu",
        desc: "New dishes",
        url: PAGE,
        api: "updateAppMessageShareData",
      });
      expect(byTarget.timeline).toMatchObject({ title: "T", api: "onMenuShareTimeline" });
    });

    it("chooseImage asks; uploadImage makes a media id media/get downloads; other accounts get 40007", async () => {
      const ask = await page.invoke("chooseImage", { count: 2, sourceType: ["album"] });
      expect(ask.do).toMatchObject({ kind: "pickImage", count: 2, sources: ["album"] });
      expect((await page.choose("chooseImage", ask.c, { count: 3 })).r.err_msg).toMatch(/^chooseImage:fail/);
      const again = await page.invoke("chooseImage", {});
      expect((await page.choose("chooseImage", again.c, { count: 0 })).r.err_msg).toBe("chooseImage:cancel");
      const pick = await page.invoke("chooseImage", {});
      expect((await page.choose("chooseImage", pick.c, { count: 1 })).r.err_msg).toBe("chooseImage:ok");
      const samples = pick.do?.samples as string[];
      const png = Buffer.from(await (await r.raw(samples[0]!)).arrayBuffer());
      const up = await page.invoke(
        "uploadImage",
        { localId: "wxlocalresource://imageid1" },
        { d: { data: b64(png), type: "image/png", name: "0.png" } },
      );
      expect(up.r.err_msg).toBe("uploadImage:ok");
      const serverId = String(up.r.serverId);
      const file = await r.raw(`/cgi-bin/media/get?access_token=${at}&media_id=${serverId}`);
      expect(file.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
      const vsToken = await tokenFor(r, VS.appid, VS.secret);
      expect(
        (await r.get(`/cgi-bin/media/get?access_token=${vsToken}&media_id=${serverId}`)).body.errcode,
      ).toBe(40007);
      const text = await page.invoke(
        "uploadImage",
        { localId: "x" },
        { d: { data: b64(Buffer.from("not an image")), type: "image/png" } },
      );
      expect(text.r.err_msg).toBe("uploadImage:fail, invalid image file type");
      expect((await page.invoke("uploadImage", { localId: "x" })).r.err_msg).toBe(
        "uploadImage:fail, invalid localId",
      );
      const down = await page.invoke("downloadImage", { serverId });
      expect(down.do).toMatchObject({ kind: "download", contentType: "image/png", data: b64(png) });
      expect((await page.invoke("downloadImage", { serverId: "nope" })).r.err_msg).toBe(
        "downloadImage:fail, invalid serverId",
      );
    });

    it("uploadVoice keeps the recording; translateVoice answers what was said", async () => {
      const amr = Buffer.from(await (await r.raw("/_mpstack/jsbridge/samples/voice.amr")).arrayBuffer());
      expect(amr.subarray(0, 6).toString()).toBe("#!AMR\n");
      const up = await page.invoke(
        "uploadVoice",
        { localId: "v1" },
        { d: { data: b64(amr), type: "audio/amr" } },
      );
      expect(up.r.err_msg).toBe("uploadVoice:ok");
      const file = await r.raw(`/cgi-bin/media/get?access_token=${at}&media_id=${up.r.serverId}`);
      expect(file.headers.get("content-type")).toBe("audio/amr");
      const said = await page.invoke("translateVoice", { localId: "v1" }, { x: { transcript: "明天见" } });
      expect(said.r).toEqual({ err_msg: "translateVoice:ok", translateResult: "明天见" });
    });

    it("the phone: network type, the location prompt, gcj02, openLocation and menu checks", async () => {
      await r.raw("/_mpstack/users/alice/phone", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ networkType: "4g" }),
      });
      expect((await page.invoke("getNetworkType")).r).toEqual({
        err_msg: "network_type:wwan",
        subtype: "4g",
      });
      await r.post("/_mpstack/users/alice/location", {
        appid: VV.appid,
        latitude: 39.9087,
        longitude: 116.3975,
      });
      const ask = await page.invoke("geoLocation", { type: "wgs84" });
      expect(ask.do?.kind).toBe("location");
      const where = await page.choose("geoLocation", ask.c, { allow: true });
      expect(where.r).toMatchObject({ err_msg: "geoLocation:ok", latitude: 39.9087, longitude: 116.3975 });
      const refused = await page.invoke("geoLocation", {});
      expect((await page.choose("geoLocation", refused.c, { allow: false })).r.err_msg).toBe(
        "geoLocation:cancel",
      );
      await r.raw("/_mpstack/users/alice/phone", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ locationPrompt: "allow" }),
      });
      const mars = (await page.invoke("geoLocation", { type: "gcj02" })).r;
      expect(Number(mars.latitude) - 39.9087).toBeGreaterThan(0.0005);
      expect(Number(mars.longitude) - 116.3975).toBeGreaterThan(0.005);
      expect((await page.invoke("openLocation", { latitude: 91, longitude: 0 })).r.err_msg).toBe(
        "openLocation:fail, invalid latitude",
      );
      expect(
        (await page.invoke("openLocation", { latitude: 31.2, longitude: 121.4, scale: 14 })).r.err_msg,
      ).toBe("openLocation:ok");
      const hide = await page.invoke("hideMenuItems", {
        menuList: ["menuItem:share:timeline", "menuItem:refresh", "menuItem:copyUrl"],
      });
      expect(hide.do).toEqual({ kind: "menu", hide: ["menuItem:share:timeline", "menuItem:copyUrl"] });
    });

    it("scanQRCode: needResult 1 returns the content, 0 scans the platform's code (SCAN pushed)", async () => {
      const qr = await r.post(`/cgi-bin/qrcode/create?access_token=${at}`, {
        action_name: "QR_LIMIT_STR_SCENE",
        action_info: { scene: { scene_str: "table-7" } },
      });
      const read = await page.invoke("scanQRCode", { needResult: 1, scanType: ["qrCode"] });
      const codes = read.do?.codes as { url: string; label: string }[];
      expect(codes).toContainEqual({ url: qr.body.url, label: "QR_LIMIT_STR_SCENE table-7" });
      expect((await page.choose("scanQRCode", read.c, { text: qr.body.url })).r).toEqual({
        err_msg: "scanQRCode:ok",
        resultStr: qr.body.url,
      });
      const bar = await page.invoke("scanQRCode", { needResult: 1 });
      expect((await page.choose("scanQRCode", bar.c, { barcode: "6901234567892" })).r.resultStr).toBe(
        "EAN_13,6901234567892",
      );
      const cancelled = await page.invoke("scanQRCode", { needResult: 1 });
      expect((await page.choose("scanQRCode", cancelled.c, null)).r.err_msg).toBe("scanQRCode:cancel");
      const scan = await page.invoke("scanQRCode", { needResult: 0 });
      expect((await page.choose("scanQRCode", scan.c, { text: qr.body.url })).r).toEqual({
        err_msg: "scanQRCode:ok",
      });
      const talk = await r.get(`/_mpstack/users/alice/conversations/${VV.appid}`);
      const events = (talk.body.messages as { payload: Record<string, unknown> }[]).map((m) => m.payload);
      expect(events).toContainEqual(expect.objectContaining({ Event: "SCAN", EventKey: "table-7" }));
      // A step answered twice, or by someone else, is over.
      expect((await page.choose("scanQRCode", scan.c, { text: "x" })).r.err_msg).toBe(
        "scanQRCode:fail, this step has expired",
      );
    });

    it("answers a call whose arguments nest 100 000 deep, and records that", async () => {
      const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      const res = await r.raw("/_mpstack/jsbridge/invoke", {
        method: "POST",
        headers: { "content-type": "text/plain", origin: "http://127.0.0.1:3000" },
        body: `{"t":${JSON.stringify(token)},"n":"getNetworkType","u":"${PAGE}","a":{"appId":"${VV.appid}","deep":${deep}}}`,
      });
      expect(((await res.json()) as { r: { err_msg: string } }).r.err_msg).toMatch(/^network_type:/);
      const calls = (await r.get(`/_mpstack/accounts/${VV.appid}/jssdk/calls?user=alice&limit=1`)).body
        .calls as { args: unknown }[];
      expect(calls[0]?.args).toEqual({ truncated: "(arguments nested too deeply)" });
    });

    it("records each call with the errMsg the page saw", async () => {
      const calls = (await r.get(`/_mpstack/accounts/${VV.appid}/jssdk/calls?user=alice&limit=500`)).body
        .calls as { api: string; errMsg: string }[];
      const seen = new Set(calls.map((c) => `${c.api} ${c.errMsg}`));
      for (const s of [
        "config config:ok",
        "getLocation getLocation:ok",
        "getLocation getLocation:cancel",
        "getNetworkType getNetworkType:ok",
        "uploadImage uploadImage:ok",
        "scanQRCode scanQRCode:ok",
      ])
        expect(seen).toContain(s);
    });
  });
}
