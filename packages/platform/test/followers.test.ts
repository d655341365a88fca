/**
 * User info, remarks, the follower list and the blacklist over real HTTP (users.md §5–8), on SQLite
 * and PostgreSQL: today's user/info field set, non-followers, UnionID rules, batchget, remark
 * limits, user/get keyset paging across > 10 000 followers (seeded in bulk), the empty last page,
 * blacklist paging and its codes, isBlacklisted, and the permission rows (48001 on US/UV).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClock } from "../src/index.js";
import { getAccount } from "../src/modules/accounts/store.js";
import { isBlacklisted } from "../src/modules/followers/index.js";
import { seedFollowers } from "../src/modules/simulated-users/index.js";
import { ensureIdentity } from "../src/modules/simulated-users/store.js";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const app = (n: number) => `wxd00000000000000${n}`;
const secret = (n: number) => `d${String(n).padStart(31, "0")}`;
const [US, VS, UV, VV] = [1, 2, 3, 4].map(app) as [string, string, string, string];
const REMOVED_FIELDS = ["nickname", "sex", "city", "province", "country", "headimgurl", "privilege"];
const INFO_KEYS = [
  "subscribe",
  "openid",
  "language",
  "subscribe_time",
  "unionid",
  "remark",
  "groupid",
  "tagid_list",
  "subscribe_scene",
  "qr_scene",
  "qr_scene_str",
];

type Body = Record<string, unknown>;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`user-management APIs on ${backend.name}`, () => {
    let r: Running;
    const tokens: Record<string, string> = {};
    const openids: Record<string, string> = {};
    /** An account created by the test: no open platform, so no UnionIDs. */
    let lone: { appid: string; secret: string };

    const get = async (path: string, appid = VV) =>
      (await r.get(`${path}${path.includes("?") ? "&" : "?"}access_token=${tokens[appid]}`)).body;
    const post = async (path: string, body: unknown, appid = VV) =>
      (await r.post(`${path}?access_token=${tokens[appid]}`, body)).body;
    const expectError = (body: Body, code: number) => {
      expect(body.errcode).toBe(code);
      expect(String(body.errmsg)).toMatch(RID_SUFFIX);
    };
    const follow = async (user: string, appid: string, extra: Body = {}) => {
      const res = await r.post(`/_mpstack/users/${user}/follow`, { appid, ...extra });
      expect(res.status).toBe(200);
      return String(res.body.openid);
    };

    beforeAll(async () => {
      // Real time starts on a whole second and moves 1 ms per reading, so follows 10 s apart on the
      // clock are 10 s apart in user/info whatever the machine's speed.
      let ticks = Math.floor(Date.now() / 1000) * 1000;
      r = await start({ pg: backend.pg, clock: createClock(0, () => ticks++) });
      for (const n of [1, 2, 3, 4]) tokens[app(n)] = await tokenFor(r, app(n), secret(n));
      const created = await r.post("/_mpstack/accounts", { name: "Lone", type: "service", verified: true });
      lone = { appid: String(created.body.appid), secret: String(created.body.secret) };
      tokens[lone.appid] = await tokenFor(r, lone.appid, lone.secret);
      for (const id of ["u1", "u2", "u3", "u4", "u5"])
        await r.post("/_mpstack/users", { id, language: "en" });
      await r.post("/_mpstack/clock", { advanceSeconds: 10 });
      openids.u1 = await follow("u1", VV, { scene: "ADD_SCENE_QR_CODE", qrScene: 98001 });
      await r.post("/_mpstack/clock", { advanceSeconds: 10 });
      openids.u2 = await follow("u2", VV, { qrSceneStr: "promo" });
      openids.u3 = await follow("u3", VV);
      openids.u1VS = await follow("u1", VS);
      openids.u4lone = await follow("u4", lone.appid);
    });
    afterAll(async () => {
      await r?.post("/_mpstack/clock", { resetToRealTime: true });
      await r?.close();
    });

    it("user/info answers today's field set for a follower, in WeChat's order", async () => {
      const info = await get(`/cgi-bin/user/info?openid=${openids.u1}&lang=zh_CN`);
      expect(Object.keys(info)).toEqual(INFO_KEYS);
      expect(info).toMatchObject({
        subscribe: 1,
        openid: openids.u1,
        language: "en",
        remark: "",
        groupid: 0,
        tagid_list: [],
        subscribe_scene: "ADD_SCENE_QR_CODE",
        qr_scene: 98001,
        qr_scene_str: "",
      });
      for (const f of REMOVED_FIELDS) expect(info).not.toHaveProperty(f);
      expect(info.unionid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
      // The same person in another account of the open platform: same UnionID, another OpenID.
      const vs = await get(`/cgi-bin/user/info?openid=${openids.u1VS}`, VS);
      expect(vs.unionid).toBe(info.unionid);
      expect(vs.openid).not.toBe(info.openid);
      // subscribe_time: seconds of the (latest) follow on the platform clock.
      expect(Number.isInteger(info.subscribe_time)).toBe(true);
      expect(Number(info.subscribe_time)).toBeGreaterThan(1_600_000_000);
      const u2 = await get(`/cgi-bin/user/info?openid=${openids.u2}&lang=en`);
      expect(u2).toMatchObject({ subscribe_scene: "ADD_SCENE_QR_CODE", qr_scene: 0, qr_scene_str: "promo" });
      expect(Number(u2.subscribe_time)).toBe(Number(info.subscribe_time) + 10);
    });

    it("user/info has no unionid when the account has no open platform", async () => {
      const info = await get(`/cgi-bin/user/info?openid=${openids.u4lone}`, lone.appid);
      expect(info.subscribe).toBe(1);
      expect(info).not.toHaveProperty("unionid");
      expect(Object.keys(info)).toEqual(INFO_KEYS.filter((k) => k !== "unionid"));
    });

    it("user/info of a non-follower is only subscribe 0 and the OpenID", async () => {
      const openid = await follow("u5", VV);
      await r.post("/_mpstack/users/u5/unfollow", { appid: VV });
      expect(await get(`/cgi-bin/user/info?openid=${openid}`)).toEqual({ subscribe: 0, openid });
      // An OpenID known only through OAuth (never followed): the same short answer.
      const account = await getAccount(r.platform.db, VV);
      const identity = await ensureIdentity(r.platform, account!, "u4");
      expect(await get(`/cgi-bin/user/info?openid=${identity.openid}`)).toEqual({
        subscribe: 0,
        openid: identity.openid,
      });
      await follow("u5", VV);
      expect((await get(`/cgi-bin/user/info?openid=${openid}`)).subscribe).toBe(1);
    });

    it("user/info errors: unknown or foreign OpenID 40003, missing 41009, bad lang 47001, token 41001", async () => {
      expectError(await get("/cgi-bin/user/info?openid=oNotAnOpenIdOfAnyoneAtAll000"), 40003);
      expectError(await get(`/cgi-bin/user/info?openid=${openids.u1VS}`), 40003);
      expectError(await get("/cgi-bin/user/info"), 41009);
      expectError(await get("/cgi-bin/user/info?openid="), 40003);
      expectError(await get(`/cgi-bin/user/info?openid=${openids.u1}&lang=fr`), 47001);
      expectError((await r.get(`/cgi-bin/user/info?openid=${openids.u1}`)).body, 41001);
    });

    it("user/info/batchget answers in request order, short objects for non-followers", async () => {
      const gone = await follow("u4", VV);
      await r.post("/_mpstack/users/u4/unfollow", { appid: VV });
      const res = await post("/cgi-bin/user/info/batchget", {
        user_list: [
          { openid: openids.u3, lang: "zh_CN" },
          { openid: gone },
          { openid: openids.u1, lang: "en" },
        ],
      });
      const list = res.user_info_list as Body[];
      expect(list.map((u) => u.openid)).toEqual([openids.u3, gone, openids.u1]);
      expect(list[1]).toEqual({ subscribe: 0, openid: gone });
      expect(list[0]).toEqual(await get(`/cgi-bin/user/info?openid=${openids.u3}`));
      expect(Object.keys(list[2]!)).toEqual(INFO_KEYS);
      for (const f of REMOVED_FIELDS) expect(list[2]).not.toHaveProperty(f);
    });

    it("user/info/batchget errors: 40032 for 0 or 101 users, 40003 for a bad OpenID", async () => {
      expectError(await post("/cgi-bin/user/info/batchget", { user_list: [] }), 40032);
      const many = Array.from({ length: 101 }, () => ({ openid: openids.u1 }));
      expectError(await post("/cgi-bin/user/info/batchget", { user_list: many }), 40032);
      expect(
        (
          (await post("/cgi-bin/user/info/batchget", { user_list: many.slice(0, 100) }))
            .user_info_list as Body[]
        ).length,
      ).toBe(100);
      expectError(
        await post("/cgi-bin/user/info/batchget", {
          user_list: [{ openid: openids.u1 }, { openid: openids.u1VS }],
        }),
        40003,
      );
      expectError(await post("/cgi-bin/user/info/batchget", { users: [] }), 47001);
      expectError((await r.post(`/cgi-bin/user/info/batchget?access_token=${tokens[VV]}`, "")).body, 44002);
    });

    it("updateremark sets a remark that user/info and batchget read back", async () => {
      expect(
        await post("/cgi-bin/user/info/updateremark", { openid: openids.u2, remark: "王先生 (3号店)" }),
      ).toEqual({ errcode: 0, errmsg: "ok" });
      expect((await get(`/cgi-bin/user/info?openid=${openids.u2}`)).remark).toBe("王先生 (3号店)");
      const batch = await post("/cgi-bin/user/info/batchget", { user_list: [{ openid: openids.u2 }] });
      expect((batch.user_info_list as Body[])[0]?.remark).toBe("王先生 (3号店)");
      // Shorter than 30 bytes: 29 pass, 30 fail (a Chinese character is 3 bytes).
      expect(
        (await post("/cgi-bin/user/info/updateremark", { openid: openids.u2, remark: "x".repeat(29) }))
          .errcode,
      ).toBe(0);
      expectError(
        await post("/cgi-bin/user/info/updateremark", { openid: openids.u2, remark: "x".repeat(30) }),
        40092,
      );
      expectError(
        await post("/cgi-bin/user/info/updateremark", { openid: openids.u2, remark: "店".repeat(10) }),
        40092,
      );
      expect((await get(`/cgi-bin/user/info?openid=${openids.u2}`)).remark).toBe("x".repeat(29));
      // Clearing it.
      expect(
        (await post("/cgi-bin/user/info/updateremark", { openid: openids.u2, remark: "" })).errcode,
      ).toBe(0);
      expect((await get(`/cgi-bin/user/info?openid=${openids.u2}`)).remark).toBe("");
    });

    it("updateremark errors: 40003 unknown/foreign, 43004 not following, 41009 missing openid", async () => {
      expectError(await post("/cgi-bin/user/info/updateremark", { openid: "oNobody", remark: "a" }), 40003);
      expectError(
        await post("/cgi-bin/user/info/updateremark", { openid: openids.u1VS, remark: "a" }),
        40003,
      );
      const gone = await follow("u4", VS);
      await r.post("/_mpstack/users/u4/unfollow", { appid: VS });
      expectError(await post("/cgi-bin/user/info/updateremark", { openid: gone, remark: "a" }, VS), 43004);
      expectError(await post("/cgi-bin/user/info/updateremark", { remark: "a" }), 41009);
      expectError(await post("/cgi-bin/user/info/updateremark", { openid: openids.u1 }), 47001);
    });

    it("user/get lists followers in follow order; past the end count 0, next_openid '' and no data", async () => {
      const res = await get("/cgi-bin/user/get");
      const list = (res.data as { openid: string[] }).openid;
      expect(res.total).toBe(list.length);
      expect(res.count).toBe(list.length);
      expect(res.next_openid).toBe(list.at(-1));
      // Followers only, the earliest follow first.
      expect(list.indexOf(openids.u1!)).toBeLessThan(list.indexOf(openids.u2!));
      expect(list).not.toContain(openids.u1VS);
      const followers = (await r.get(`/_mpstack/accounts/${VV}/followers?limit=1000`)).body
        .followers as Body[];
      expect(new Set(list)).toEqual(new Set(followers.map((f) => f.openid)));
      const end = await get(`/cgi-bin/user/get?next_openid=${res.next_openid}`);
      expect(end).toEqual({ total: res.total, count: 0, next_openid: "" });
      // Starting after the second follower gives the rest.
      const rest = await get(`/cgi-bin/user/get?next_openid=${list[1]}`);
      expect((rest.data as { openid: string[] }).openid).toEqual(list.slice(2));
      // An account without followers.
      const created = await r.post("/_mpstack/accounts", { type: "service", verified: true });
      tokens[String(created.body.appid)] = await tokenFor(
        r,
        String(created.body.appid),
        String(created.body.secret),
      );
      expect(await get("/cgi-bin/user/get", String(created.body.appid))).toEqual({
        total: 0,
        count: 0,
        next_openid: "",
      });
    });

    it("user/get: next_openid of another account or unknown is 40003; a former follower continues after its place", async () => {
      expectError(await get(`/cgi-bin/user/get?next_openid=${openids.u1VS}`), 40003);
      expectError(await get("/cgi-bin/user/get?next_openid=oNobody"), 40003);
      const list = ((await get("/cgi-bin/user/get")).data as { openid: string[] }).openid;
      const at = list.indexOf(openids.u2!);
      await r.post("/_mpstack/users/u2/unfollow", { appid: VV });
      const after = await get(`/cgi-bin/user/get?next_openid=${openids.u2}`);
      expect((after.data as { openid: string[] }).openid).toEqual(list.slice(at + 1));
      expect(after.total).toBe(list.length - 1);
      // Re-following moves the user to the end (latest follow).
      await r.post("/_mpstack/clock", { advanceSeconds: 5 });
      await follow("u2", VV);
      expect(((await get("/cgi-bin/user/get")).data as { openid: string[] }).openid.at(-1)).toBe(openids.u2);
    });

    it("blacklist: batchblacklist, getblacklist with begin_openid, batchunblacklist, isBlacklisted", async () => {
      expect(await post("/cgi-bin/tags/members/getblacklist", {})).toEqual({
        total: 0,
        count: 0,
        next_openid: "",
      });
      const two = [openids.u1!, openids.u3!];
      expect(await post("/cgi-bin/tags/members/batchblacklist", { openid_list: two })).toEqual({
        errcode: 0,
        errmsg: "ok",
      });
      const sorted = [...two].sort();
      const page = await post("/cgi-bin/tags/members/getblacklist", { begin_openid: "" });
      expect(page).toEqual({ total: 2, count: 2, data: { openid: sorted }, next_openid: sorted[1] });
      expect(await post("/cgi-bin/tags/members/getblacklist", { begin_openid: sorted[0] })).toEqual({
        total: 2,
        count: 1,
        data: { openid: [sorted[1]] },
        next_openid: sorted[1],
      });
      expect(await post("/cgi-bin/tags/members/getblacklist", { begin_openid: sorted[1] })).toEqual({
        total: 2,
        count: 0,
        next_openid: "",
      });
      expect(await isBlacklisted(r.platform.db, VV, openids.u1!)).toBe(true);
      expect(await isBlacklisted(r.platform.db, VV, openids.u2!)).toBe(false);
      expect(await isBlacklisted(r.platform.db, VS, openids.u1!)).toBe(false);
      // Blacklisted users stay followers (users.md §8, emulator choice).
      expect(((await get("/cgi-bin/user/get")).data as { openid: string[] }).openid).toContain(openids.u1);
      expect(
        (await post("/cgi-bin/tags/members/batchblacklist", { openid_list: [openids.u1] })).errcode,
      ).toBe(0);
      expect((await post("/cgi-bin/tags/members/batchunblacklist", { openid_list: two })).errcode).toBe(0);
      expect((await post("/cgi-bin/tags/members/getblacklist", {})).total).toBe(0);
      expect(await isBlacklisted(r.platform.db, VV, openids.u1!)).toBe(false);
    });

    it("policies: blacklistPageSize pages getblacklist, remarkMaxBytes bounds remarks", async () => {
      const created = await r.post("/_mpstack/accounts", {
        name: "Policies",
        type: "service",
        verified: true,
        policies: { blacklistPageSize: 2, remarkMaxBytes: 90 },
      });
      const acct = { appid: String(created.body.appid), secret: String(created.body.secret) };
      tokens[acct.appid] = await tokenFor(r, acct.appid, acct.secret);
      const mine = [];
      for (const u of ["u1", "u2", "u3"]) mine.push(await follow(u, acct.appid));
      expect(
        (await post("/cgi-bin/tags/members/batchblacklist", { openid_list: mine }, acct.appid)).errcode,
      ).toBe(0);
      const sorted = [...mine].sort();
      expect(await post("/cgi-bin/tags/members/getblacklist", {}, acct.appid)).toEqual({
        total: 3,
        count: 2,
        data: { openid: sorted.slice(0, 2) },
        next_openid: sorted[1],
      });
      // 30 Chinese characters (90 bytes): over the default 29 bytes, within this account's 90.
      const thirty = "备".repeat(30);
      expect(
        await post("/cgi-bin/user/info/updateremark", { openid: mine[0], remark: thirty }, acct.appid),
      ).toEqual({ errcode: 0, errmsg: "ok" });
      expectError(
        await post("/cgi-bin/user/info/updateremark", { openid: mine[0], remark: `${thirty}x` }, acct.appid),
        40092,
      );
      expectError(
        await post("/cgi-bin/user/info/updateremark", { openid: openids.u1, remark: thirty }),
        40092,
      );
      // A bad value is refused with the field named.
      const bad = await r.post("/_mpstack/accounts", { type: "service", policies: { blacklistPageSize: 0 } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/blacklistPageSize/);
    });

    it("blacklist errors: 40032 for 0 or 21 OpenIDs, 40003 unknown, 49003 another account's", async () => {
      for (const path of ["/cgi-bin/tags/members/batchblacklist", "/cgi-bin/tags/members/batchunblacklist"]) {
        expectError(await post(path, { openid_list: [] }), 40032);
        expectError(await post(path, { openid_list: Array.from({ length: 21 }, () => openids.u1) }), 40032);
        expectError(await post(path, { openid_list: [openids.u1, "oNobody"] }), 40003);
        expectError(await post(path, { openid_list: [openids.u1, openids.u1VS] }), 49003);
      }
      // All or nothing: nobody was blacklisted by the failed calls.
      expect((await post("/cgi-bin/tags/members/getblacklist", {})).total).toBe(0);
      const twenty = Array.from({ length: 20 }, () => openids.u1);
      expect((await post("/cgi-bin/tags/members/batchblacklist", { openid_list: twenty })).errcode).toBe(0);
      expect((await post("/cgi-bin/tags/members/batchunblacklist", { openid_list: twenty })).errcode).toBe(0);
      expectError(await post("/cgi-bin/tags/members/getblacklist", { begin_openid: "oNobody" }), 40003);
      expectError(await post("/cgi-bin/tags/members/getblacklist", { begin_openid: openids.u1VS }), 49003);
      expectError((await r.get(`/cgi-bin/tags/members/getblacklist?access_token=${tokens[VV]}`)).body, 43002);
    });

    it("48001 on unverified accounts (US, UV) for every user.info/list/remark/blacklist endpoint", async () => {
      const calls: [string, "GET" | "POST", Body | undefined][] = [
        [`/cgi-bin/user/info?openid=${openids.u1}`, "GET", undefined],
        ["/cgi-bin/user/info/batchget", "POST", { user_list: [{ openid: openids.u1 }] }],
        ["/cgi-bin/user/get", "GET", undefined],
        ["/cgi-bin/user/info/updateremark", "POST", { openid: openids.u1, remark: "x" }],
        ["/cgi-bin/tags/members/getblacklist", "POST", {}],
        ["/cgi-bin/tags/members/batchblacklist", "POST", { openid_list: [openids.u1] }],
        ["/cgi-bin/tags/members/batchunblacklist", "POST", { openid_list: [openids.u1] }],
      ];
      for (const appid of [US, UV]) {
        for (const [path, method, body] of calls) {
          const res = method === "GET" ? await get(path, appid) : await post(path, body, appid);
          expect(res.errcode, `${path} on ${appid}`).toBe(48001);
          expect(String(res.errmsg)).toMatch(/^api unauthorized rid: /);
        }
      }
      // Verified subscription accounts have these rows (seed table).
      expect((await get("/cgi-bin/user/get", VS)).errcode).toBeUndefined();
    });
  });

  describe.skipIf(backend.pg && !PG_URL)(`paging more than 10 000 followers on ${backend.name}`, () => {
    let r: Running;
    let token: string;
    let seeded: string[];
    let appid: string;
    const COUNT = 23_000;

    beforeAll(async () => {
      r = await start({ pg: backend.pg, seedDemo: false });
      const created = await r.post("/_mpstack/accounts", { type: "subscription", verified: true });
      appid = String(created.body.appid);
      token = await tokenFor(r, appid, String(created.body.secret));
      const account = await getAccount(r.platform.db, appid);
      seeded = await seedFollowers(r.platform, account!, { count: COUNT });
    }, 60_000);
    afterAll(() => r?.close());

    it("walks 23 000 followers in pages of 10 000, 10 000, 3 000, then the empty page", async () => {
      const pages: Body[] = [];
      let next = "";
      for (;;) {
        const page = (await r.get(`/cgi-bin/user/get?access_token=${token}&next_openid=${next}`)).body;
        pages.push(page);
        if (page.count === 0) break;
        next = String(page.next_openid);
      }
      expect(pages.map((p) => p.count)).toEqual([10_000, 10_000, 3_000, 0]);
      expect(pages.every((p) => p.total === COUNT)).toBe(true);
      const all = pages.flatMap((p) => (p.data as { openid: string[] } | undefined)?.openid ?? []);
      // Every follower once, in follow order (the seed follows one millisecond apart).
      expect(all).toEqual(seeded);
      expect(pages[3]).toEqual({ total: COUNT, count: 0, next_openid: "" });
      expect(pages[0]?.next_openid).toBe(seeded[9_999]);
    });

    it("getblacklist pages 10 000 at a time with begin_openid", async () => {
      // Blacklist 10 005 of them directly (20 per API call would take 500 calls).
      await r.platform.db
        .withTables<{ follows: { blacklisted: number; appid: string; openid: string } }>()
        .updateTable("follows")
        .set({ blacklisted: 1 })
        .where("appid", "=", appid)
        .where("openid", "in", seeded.slice(0, 10_005))
        .execute();
      const first = (await r.post(`/cgi-bin/tags/members/getblacklist?access_token=${token}`, {})).body;
      expect(first.total).toBe(10_005);
      expect(first.count).toBe(10_000);
      const second = (
        await r.post(`/cgi-bin/tags/members/getblacklist?access_token=${token}`, {
          begin_openid: first.next_openid,
        })
      ).body;
      expect(second.count).toBe(5);
      const both = [
        ...(first.data as { openid: string[] }).openid,
        ...(second.data as { openid: string[] }).openid,
      ];
      expect(both).toEqual([...seeded.slice(0, 10_005)].sort());
    });
  });
}
