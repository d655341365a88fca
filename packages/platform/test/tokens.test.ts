import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
const US = { appid: "wxd000000000000001", secret: "d0000000000000000000000000000001" };
const tokenUrl = (q: Record<string, string>) => `/cgi-bin/token?${new URLSearchParams(q)}`;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`tokens on ${backend.name}`, () => {
    let r: Running;
    beforeAll(async () => {
      r = await start({ pg: backend.pg });
    });
    afterAll(() => r?.close());

    const call = (token: string) => r.get(`/cgi-bin/getcallbackip?access_token=${encodeURIComponent(token)}`);

    it("issues a 7200 s token that works", async () => {
      const res = await r.get(tokenUrl({ grant_type: "client_credential", ...VV }));
      expect(res.body.expires_in).toBe(7200);
      expect(String(res.body.access_token)).toMatch(/^[A-Za-z0-9_-]{100,512}$/);
      expect((await call(String(res.body.access_token))).body).toEqual({ ip_list: ["127.0.0.1"] });
    });

    it("keeps the previous token for 5 minutes after a refresh, then 40001; expiry gives 42001", async () => {
      const a = await tokenFor(r, VV.appid, VV.secret);
      const older = await tokenFor(r, VV.appid, VV.secret);
      const b = await tokenFor(r, VV.appid, VV.secret);
      expect((await call(a)).body.errcode).toBe(40001); // superseded twice: ended at once
      expect((await call(older)).body.ip_list).toBeDefined(); // the previous one: 5 more minutes
      expect((await call(b)).body.ip_list).toBeDefined();
      await r.post("/_mpstack/clock", { advanceSeconds: 299 });
      expect((await call(older)).body.ip_list).toBeDefined();
      expect((await call(b)).body.ip_list).toBeDefined();
      const c = await tokenFor(r, VV.appid, VV.secret);
      expect((await call(b)).body.ip_list).toBeDefined(); // previous: inside its 5 minutes
      await r.post("/_mpstack/clock", { advanceSeconds: 301 });
      const superseded = await call(b);
      expect(superseded.body.errcode).toBe(40001);
      expect(superseded.body.errmsg).toMatch(
        /^invalid credential, access_token is invalid or not latest rid: /,
      );
      expect((await call(c)).body.ip_list).toBeDefined();
      await r.post("/_mpstack/clock", { advanceSeconds: 7200 });
      const expired = await call(c);
      expect(expired.body.errcode).toBe(42001);
      expect(String(expired.body.errmsg)).toContain("access_token expired");
      // Calls with a known but ended token are journaled under their account.
      const journal = (await r.get(`/_mpstack/journal?appid=${VV.appid}&limit=20`)).body.calls as {
        errcode: number;
      }[];
      expect(journal.map((c) => c.errcode)).toEqual(expect.arrayContaining([40001, 42001]));
      await r.post("/_mpstack/clock", { resetToRealTime: true });
    });

    it("issues concurrent tokens one after another: all answered, only the last two work", async () => {
      const tokens = await Promise.all(Array.from({ length: 12 }, () => tokenFor(r, VV.appid, VV.secret)));
      expect(new Set(tokens).size).toBe(12);
      const answers = await Promise.all(tokens.map((t) => call(t)));
      const working = answers.filter((a) => a.body.ip_list !== undefined).length;
      expect(working).toBe(2);
      expect(answers.every((a) => a.body.ip_list !== undefined || a.body.errcode === 40001)).toBe(true);
    });

    it("answers every token error code", async () => {
      const cases: [Record<string, string>, number][] = [
        [{ grant_type: "password", ...VV }, 40002],
        [{ appid: VV.appid, secret: VV.secret }, 40002],
        [{ grant_type: "client_credential", secret: VV.secret }, 41002],
        [{ grant_type: "client_credential", appid: VV.appid }, 41004],
        [{ grant_type: "client_credential", appid: "wx00000000000000ff", secret: VV.secret }, 40013],
        [{ grant_type: "client_credential", appid: "nonsense", secret: VV.secret }, 40013],
        [{ grant_type: "client_credential", appid: VV.appid, secret: US.secret }, 40125],
      ];
      for (const [q, code] of cases) {
        const res = await r.get(tokenUrl(q));
        expect(res.status, JSON.stringify(q)).toBe(200);
        expect(res.body.errcode, JSON.stringify(q)).toBe(code);
        expect(String(res.body.errmsg)).toMatch(RID_SUFFIX);
        expect(res.body.access_token).toBeUndefined();
      }
    });

    it("uses 40001 for a wrong secret when the policy says so", async () => {
      await r.raw(`/_mpstack/accounts/${US.appid}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ policies: { wrongSecretCode: 40001 } }),
      });
      const res = await r.get(
        tokenUrl({ grant_type: "client_credential", appid: US.appid, secret: VV.secret }),
      );
      expect(res.body.errcode).toBe(40001);
      await r.raw(`/_mpstack/accounts/${US.appid}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ policies: {} }),
      });
    });

    it("enforces the IP whitelist with 40164 when configured", async () => {
      const patch = (ipWhitelist: string[]) =>
        r.raw(`/_mpstack/accounts/${US.appid}`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ipWhitelist }),
        });
      expect((await patch(["10.1.2.3", "192.168.0.0/16"])).status).toBe(200);
      const denied = await r.get(tokenUrl({ grant_type: "client_credential", ...US }));
      expect(denied.body.errcode).toBe(40164);
      expect(denied.body.errmsg).toMatch(
        /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: /,
      );
      const stable = await r.post("/cgi-bin/stable_token", { grant_type: "client_credential", ...US });
      expect(stable.body.errcode).toBe(40164);
      await patch(["127.0.0.0/8"]);
      expect(
        (await r.get(tokenUrl({ grant_type: "client_credential", ...US }))).body.access_token,
      ).toBeDefined();
      await patch([]);
    });

    it("answers 45009 past the daily quota; clear_quota resets it, at most 10 times a month (48006)", async () => {
      const acct = await r.post("/_mpstack/accounts", {
        type: "service",
        verified: true,
        policies: { dailyQuotas: { "/cgi-bin/token": 3 }, clearQuotaMonthlyLimit: 2 },
      });
      const { appid, secret } = acct.body as { appid: string; secret: string };
      const q = { grant_type: "client_credential", appid, secret };
      let token = "";
      for (let i = 0; i < 3; i++) token = String((await r.get(tokenUrl(q))).body.access_token);
      const over = await r.get(tokenUrl(q));
      expect(over.body.errcode).toBe(45009);
      expect(over.body.errmsg).toMatch(/^reach max api daily quota limit rid: /);
      const quota = await r.post(`/cgi-bin/openapi/quota/get?access_token=${token}`, {
        cgi_path: "/cgi-bin/token",
      });
      expect(quota.body).toMatchObject({ errcode: 0, quota: { daily_limit: 3, used: 3, remain: 0 } });
      // Someone else's appid: 40013.
      expect(
        (await r.post(`/cgi-bin/clear_quota?access_token=${token}`, { appid: VV.appid })).body.errcode,
      ).toBe(40013);
      expect((await r.post(`/cgi-bin/clear_quota?access_token=${token}`, { appid })).body).toEqual({
        errcode: 0,
        errmsg: "ok",
      });
      expect((await r.get(tokenUrl(q))).body.access_token).toBeDefined();
      const t2 = String((await r.get(tokenUrl(q))).body.access_token);
      expect((await r.post(`/cgi-bin/clear_quota?access_token=${t2}`, { appid })).body.errcode).toBe(0);
      const third = await r.post(`/cgi-bin/clear_quota?access_token=${t2}`, { appid });
      expect(third.body.errcode).toBe(48006);
      // A new day resets the counters by itself.
      for (let i = 0; i < 3; i++) await r.get(tokenUrl(q));
      expect((await r.get(tokenUrl(q))).body.errcode).toBe(45009);
      await r.post("/_mpstack/clock", { advanceSeconds: 86400 });
      expect((await r.get(tokenUrl(q))).body.access_token).toBeDefined();
      await r.post("/_mpstack/clock", { resetToRealTime: true });
    });

    describe("stable_token", () => {
      const stable = (body: Record<string, unknown>) =>
        r.post("/cgi-bin/stable_token", {
          grant_type: "client_credential",
          appid: US.appid,
          secret: US.secret,
          ...body,
        });

      it("returns the same token in normal mode, independent of /cgi-bin/token", async () => {
        const a = await stable({});
        const b = await stable({ force_refresh: false });
        expect(a.body.access_token).toBe(b.body.access_token);
        expect(b.body.expires_in).toBeGreaterThan(7100);
        await tokenFor(r, US.appid, US.secret);
        await tokenFor(r, US.appid, US.secret);
        expect((await call(String(a.body.access_token))).body.ip_list).toBeDefined();
      });

      it("renews in the last 5 minutes; the old one lives to its end (expires_in ≥ 300)", async () => {
        const a = await stable({});
        await r.post("/_mpstack/clock", { advanceSeconds: Number(a.body.expires_in) - 200 });
        const b = await stable({});
        expect(b.body.access_token).not.toBe(a.body.access_token);
        expect(b.body.expires_in).toBe(7200);
        expect((await call(String(a.body.access_token))).body.ip_list).toBeDefined();
        await r.post("/_mpstack/clock", { advanceSeconds: 201 });
        expect((await call(String(a.body.access_token))).body.errcode).toBe(40001);
        expect((await call(String(b.body.access_token))).body.ip_list).toBeDefined();
        await r.post("/_mpstack/clock", { resetToRealTime: true });
      });

      it("force_refresh invalidates the old token at once, 30 s apart, 20 a day", async () => {
        // Days are China days: start at 02:00 UTC+8, a few days on, so the ~11 minutes below stay in one day.
        const now = Number((await r.get("/_mpstack/clock")).body.now);
        const DAY = 86_400_000;
        const CST = 8 * 3_600_000;
        const at2am = (Math.floor((now + CST) / DAY) + 3) * DAY + 2 * 3_600_000 - CST;
        await r.post("/_mpstack/clock", { advanceSeconds: (at2am - now) / 1000 });
        const a = await stable({});
        const b = await stable({ force_refresh: true });
        expect(b.body.access_token).not.toBe(a.body.access_token);
        expect((await call(String(a.body.access_token))).body.errcode).toBe(40001);
        const tooSoon = await stable({ force_refresh: true });
        expect(tooSoon.body.access_token).toBe(b.body.access_token);
        let last = String(b.body.access_token);
        for (let i = 0; i < 19; i++) {
          await r.post("/_mpstack/clock", { advanceSeconds: 31 });
          const n = await stable({ force_refresh: true });
          expect(n.body.access_token).not.toBe(last);
          last = String(n.body.access_token);
        }
        await r.post("/_mpstack/clock", { advanceSeconds: 31 });
        expect((await stable({ force_refresh: true })).body.access_token).toBe(last);
        await r.post("/_mpstack/clock", { resetToRealTime: true });
      });

      it("answers the stable_token errors", async () => {
        expect((await r.get("/cgi-bin/stable_token")).body.errcode).toBe(43002);
        expect((await r.post("/cgi-bin/stable_token", "{not json")).body.errcode).toBe(47001);
        expect((await r.post("/cgi-bin/stable_token", "")).body.errcode).toBe(44002);
        expect((await r.post("/cgi-bin/stable_token", "[1,2]")).body.errcode).toBe(47001);
        expect((await stable({ grant_type: "x" })).body.errcode).toBe(40002);
        expect((await stable({ appid: undefined })).body.errcode).toBe(41002);
        expect((await stable({ secret: undefined })).body.errcode).toBe(41004);
        expect((await stable({ secret: "0".repeat(32) })).body.errcode).toBe(40125);
        expect((await stable({ appid: "wx1234567890abcdef" })).body.errcode).toBe(40013);
        expect((await stable({ force_refresh: "yes" })).body.errcode).toBe(47001);
      });
    });

    it("validates access_token on an API call: 41001, 40014, 40001; 48001 by account type", async () => {
      expect((await r.get("/cgi-bin/getcallbackip")).body.errcode).toBe(41001);
      expect((await r.get("/cgi-bin/getcallbackip?access_token=")).body.errcode).toBe(41001);
      expect((await call("bad token!")).body.errcode).toBe(40014);
      expect((await call("A".repeat(128))).body.errcode).toBe(40001);
      const us = await tokenFor(r, US.appid, US.secret);
      // clear_quota is basic.access_token (all kinds); quota/get too. Permission denial needs a row
      // the unverified subscription lacks: force one via a policy override.
      await r.raw(`/_mpstack/accounts/${US.appid}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ policies: { permissionOverrides: { "basic.server_ip": { US: "no" } } } }),
      });
      const denied = await call(us);
      expect(denied.body.errcode).toBe(48001);
      expect(denied.body.errmsg).toMatch(/^api unauthorized rid: /);
      expect((await call(await tokenFor(r, VV.appid, VV.secret))).body.ip_list).toBeDefined();
      await r.raw(`/_mpstack/accounts/${US.appid}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "service", verified: true, policies: {} }),
      });
      expect((await call(us)).body.ip_list).toBeDefined();
    });
  });
}
