/**
 * Parametric QR codes over real HTTP: qrcode/create (four kinds, ranges, defaults, the permanent
 * cap), showqrcode (a PNG that decodes to the code's URL; 404 for unknown/expired tickets), expiry
 * by the platform clock, scans (subscribe with qrscene_ + Ticket, SCAN when following), short links
 * and short keys.
 */
import type { InboundMessage } from "@mpstack/protocol";
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";
import { type DevAccount, type DevServer, protocolReplier, startDevServer } from "./push-servers.js";

const VV: DevAccount = {
  appid: "wxd000000000000004",
  token: "mpstackdemo",
  encodingAESKey: `mpstackDemoEncodingAESKey${"4".padStart(18, "0")}`,
};
/** jsqr is CommonJS whose types declare a default export: under NodeNext the function is `.default`. */
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;
const secret = (n: number) => `d${String(n).padStart(31, "0")}`;
const app = (n: number) => `wxd00000000000000${n}`;

interface Ticket {
  ticket: string;
  url: string;
  expire_seconds?: number;
  errcode?: number;
}

async function until<T>(fn: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`QR codes on ${backend.name}`, () => {
    let r: Running;
    let dev: DevServer;
    let token: string;
    const messages: InboundMessage[] = [];

    const create = async (body: unknown, t = token) =>
      (await r.post(`/cgi-bin/qrcode/create?access_token=${t}`, body)).body as unknown as Ticket;
    const temp = (scene_id: number | string, expire_seconds?: number) => ({
      ...(expire_seconds === undefined ? {} : { expire_seconds }),
      action_name: "QR_SCENE",
      action_info: { scene: { scene_id } },
    });
    const show = (ticket: string) => r.raw(`/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`);
    const settings = (body: Record<string, unknown>) =>
      r.raw(`/_mpstack/accounts/${VV.appid}/qrcode-settings`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    beforeAll(async () => {
      dev = await startDevServer(protocolReplier(VV, () => "success", messages));
      r = await start({ pg: backend.pg, demoBotUrl: dev.url });
      token = await tokenFor(r, VV.appid, secret(4));
    });
    afterAll(async () => {
      await r?.close();
      await dev?.close();
    });

    it("creates the four kinds; tickets need URL-encoding, URLs have WeChat's form", async () => {
      const a = await create(temp(98001, 604800));
      expect(Object.keys(a)).toEqual(["ticket", "expire_seconds", "url"]);
      expect(a.expire_seconds).toBe(604800);
      expect(a.ticket).toMatch(/^gQ[A-Za-z0-9+/]+=*$/);
      expect(a.ticket).toMatch(/[+/]/);
      expect(a.url).toMatch(/^http:\/\/weixin\.qq\.com\/q\/[A-Za-z0-9]{22}$/);

      const b = await create({
        expire_seconds: 1800,
        action_name: "QR_STR_SCENE",
        action_info: { scene: { scene_str: "bind:order-20240601-77" } },
      });
      expect(b.expire_seconds).toBe(1800);
      const c = await create({ action_name: "QR_LIMIT_SCENE", action_info: { scene: { scene_id: 42 } } });
      expect(Object.keys(c)).toEqual(["ticket", "url"]);
      const d = await create({
        expire_seconds: 99,
        action_name: "QR_LIMIT_STR_SCENE",
        action_info: { scene: { scene_str: "poster-shanghai-metro" } },
      });
      expect(d.expire_seconds).toBeUndefined();
      expect(new Set([a.ticket, b.ticket, c.ticket, d.ticket]).size).toBe(4);
      // the same permanent scene answers the same ticket
      expect(
        (await create({ action_name: "QR_LIMIT_SCENE", action_info: { scene: { scene_id: 42 } } })).ticket,
      ).toBe(c.ticket);
      // numeric strings are read as numbers
      expect((await create(temp("123"))).expire_seconds).toBe(60);
    });

    it("defaults expire_seconds to 60 and clamps it to 30 days (40097 in strict mode)", async () => {
      expect((await create(temp(1))).expire_seconds).toBe(60);
      expect((await create(temp(1, 2_592_000))).expire_seconds).toBe(2_592_000);
      expect((await create(temp(1, 9_999_999))).expire_seconds).toBe(2_592_000);
      await settings({ strictExpire: true, defaultExpireSeconds: 30 });
      expect((await create(temp(1, 2_592_001))).errcode).toBe(40097);
      expect((await create(temp(1))).expire_seconds).toBe(30);
      await settings({ strictExpire: false, defaultExpireSeconds: 60 });
    });

    const BAD: [string, unknown][] = [
      ["no action_name", { action_info: { scene: { scene_id: 1 } } }],
      ["unknown action_name", { action_name: "QR_FOREVER", action_info: { scene: { scene_id: 1 } } }],
      ["no action_info", { action_name: "QR_SCENE" }],
      ["no scene", { action_name: "QR_SCENE", action_info: {} }],
      ["scene_id 0", temp(0)],
      ["negative scene_id", temp(-5)],
      ["temporary scene_id over 32 bits", temp(4_294_967_296)],
      ["fractional scene_id", temp(1.5)],
      [
        "permanent scene_id 100001",
        { action_name: "QR_LIMIT_SCENE", action_info: { scene: { scene_id: 100_001 } } },
      ],
      [
        "string scene on an integer kind",
        { action_name: "QR_SCENE", action_info: { scene: { scene_str: "a" } } },
      ],
      ["empty scene_str", { action_name: "QR_STR_SCENE", action_info: { scene: { scene_str: "" } } }],
      [
        "scene_str of 65",
        { action_name: "QR_LIMIT_STR_SCENE", action_info: { scene: { scene_str: "s".repeat(65) } } },
      ],
      ["expire_seconds 0", temp(1, 0)],
      ["expire_seconds text", { ...temp(1), expire_seconds: "soon" }],
    ];
    it.each(BAD)("answers 40097 for %s", async (_label, body) => {
      const res = await r.post(`/cgi-bin/qrcode/create?access_token=${token}`, body);
      expect(res.body.errcode).toBe(40097);
      expect(String(res.body.errmsg)).toMatch(/^invalid args rid: /);
    });

    it("accepts the edges: scene_id 4294967295 / 100000, a 64-character scene_str", async () => {
      expect((await create(temp(4_294_967_295))).ticket).toBeTruthy();
      expect(
        (await create({ action_name: "QR_LIMIT_SCENE", action_info: { scene: { scene_id: 100_000 } } }))
          .ticket,
      ).toBeTruthy();
      const s64 = "好".repeat(64);
      expect(
        (await create({ action_name: "QR_STR_SCENE", action_info: { scene: { scene_str: s64 } } })).ticket,
      ).toBeTruthy();
    });

    it("caps permanent codes (45029) without touching temporary ones or existing scenes", async () => {
      const limit = async (n: number) => settings({ permanentLimit: n });
      const perm = (id: number) => ({
        action_name: "QR_LIMIT_SCENE",
        action_info: { scene: { scene_id: id } },
      });
      const list = (await r.get(`/_mpstack/accounts/${VV.appid}/qrcodes?limit=1000`)).body.qrcodes as {
        permanent: boolean;
      }[];
      const have = list.filter((c) => c.permanent).length;
      await limit(have + 1);
      expect((await create(perm(7001))).ticket).toBeTruthy();
      const over = await r.post(`/cgi-bin/qrcode/create?access_token=${token}`, perm(7002));
      expect(over.body.errcode).toBe(45029);
      expect(String(over.body.errmsg)).toMatch(RID_SUFFIX);
      expect((await create(perm(7001))).ticket).toBeTruthy();
      expect((await create(temp(7002))).ticket).toBeTruthy();
      await limit(100_000);
    });

    it("answers 48001 to accounts without the promo.qrcode row", async () => {
      for (const n of [1, 2, 3]) {
        const t = await tokenFor(r, app(n), secret(n));
        expect((await create(temp(1), t)).errcode, `account ${n}`).toBe(48001);
      }
    });

    it("serves a scannable PNG of the code's URL; 404 for unknown tickets", async () => {
      const code = await create(temp(5150, 600));
      const res = await show(code.ticket);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.readUInt32BE(16)).toBe(430);
      expect(png.readUInt32BE(20)).toBe(430);
      const image = PNG.sync.read(png);
      const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
      expect(decoded?.data).toBe(code.url);

      // an SDK that forgot to encode the ticket: "+" arrives as a space and is mapped back
      const raw = await r.raw(
        `/cgi-bin/showqrcode?ticket=${code.ticket.replaceAll("/", "%2F").replaceAll("=", "%3D")}`,
      );
      expect(raw.status).toBe(200);

      for (const bad of ["gQnope", ""]) {
        const miss = await show(bad);
        expect(miss.status).toBe(404);
        expect(((await miss.json()) as { errmsg: string }).errmsg).toMatch(RID_SUFFIX);
      }
      expect((await r.raw("/cgi-bin/showqrcode")).status).toBe(404);
    });

    it("expires temporary codes by the platform clock; permanent codes never expire", async () => {
      const code = await create(temp(6060, 120));
      const perm = await create({
        action_name: "QR_LIMIT_STR_SCENE",
        action_info: { scene: { scene_str: "forever" } },
      });
      await r.post("/_mpstack/clock", { advanceSeconds: 119 });
      expect((await show(code.ticket)).status).toBe(200);
      await r.post("/_mpstack/clock", { advanceSeconds: 2 });
      expect((await show(code.ticket)).status).toBe(404);
      const scan = await r.post("/_mpstack/users/alice/scan", { ticket: code.ticket });
      expect(scan.status).toBe(410);
      await r.post("/_mpstack/clock", { advanceSeconds: 365 * 86400 });
      expect((await show(perm.ticket)).status).toBe(200);
      const listed = (await r.get(`/_mpstack/accounts/${VV.appid}/qrcodes`)).body.qrcodes as {
        ticket: string;
        expired: boolean;
      }[];
      expect(listed.find((c) => c.ticket === perm.ticket)?.expired).toBe(false);
      await r.post("/_mpstack/clock", { resetToRealTime: true });
    });

    it("a scan by a non-follower follows with the scene: subscribe with qrscene_ and Ticket", async () => {
      await r.post("/_mpstack/users", { id: "hank" });
      const code = await create(temp(98001, 600));
      const res = await r.post("/_mpstack/users/hank/scan", { ticket: code.ticket });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ event: "subscribe", scene: "98001", ticket: code.ticket });
      const m = await until(() =>
        messages.find((x) => x.FromUserName === res.body.openid && x.MsgType === "event"),
      );
      expect(m).toMatchObject({ Event: "subscribe", EventKey: "qrscene_98001", Ticket: code.ticket });
      const user = (await r.get("/_mpstack/users/hank")).body as { follows: Record<string, unknown>[] };
      expect(user.follows[0]).toMatchObject({
        appid: VV.appid,
        subscribed: true,
        subscribeScene: "ADD_SCENE_QR_CODE",
        qrScene: 98001,
        qrSceneStr: "",
      });

      // already following: SCAN with the bare scene; the follow keeps its first scene
      const strCode = await create({
        expire_seconds: 600,
        action_name: "QR_STR_SCENE",
        action_info: { scene: { scene_str: "bind:order-77" } },
      });
      const again = await r.post("/_mpstack/users/hank/scan", { url: strCode.url });
      expect(again.body).toMatchObject({ event: "SCAN", scene: "bind:order-77" });
      expect((again.body.push as { status: string }).status).toBe("empty");
      expect(messages.at(-1)).toMatchObject({
        Event: "SCAN",
        EventKey: "bind:order-77",
        Ticket: strCode.ticket,
      });
      const after = (await r.get("/_mpstack/users/hank")).body as { follows: Record<string, unknown>[] };
      expect(after.follows[0]).toMatchObject({ qrScene: 98001, qrSceneStr: "" });
    });

    it("string scenes on follow, declined follows, and the events route", async () => {
      await r.post("/_mpstack/users", { id: "iris" });
      const code = await create({
        action_name: "QR_LIMIT_STR_SCENE",
        action_info: { scene: { scene_str: "poster-9" } },
      });
      const declined = await r.post("/_mpstack/users/iris/scan", { ticket: code.ticket, follow: false });
      expect(declined.body).toMatchObject({ event: null, push: null });
      expect(((await r.get("/_mpstack/users/iris")).body.follows as unknown[]).length).toBe(0);

      const wrong = await r.post("/_mpstack/users/iris/events", {
        appid: app(2),
        type: "scan",
        ticket: code.ticket,
      });
      expect(wrong.status).toBe(409);
      const res = await r.post("/_mpstack/users/iris/events", {
        appid: VV.appid,
        type: "scan",
        url: code.url,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const m = await until(() => messages.find((x) => x.FromUserName === res.body.openid));
      expect(m).toMatchObject({ Event: "subscribe", EventKey: "qrscene_poster-9", Ticket: code.ticket });
      const f = ((await r.get("/_mpstack/users/iris")).body.follows as Record<string, unknown>[])[0];
      expect(f).toMatchObject({ qrScene: 0, qrSceneStr: "poster-9" });

      expect((await r.post("/_mpstack/users/iris/scan", { ticket: "gQunknown" })).status).toBe(404);
      expect((await r.post("/_mpstack/users/iris/scan", { url: "http://weixin.qq.com/q/nope" })).status).toBe(
        404,
      );
      expect((await r.post("/_mpstack/users/iris/scan", {})).status).toBe(400);
      expect((await r.post("/_mpstack/users/nobody/scan", { ticket: code.ticket })).status).toBe(404);
    });

    it("shorturl echoes the long URL (post-2021 behaviour) and checks its input", async () => {
      const url = "https://shop.example.cn/goods/detail?sku=10086&from=poster";
      const post = (body: unknown, t = token) => r.post(`/cgi-bin/shorturl?access_token=${t}`, body);
      expect((await post({ action: "long2short", long_url: url })).body).toEqual({
        errcode: 0,
        errmsg: "ok",
        short_url: url,
      });
      expect(
        (await post({ action: "long2short", long_url: "weixin://wxpay/bizpayurl?pr=abc" })).body.errcode,
      ).toBe(0);
      expect((await post({ action: "short2long", long_url: url })).body.errcode).toBe(40097);
      expect((await post({ long_url: url })).body.errcode).toBe(40097);
      expect((await post({ action: "long2short" })).body.errcode).toBe(41010);
      expect((await post({ action: "long2short", long_url: "ftp://x" })).body.errcode).toBe(40097);
      const t2 = await tokenFor(r, app(2), secret(2));
      expect((await post({ action: "long2short", long_url: url }, t2)).body.errcode).toBe(48001);
    });

    it("short keys: gen, fetch with the remaining seconds, expiry and limits", async () => {
      const gen = (body: unknown) => r.post(`/cgi-bin/shorten/gen?access_token=${token}`, body);
      const fetchKey = (short_key: unknown) =>
        r.post(`/cgi-bin/shorten/fetch?access_token=${token}`, { short_key });
      const data = '{"order":"20240601-77","coupon":"SUMMER10"}';
      const made = await gen({ long_data: data, expire_seconds: 3000 });
      expect(made.body).toMatchObject({ errcode: 0, errmsg: "ok" });
      const key = String(made.body.short_key);
      expect(key).toMatch(/^[0-9a-zA-Z]{15}$/);
      const now = Math.floor(Date.now() / 1000);
      const got = (await fetchKey(key)).body;
      expect(got).toMatchObject({ errcode: 0, long_data: data });
      expect(Math.abs(Number(got.create_time) - now)).toBeLessThan(5);
      await r.post("/_mpstack/clock", { advanceSeconds: 1000 });
      const later = (await fetchKey(key)).body;
      expect(Number(later.expire_seconds)).toBeGreaterThan(2000 - 10);
      expect(Number(later.expire_seconds)).toBeLessThanOrEqual(2000);
      await r.post("/_mpstack/clock", { advanceSeconds: 2001 });
      expect((await fetchKey(key)).body.errcode).toBe(9410012);
      await r.post("/_mpstack/clock", { resetToRealTime: true });

      expect((await fetchKey("000000000000000")).body.errcode).toBe(9410012);
      expect((await r.post(`/cgi-bin/shorten/fetch?access_token=${token}`, {})).body.errcode).toBe(47003);
      expect((await gen({ expire_seconds: 10 })).body.errcode).toBe(47003);
      expect((await gen({ long_data: "x", expire_seconds: "soon" })).body.errcode).toBe(47003);
      expect((await gen({ long_data: "x".repeat(4097) })).body.errcode).toBe(9410010);
      expect((await gen({ long_data: "x", expire_seconds: 2_592_001 })).body.errcode).toBe(9410011);
      const dflt = await gen({ long_data: "x".repeat(4096) });
      expect(Number((await fetchKey(dflt.body.short_key)).body.expire_seconds)).toBeGreaterThan(
        2_592_000 - 5,
      );
    });
  });
}
