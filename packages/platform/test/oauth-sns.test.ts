/**
 * The sns/* calls (spec/oauth.md §3–§6, §8, §10) over real HTTP, on SQLite and PostgreSQL: every
 * error code of the exchange, the refresh, the profile and the token check, produced by a request
 * that should produce it; code, token and refresh-token lifetimes on the platform clock; UnionID
 * and the post-2021 profile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start } from "./helpers.js";
import { authorizePath, browseAs, codeOf, exchange, openPage, VS, VV } from "./web-helpers.js";

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`oauth sns calls (${backend.name})`, () => {
    let r: Running;
    let cookie: string;
    const code = async (scope = "snsapi_userinfo") =>
      String(codeOf((await openPage(r, authorizePath({ scope }), cookie)).location).code);
    const errcode = async (path: string) => {
      const res = await r.get(path);
      if (res.body.errcode) expect(String(res.body.errmsg)).toMatch(RID_SUFFIX);
      return res.body.errcode;
    };
    const advance = (advanceSeconds: number) => r.post("/_mpstack/clock", { advanceSeconds });
    const tokenPath = (q: string) => `/sns/oauth2/access_token?${q}`;
    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      // A follower entering from the account's menu: snsapi_userinfo is silent (no consent page).
      cookie = await browseAs(r, "alice", { appid: VV.appid, from: "menu" });
    });
    afterAll(() => r?.close());

    it("exchanges a code once; each broken parameter answers its own code", async () => {
      const ok = `appid=${VV.appid}&secret=${VV.secret}`;
      expect(await errcode(tokenPath(`secret=${VV.secret}&code=x&grant_type=authorization_code`))).toBe(
        41002,
      );
      expect(await errcode(tokenPath(`appid=${VV.appid}&code=x&grant_type=authorization_code`))).toBe(41004);
      expect(await errcode(tokenPath(`${ok}&grant_type=authorization_code`))).toBe(41008);
      expect(await errcode(tokenPath(`${ok}&code=x&grant_type=client_credential`))).toBe(40002);
      expect(await errcode(tokenPath(`${ok}&code=x`))).toBe(40002);
      expect(
        await errcode(
          tokenPath(`appid=wx0000000000000bad&secret=${VV.secret}&code=x&grant_type=authorization_code`),
        ),
      ).toBe(40013);
      expect(
        await errcode(
          tokenPath(`appid=${VV.appid}&secret=${VS.secret}&code=x&grant_type=authorization_code`),
        ),
      ).toBe(40125);
      expect(
        await errcode(
          tokenPath(`appid=${VS.appid}&secret=${VS.secret}&code=x&grant_type=authorization_code`),
        ),
      ).toBe(48001);
      expect(await errcode(tokenPath(`${ok}&code=nosuchcode&grant_type=authorization_code`))).toBe(40029);
      const c = await code();
      // A code of one account exchanged by another is unknown to it.
      await r.post("/_mpstack/accounts", {
        appid: "wx00000000000000e2",
        secret: "e0000000000000000000000000000002",
        verified: true,
      });
      expect(
        (await exchange(r, c, { appid: "wx00000000000000e2", secret: "e0000000000000000000000000000002" }))
          .body.errcode,
      ).toBe(40029);
      const first = await exchange(r, c);
      expect(first.body).toMatchObject({ expires_in: 7200, scope: "snsapi_userinfo" });
      expect(String(first.body.access_token)).toMatch(/^\d{2}_[\w-]{80}$/);
      expect((await exchange(r, c)).body.errcode).toBe(40163);
    });

    it("a code lives 5 minutes: 40029 after (42003 with the setting)", async () => {
      const c1 = await code();
      await advance(299);
      expect((await exchange(r, c1)).body.openid).toBeDefined();
      const c2 = await code();
      await advance(301);
      expect((await exchange(r, c2)).body.errcode).toBe(40029);
      await r.raw(`/_mpstack/accounts/${VV.appid}/oauth-settings`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ expiredCodeErrcode: 42003 }),
      });
      const c3 = await code();
      await advance(301);
      expect((await exchange(r, c3)).body.errcode).toBe(42003);
      await r.post("/_mpstack/clock", { resetToRealTime: true });
    });

    it("refreshes: a new web token, the same refresh token; 30 days; each error code", async () => {
      const t = (await exchange(r, await code())).body;
      const refresh = (q: string) => r.get(`/sns/oauth2/refresh_token?${q}`);
      const good = `appid=${VV.appid}&grant_type=refresh_token&refresh_token=${t.refresh_token}`;
      expect((await refresh(`grant_type=refresh_token&refresh_token=${t.refresh_token}`)).body.errcode).toBe(
        41002,
      );
      expect((await refresh(`appid=${VV.appid}&refresh_token=${t.refresh_token}`)).body.errcode).toBe(40002);
      expect((await refresh(`appid=${VV.appid}&grant_type=refresh_token`)).body.errcode).toBe(41003);
      expect(
        (await refresh(`appid=wx0000000000000bad&grant_type=refresh_token&refresh_token=x`)).body.errcode,
      ).toBe(40013);
      expect((await refresh(`appid=${VS.appid}&grant_type=refresh_token&refresh_token=x`)).body.errcode).toBe(
        48001,
      );
      expect(
        (await refresh(`appid=${VV.appid}&grant_type=refresh_token&refresh_token=nope`)).body.errcode,
      ).toBe(40030);
      expect((await refresh(good.replace(VV.appid, "wx00000000000000e2"))).body.errcode).toBe(40030);
      await advance(7201);
      const info = (token: unknown) => r.get(`/sns/userinfo?access_token=${token}&openid=${t.openid}`);
      expect((await info(t.access_token)).body.errcode).toBe(42001);
      const renewed = (await refresh(good)).body;
      expect(renewed).toMatchObject({
        refresh_token: t.refresh_token,
        openid: t.openid,
        scope: "snsapi_userinfo",
      });
      expect(renewed.access_token).not.toBe(t.access_token);
      expect((await info(renewed.access_token)).body.nickname).toBe("Alice");
      await advance(30 * 86_400);
      expect((await refresh(good)).body.errcode).toBe(42002);
      await r.post("/_mpstack/clock", { resetToRealTime: true });
    });

    it("a password change voids web and refresh tokens (42007)", async () => {
      const t = (await exchange(r, await code())).body;
      await r.post("/_mpstack/users/alice/password-changed", { appid: VV.appid });
      expect((await r.get(`/sns/auth?access_token=${t.access_token}&openid=${t.openid}`)).body.errcode).toBe(
        42007,
      );
      const q = `appid=${VV.appid}&grant_type=refresh_token&refresh_token=${t.refresh_token}`;
      expect((await r.get(`/sns/oauth2/refresh_token?${q}`)).body.errcode).toBe(42007);
    });

    it("userinfo: the profile (post-2021 or legacy), UnionID, and its error codes", async () => {
      const t = (await exchange(r, await code())).body;
      const info = (q: string) => r.get(`/sns/userinfo?${q}`);
      const good = `access_token=${t.access_token}&openid=${t.openid}`;
      const profile = (await info(`${good}&lang=en`)).body;
      expect(profile).toEqual({
        openid: t.openid,
        nickname: "Alice",
        sex: 0,
        province: "",
        city: "",
        country: "",
        headimgurl: expect.any(String),
        privilege: [],
        unionid: t.unionid,
      });
      await r.raw(`/_mpstack/accounts/${VV.appid}/oauth-settings`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ legacyProfile: true }),
      });
      expect((await info(good)).body).toMatchObject({ sex: 2, city: "Shanghai" });
      expect((await info(`openid=${t.openid}`)).body.errcode).toBe(41001);
      expect((await info(`access_token=${t.access_token}`)).body.errcode).toBe(41009);
      expect((await info(`access_token=bad!&openid=${t.openid}`)).body.errcode).toBe(40014);
      expect((await info(`access_token=${"A".repeat(40)}&openid=${t.openid}`)).body.errcode).toBe(40001);
      expect(
        (await info(`access_token=${t.access_token}&openid=oSomeoneElse0000000000000000`)).body.errcode,
      ).toBe(40003);
      const base = (await exchange(r, await code("snsapi_base"))).body;
      expect(base.unionid).toBeUndefined();
      expect((await info(`access_token=${base.access_token}&openid=${base.openid}`)).body.errcode).toBe(
        48001,
      );
    });

    it("auth: ok while valid, then 42001; 40003, 40001, 41001", async () => {
      const t = (await exchange(r, await code("snsapi_base"))).body;
      const auth = (q: string) => r.get(`/sns/auth?${q}`);
      expect((await auth(`access_token=${t.access_token}&openid=${t.openid}`)).body).toEqual({
        errcode: 0,
        errmsg: "ok",
      });
      expect((await auth(`access_token=${t.access_token}&openid=oOther`)).body.errcode).toBe(40003);
      expect((await auth(`access_token=${"B".repeat(30)}&openid=${t.openid}`)).body.errcode).toBe(40001);
      expect((await auth(`openid=${t.openid}`)).body.errcode).toBe(41001);
      await advance(7200);
      expect((await auth(`access_token=${t.access_token}&openid=${t.openid}`)).body.errcode).toBe(42001);
      await r.post("/_mpstack/clock", { resetToRealTime: true });
    });

    it("45011 past the per-minute limit of an sns path", async () => {
      await r.raw(`/_mpstack/accounts/${VV.appid}/oauth-settings`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ snsPerMinute: 1 }),
      });
      const t = (await exchange(r, await code("snsapi_base"))).body;
      const auth = `/sns/auth?access_token=${t.access_token}&openid=${t.openid}`;
      expect((await r.get(auth)).body.errcode).toBe(0);
      expect((await r.get(auth)).body.errcode).toBe(45011);
      expect((await exchange(r, await code("snsapi_base"))).body.errcode).toBe(45011);
    });
  });
}
