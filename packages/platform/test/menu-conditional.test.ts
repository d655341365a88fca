/**
 * Personalised menus: addconditional / delconditional errors, menu/get with conditional menus,
 * trymatch, and matching (tag added last, client platform, newest first, privacy rules), and the
 * menu a simulated client shows (refreshed after 300 s or on follow).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";

const VV = "wxd000000000000004";
const VS = "wxd000000000000002";

/** The account's custom tags (ids 100, 101, 102, created in this order before the tests). */
const CUSTOM_TAGS = ["t100", "t101", "t102"];

const DEFAULT = { button: [{ type: "click", name: "Default", key: "DEFAULT" }] };
const menuOf = (key: string, extra: Record<string, unknown>[] = []) => ({
  button: [{ type: "click", name: key, key }, ...extra],
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`personalised menus on ${backend.name}`, () => {
    let r: Running;
    let token: string;
    let tokenVS: string;
    const api = (path: string, t = token) => `/cgi-bin/${path}?access_token=${t}`;
    const add = (body: unknown, t = token) => r.post(api("menu/addconditional", t), body);
    const tryMatch = async (userId: string) => (await r.post(api("menu/trymatch"), { user_id: userId })).body;
    const keyOf = (body: Record<string, unknown>) =>
      (body.button as { key?: string }[] | undefined)?.[0]?.key;
    const settings = (body: Record<string, unknown>, appid = VV) =>
      r.raw(`/_mpstack/accounts/${appid}/menu-settings`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const openid = async (user: string, appid = VV) => {
      const u = (await r.get(`/_mpstack/users/${user}`)).body as {
        follows: { appid: string; openid: string }[];
      };
      const f = u.follows.find((x) => x.appid === appid);
      if (!f) throw new Error(`${user} has no openid in ${appid}`);
      return f.openid;
    };

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      token = await tokenFor(r, VV, "d0000000000000000000000000000004");
      for (const name of CUSTOM_TAGS) await r.post(api("tags/create"), { tag: { name } });
      tokenVS = await tokenFor(r, VS, "d0000000000000000000000000000002");
    });
    afterAll(() => r?.close());

    it("needs a default menu, a button list and a non-empty rule; refuses privacy fields", async () => {
      expect((await add({ ...menuOf("A"), matchrule: { tag_id: "100" } })).body.errcode).toBe(65303);
      expect((await r.post(api("menu/create"), DEFAULT)).body.errcode).toBe(0);
      expect((await add({ matchrule: { tag_id: "100" } })).body.errcode).toBe(65307);
      expect((await add(menuOf("A"))).body.errcode).toBe(65304);
      expect((await add({ ...menuOf("A"), matchrule: { tag_id: "", language: "  " } })).body.errcode).toBe(
        65304,
      );
      for (const field of ["sex", "country", "province", "city", "language"]) {
        const res = await add({ ...menuOf("A"), matchrule: { [field]: field === "sex" ? "1" : "zh_CN" } });
        expect(res.body.errcode, field).toBe(65320);
      }
      expect((await add({ ...menuOf("A"), matchrule: { tag_id: "999" } })).body.errcode).toBe(45159);
      expect((await add({ ...menuOf("A"), matchrule: { tag_id: "abc" } })).body.errcode).toBe(45159);
      expect((await add({ ...menuOf("A"), matchrule: { client_platform_type: "4" } })).body.errcode).toBe(
        40097,
      );
      // button validation applies, with 65317 for an unparseable URL
      expect((await add({ button: [], matchrule: { tag_id: "100" } })).body.errcode).toBe(40016);
      expect(
        (await add({ button: [{ name: "x", key: "k" }], matchrule: { tag_id: "100" } })).body.errcode,
      ).toBe(65308);
      const badUrl = {
        button: [{ type: "view", name: "V", url: "http://exa mple.cn/" }],
        matchrule: { tag_id: "100" },
      };
      expect((await add(badUrl)).body.errcode).toBe(65317);
    });

    it("adds, lists (group_id, string values, menuids) and deletes personalised menus", async () => {
      const a = await add({ ...menuOf("TAG100"), matchrule: { tag_id: 100 } });
      expect(Object.keys(a.body)).toEqual(["menuid"]);
      expect(a.body.menuid).toMatch(/^\d{9}$/);
      // group_id is the legacy alias of tag_id
      const b = await add({ ...menuOf("IOS"), matchrule: { group_id: "101", client_platform_type: 1 } });
      const got = (await r.get(api("menu/get"))).body as {
        menu: { button: unknown[]; menuid: number };
        conditionalmenu: { button: { key: string }[]; matchrule: Record<string, string>; menuid: number }[];
      };
      expect(typeof got.menu.menuid).toBe("number");
      expect(got.conditionalmenu.map((m) => m.menuid)).toEqual([
        Number(a.body.menuid),
        Number(b.body.menuid),
      ]);
      expect(got.conditionalmenu[0]?.matchrule).toEqual({ group_id: "100" });
      expect(got.conditionalmenu[1]?.matchrule).toEqual({ group_id: "101", client_platform_type: "1" });
      expect(got.conditionalmenu[1]?.button).toEqual([
        { type: "click", name: "IOS", key: "IOS", sub_button: [] },
      ]);

      expect((await r.post(api("menu/delconditional"), { menuid: "123" })).body.errcode).toBe(65301);
      expect((await r.post(api("menu/delconditional"), { menuid: "x1" })).body.errcode).toBe(65301);
      // another account cannot delete it
      expect(
        (await r.post(api("menu/delconditional", tokenVS), { menuid: a.body.menuid })).body.errcode,
      ).toBe(65301);
      // a number works as well as a string
      expect((await r.post(api("menu/delconditional"), { menuid: Number(b.body.menuid) })).body).toEqual({
        errcode: 0,
        errmsg: "ok",
      });
      expect((await r.post(api("menu/delconditional"), { menuid: b.body.menuid })).body.errcode).toBe(65301);
      const after = (await r.get(api("menu/get"))).body as { conditionalmenu: unknown[] };
      expect(after.conditionalmenu).toHaveLength(1);
      // menu/create keeps personalised menus; menu/delete removes everything
      await r.post(api("menu/create"), DEFAULT);
      expect(
        ((await r.get(api("menu/get"))).body as { conditionalmenu: unknown[] }).conditionalmenu,
      ).toHaveLength(1);
      await r.get(api("menu/delete"));
      expect((await r.get(api("menu/get"))).body.errcode).toBe(46003);
    });

    it("limits the number of personalised menus and their link domains", async () => {
      await r.post(api("menu/create"), DEFAULT);
      await settings({ conditionalLimit: 2 });
      const view = (host: string) => ({ type: "view", name: "V", url: `https://${host}/x` });
      expect(
        (await add({ ...menuOf("A", [view("a.cn"), view("b.cn")]), matchrule: { tag_id: "100" } })).body,
      ).toHaveProperty("menuid");
      // 4 domains in total → 65316
      const tooMany = { ...menuOf("B", [view("c.cn"), view("d.cn")]), matchrule: { tag_id: "100" } };
      expect((await add(tooMany)).body.errcode).toBe(65316);
      expect(
        (await add({ ...menuOf("B", [view("c.cn")]), matchrule: { tag_id: "100" } })).body,
      ).toHaveProperty("menuid");
      expect((await add({ ...menuOf("C"), matchrule: { tag_id: "100" } })).body.errcode).toBe(65305);
      await settings({ conditionalLimit: 20 });
      await r.get(api("menu/delete"));
    });

    it("trymatch: OpenID or WeChat ID, 65302 unknown, 65315 not following, 46003 no menu", async () => {
      const alice = await openid("alice");
      expect((await tryMatch(alice)).errcode).toBe(46003);
      await r.post(api("menu/create"), DEFAULT);
      expect(await tryMatch(alice)).toEqual({
        button: [{ type: "click", name: "Default", key: "DEFAULT", sub_button: [] }],
      });
      expect(keyOf(await tryMatch("alice"))).toBe("DEFAULT");
      expect((await tryMatch("nobody-at-all")).errcode).toBe(65302);
      expect((await tryMatch("oNotAnOpenidOfThisAccount000")).errcode).toBe(65302);
      await r.post("/_mpstack/users", { id: "frank" });
      expect((await tryMatch("frank")).errcode).toBe(65315);
      await r.post("/_mpstack/users/frank/follow", { appid: VV });
      expect(keyOf(await tryMatch(await openid("frank")))).toBe("DEFAULT");
      await r.post("/_mpstack/users/frank/unfollow", { appid: VV });
      expect((await tryMatch(await openid("frank"))).errcode).toBe(65315);
    });

    it("matches the newest menu first, by the tag added last and the client platform", async () => {
      await r.get(api("menu/delete"));
      await r.post(api("menu/create"), DEFAULT);
      await add({ ...menuOf("TAG100"), matchrule: { tag_id: "100" } });
      await add({ ...menuOf("ANDROID"), matchrule: { client_platform_type: "2" } });
      await add({ ...menuOf("TAG101_IOS"), matchrule: { tag_id: "101", client_platform_type: "1" } });

      const tagUser = async (user: string, tagid: number) =>
        r.post(api("tags/members/batchtagging"), { openid_list: [await openid(user)], tagid });
      await tagUser("alice", 100);
      await tagUser("bob", 100);
      await tagUser("bob", 101); // 101 was added last
      await tagUser("carol", 101);
      await tagUser("carol", 100); // 100 was added last
      const platform = (user: string, p: number) =>
        r.raw(`/_mpstack/users/${user}/client`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ platform: p }),
        });

      expect(keyOf(await tryMatch("alice"))).toBe("TAG100");
      expect(keyOf(await tryMatch("dave"))).toBe("DEFAULT");
      await platform("dave", 2);
      expect(keyOf(await tryMatch("dave"))).toBe("ANDROID");
      // bob's last tag is 101, but his client is "others": TAG101_IOS does not match, ANDROID does not, TAG100 does not
      expect(keyOf(await tryMatch("bob"))).toBe("DEFAULT");
      await platform("bob", 1);
      expect(keyOf(await tryMatch("bob"))).toBe("TAG101_IOS");
      // carol's last tag is 100; on Android the newer ANDROID menu wins over TAG100
      expect(keyOf(await tryMatch("carol"))).toBe("TAG100");
      await platform("carol", 2);
      expect(keyOf(await tryMatch("carol"))).toBe("ANDROID");
      expect((await r.get("/_mpstack/users/carol/client")).body).toEqual({ platform: 2 });
    });

    it("legacy rules (privacy mode off) match sex, region and language; they stop matching with privacy on", async () => {
      await r.get(api("menu/delete"));
      await r.post(api("menu/create"), DEFAULT);
      await settings({ privacyMode: false });
      expect((await add({ ...menuOf("X"), matchrule: { province: "Shanghai" } })).body.errcode).toBe(65310);
      expect(
        (await add({ ...menuOf("X"), matchrule: { country: "China", city: "Shanghai" } })).body.errcode,
      ).toBe(65311);
      expect((await add({ ...menuOf("X"), matchrule: { sex: "3" } })).body.errcode).toBe(40097);
      expect((await add({ ...menuOf("X"), matchrule: { language: "xx" } })).body.errcode).toBe(40097);
      expect((await add({ ...menuOf("FEMALE"), matchrule: { sex: "2" } })).body).toHaveProperty("menuid");
      expect(
        (
          await add({
            ...menuOf("BEIJING_EN"),
            matchrule: { city: "Beijing", province: "Beijing", country: "China", language: "en" },
          })
        ).body,
      ).toHaveProperty("menuid");
      // demo users: alice female (Shanghai), bob male (Beijing, zh_CN)
      expect(keyOf(await tryMatch("alice"))).toBe("FEMALE");
      expect(keyOf(await tryMatch("bob"))).toBe("DEFAULT");
      // menu/get lists the legacy rule unchanged
      const got = (await r.get(api("menu/get"))).body as {
        conditionalmenu: { matchrule: Record<string, string> }[];
      };
      expect(got.conditionalmenu[0]?.matchrule).toEqual({ sex: "2" });
      // privacy on: such rules silently stop matching
      await settings({ privacyMode: true });
      expect(keyOf(await tryMatch("alice"))).toBe("DEFAULT");
    });

    it("the simulated client keeps the menu for 300 s, and refetches on follow or when asked", async () => {
      await r.get(api("menu/delete"));
      const seen = async (user: string, refresh = false) =>
        (await r.get(`/_mpstack/users/${user}/menu?appid=${VV}${refresh ? "&refresh=true" : ""}`)).body as {
          menuid: number | null;
          button: { key: string }[];
          following: boolean;
          conditional: boolean;
        };
      expect((await seen("erin")).menuid).toBeNull();
      await r.post(api("menu/create"), menuOf("V1"));
      expect((await seen("erin")).menuid).toBeNull(); // the empty answer is cached too
      await r.post("/_mpstack/clock", { advanceSeconds: 301 });
      const v1 = await seen("erin");
      expect(v1.button[0]?.key).toBe("V1");
      expect(v1.following).toBe(true);
      await r.post(api("menu/create"), menuOf("V2"));
      expect((await seen("erin")).button[0]?.key).toBe("V1");
      expect((await seen("erin", true)).button[0]?.key).toBe("V2");
      await r.post(api("menu/create"), menuOf("V3"));
      await r.post("/_mpstack/users/erin/unfollow", { appid: VV });
      await r.post("/_mpstack/users/erin/follow", { appid: VV });
      expect((await seen("erin")).button[0]?.key).toBe("V3");
      // TTL 0: always current
      await settings({ clientTtlSeconds: 0 });
      await r.post(api("menu/create"), menuOf("V4"));
      expect((await seen("erin")).button[0]?.key).toBe("V4");
      expect((await r.get(`/_mpstack/accounts/${VV}/menu-settings`)).body).toEqual({
        conditionalLimit: 20,
        privacyMode: true,
        strictCharset: true,
        clientTtlSeconds: 0,
      });
    });
  });
}
