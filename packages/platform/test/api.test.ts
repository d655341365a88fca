import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
const VS = { appid: "wxd000000000000002", secret: "d0000000000000000000000000000002" };

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`API pipeline on ${backend.name}`, () => {
    let r: Running;
    let token: string;
    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      token = await tokenFor(r, VV.appid, VV.secret);
    });
    afterAll(() => r?.close());

    it("serves doubled-slash paths and trailing slashes as WeChat does", async () => {
      expect((await r.get(`//cgi-bin/getcallbackip?access_token=${token}`)).body.ip_list).toEqual([
        "127.0.0.1",
      ]);
      expect((await r.get(`/cgi-bin//getcallbackip?access_token=${token}`)).body.ip_list).toEqual([
        "127.0.0.1",
      ]);
      const t = await r.get(
        `//cgi-bin/token?grant_type=client_credential&appid=${VS.appid}&secret=${VS.secret}`,
      );
      expect(t.body.expires_in).toBe(7200);
    });

    it("answers unknown paths and wrong methods in WeChat's shape", async () => {
      for (const path of ["/cgi-bin/nope", "/sns/", "/sns/whatever?x=1", "/favicon.ico"]) {
        const res = await r.get(path);
        expect(res.status).toBe(200);
        expect(res.body.errcode).toBe(40066);
        expect(String(res.body.errmsg)).toMatch(RID_SUFFIX);
      }
      const get = await r.get(`/cgi-bin/openapi/rid/get?access_token=${token}`);
      expect(get.body.errcode).toBe(43002);
      expect(get.body.errmsg).toMatch(/^require POST method rid: /);
      const put = await r.raw(`/cgi-bin/token`, { method: "PUT" });
      expect(((await put.json()) as { errcode: number }).errcode).toBe(40066);
    });

    it("puts a rid on every answer and journals every call; rid/get reads it back (76001-76004)", async () => {
      const bad = await r.post(`/cgi-bin/clear_quota?access_token=${token}`, { appid: "wx0000000000000bad" });
      expect(bad.body.errcode).toBe(40013);
      const rid = String(bad.body.errmsg).split(" rid: ")[1]!;
      const ok = await r.raw(`/cgi-bin/getcallbackip?access_token=${token}`);
      expect(ok.headers.get("x-mpstack-rid")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
      expect(ok.headers.get("content-type")).toBe("application/json; encoding=utf-8");

      const got = await r.post(`/cgi-bin/openapi/rid/get?access_token=${token}`, { rid });
      expect(got.body.errcode).toBe(0);
      const req = got.body.request as Record<string, unknown>;
      expect(req.request_url).toBe("access_token=***");
      expect(JSON.parse(String(req.request_body))).toEqual({ appid: "wx0000000000000bad" });
      expect(JSON.parse(String(req.response_body))).toEqual(bad.body);
      expect(req.client_ip).toMatch(/127\.0\.0\.1/);
      expect(typeof req.invoke_time).toBe("number");
      expect(typeof req.cost_in_ms).toBe("number");

      expect(
        (await r.post(`/cgi-bin/openapi/rid/get?access_token=${token}`, { rid: "nope" })).body.errcode,
      ).toBe(76002);
      expect(
        (
          await r.post(`/cgi-bin/openapi/rid/get?access_token=${token}`, {
            rid: "00000000-00000000-00000000",
          })
        ).body.errcode,
      ).toBe(76001);
      const other = await tokenFor(r, VS.appid, VS.secret);
      expect((await r.post(`/cgi-bin/openapi/rid/get?access_token=${other}`, { rid })).body.errcode).toBe(
        76003,
      );
      await r.post("/_mpstack/clock", { advanceSeconds: 7 * 86400 + 60 });
      const fresh = await tokenFor(r, VV.appid, VV.secret);
      expect((await r.post(`/cgi-bin/openapi/rid/get?access_token=${fresh}`, { rid })).body.errcode).toBe(
        76004,
      );
      await r.post("/_mpstack/clock", { resetToRealTime: true });
      token = await tokenFor(r, VV.appid, VV.secret);
    });

    it("never journals secrets or tokens", async () => {
      await r.post("/cgi-bin/stable_token", { grant_type: "client_credential", ...VS });
      await r.get(`/cgi-bin/token?grant_type=client_credential&appid=${VS.appid}&secret=${VS.secret}`);
      const calls = (await r.get(`/_mpstack/journal?appid=${VS.appid}&limit=50`)).body.calls as Record<
        string,
        string
      >[];
      expect(calls.length).toBeGreaterThanOrEqual(2);
      const text = JSON.stringify(calls);
      expect(text).not.toContain(VS.secret);
      const tokens = (await r.get(`/_mpstack/accounts/${VS.appid}/tokens`)).body.tokens as {
        accessToken: string;
      }[];
      for (const t of tokens) expect(text).not.toContain(t.accessToken);
    });

    it("validates request bodies: 44002, 47001, field codes", async () => {
      const path = `/cgi-bin/openapi/quota/get?access_token=${token}`;
      expect((await r.post(path, "")).body.errcode).toBe(44002);
      expect((await r.post(path, "   ")).body.errcode).toBe(44002);
      expect((await r.post(path, "{")).body.errcode).toBe(47001);
      expect((await r.post(path, "null")).body.errcode).toBe(47001);
      expect((await r.post(path, {})).body.errcode).toBe(47001);
      expect((await r.post(path, { cgi_path: 5 })).body.errcode).toBe(47001);
      expect((await r.post(path, { cgi_path: "cgi-bin/token" })).body.errcode).toBe(76021);
      expect((await r.post(path, { cgi_path: "/sns/userinfo" })).body.errcode).toBe(76022);
      expect((await r.post(path, { cgi_path: "/cgi-bin/unknown" })).body.errcode).toBe(76021);
      // Content-Type is not checked (SDKs differ).
      const res = await r.raw(path, { method: "POST", body: JSON.stringify({ cgi_path: "/cgi-bin/token" }) });
      expect(((await res.json()) as { errcode: number }).errcode).toBe(0);
      const form = await r.raw(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: JSON.stringify({ cgi_path: "/cgi-bin/token" }),
      });
      expect(((await form.json()) as { errcode: number }).errcode).toBe(0);
    });

    it("answers oversized bodies in WeChat's shape", async () => {
      const res = await r.raw(`/cgi-bin/openapi/quota/get?access_token=${token}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"cgi_path":"${"x".repeat(3 * 1024 * 1024)}"}`,
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { errcode: number; errmsg: string };
      expect(body.errcode).toBe(47001);
      expect(body.errmsg).toMatch(RID_SUFFIX);
    });

    it("publishes an OpenAPI document of the simulator and the WeChat endpoints", async () => {
      const doc = (await r.get("/_mpstack/openapi.json")).body as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      };
      expect(doc.openapi).toBe("3.1.0");
      for (const p of [
        "/_mpstack/health",
        "/_mpstack/accounts",
        "/_mpstack/accounts/{appid}",
        "/_mpstack/users/{user}/follow",
        "/_mpstack/clock",
        "/_mpstack/reset",
        "/cgi-bin/token",
      ]) {
        expect(doc.paths[p], p).toBeDefined();
      }
      expect(Object.keys(doc.paths["/_mpstack/accounts"]!)).toEqual(expect.arrayContaining(["get", "post"]));
    });
  });
}
