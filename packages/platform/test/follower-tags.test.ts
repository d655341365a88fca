/**
 * User tags and the legacy groups API over real HTTP (users.md §3, §4), on SQLite and PostgreSQL:
 * create/list/rename/delete with every limit and code (bytes, duplicates, reserved ids, 100 tags,
 * ids never reused), batch tagging and untagging (50 per call, 20 per user, all or nothing, 40003 /
 * 49003), tags of a user in tagging order, users of a tag with paging, counts of followers only,
 * the 100 000-fan delete rule, groups, and the permission rows (48001 on US/UV).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccount } from "../src/modules/accounts/store.js";
import { tagExists, tagsOfUser } from "../src/modules/follower-tags/index.js";
import { seedFollowers } from "../src/modules/simulated-users/index.js";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const app = (n: number) => `wxd00000000000000${n}`;
const secret = (n: number) => `d${String(n).padStart(31, "0")}`;
const [US, VS, UV, VV] = [1, 2, 3, 4].map(app) as [string, string, string, string];

type Body = Record<string, unknown>;
interface Tag {
  id: number;
  name: string;
  count: number;
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`user tags and groups on ${backend.name}`, () => {
    let r: Running;
    const tokens: Record<string, string> = {};
    const o: Record<string, string> = {};

    const get = async (path: string, appid = VV) =>
      (await r.get(`${path}?access_token=${tokens[appid]}`)).body;
    const post = async (path: string, body: unknown, appid = VV) =>
      (await r.post(`${path}?access_token=${tokens[appid]}`, body)).body;
    const expectError = (body: Body, code: number) => {
      expect(body.errcode).toBe(code);
      expect(String(body.errmsg)).toMatch(RID_SUFFIX);
    };
    const OK = { errcode: 0, errmsg: "ok" };
    const create = async (name: string, appid = VV) => post("/cgi-bin/tags/create", { tag: { name } }, appid);
    const tags = async (appid = VV) => (await get("/cgi-bin/tags/get", appid)).tags as Tag[];
    const tag = (tagid: number, openid_list: string[]) =>
      post("/cgi-bin/tags/members/batchtagging", { tagid, openid_list });
    const untag = (tagid: number, openid_list: string[]) =>
      post("/cgi-bin/tags/members/batchuntagging", { tagid, openid_list });
    const tagsOf = async (openid: string) =>
      (await post("/cgi-bin/tags/getidlist", { openid })).tagid_list as number[];
    const follow = async (user: string, appid: string) =>
      String((await r.post(`/_mpstack/users/${user}/follow`, { appid })).body.openid);

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      for (const n of [1, 2, 3, 4]) tokens[app(n)] = await tokenFor(r, app(n), secret(n));
      for (const id of ["t1", "t2", "t3", "t4"]) {
        await r.post("/_mpstack/users", { id });
        o[id] = await follow(id, VV);
      }
      o.t1VS = await follow("t1", VS);
    });
    afterAll(() => r?.close());

    it("creates tags from id 100; tags/get lists 星标组 (2) first, never 0 or 1", async () => {
      const created = await create("Shanghai members");
      expect(created).toEqual({ tag: { id: 100, name: "Shanghai members" } });
      expect(await create("上海会员")).toEqual({ tag: { id: 101, name: "上海会员" } });
      expect(await tags()).toEqual([
        { id: 2, name: "星标组", count: 0 },
        { id: 100, name: "Shanghai members", count: 0 },
        { id: 101, name: "上海会员", count: 0 },
      ]);
      // Tags are per account.
      expect(await tags(VS)).toEqual([{ id: 2, name: "星标组", count: 0 }]);
      expect(await create("Shanghai members", VS)).toEqual({ tag: { id: 100, name: "Shanghai members" } });
    });

    it("create errors: 45158 over 30 bytes, 45157 duplicate/empty/system name, 47001 no name", async () => {
      expect((await create("x".repeat(30))).tag).toMatchObject({ name: "x".repeat(30) });
      expectError(await create("x".repeat(31)), 45158);
      expect((await create("标".repeat(10))).tag).toMatchObject({ name: "标".repeat(10) });
      expectError(await create("标".repeat(11)), 45158);
      expectError(await create("Shanghai members"), 45157);
      expectError(await create(""), 45157);
      expectError(await create("  "), 45157);
      expectError(await create("星标组"), 45157);
      expectError(await post("/cgi-bin/tags/create", { tag: {} }), 47001);
      expectError(await post("/cgi-bin/tags/create", { tag: { name: 5 } }), 47001);
      expectError(await post("/cgi-bin/tags/create", "{bad json"), 47001);
      expectError((await r.get(`/cgi-bin/tags/create?access_token=${tokens[VV]}`)).body, 43002);
    });

    it("updates a tag's name; 45058 for 0/1/2, 45159 unknown, 45157 taken, 45158 long", async () => {
      expect(await post("/cgi-bin/tags/update", { tag: { id: 101, name: "上海 VIP" } })).toEqual(OK);
      expect((await tags()).find((t) => t.id === 101)?.name).toBe("上海 VIP");
      // Its own name again is fine.
      expect(await post("/cgi-bin/tags/update", { tag: { id: 101, name: "上海 VIP" } })).toEqual(OK);
      for (const id of [0, 1, 2])
        expectError(await post("/cgi-bin/tags/update", { tag: { id, name: "n" } }), 45058);
      expectError(await post("/cgi-bin/tags/update", { tag: { id: 999, name: "n" } }), 45159);
      expectError(await post("/cgi-bin/tags/update", { tag: { id: 101, name: "Shanghai members" } }), 45157);
      expectError(await post("/cgi-bin/tags/update", { tag: { id: 101, name: "y".repeat(31) } }), 45158);
      expectError(await post("/cgi-bin/tags/update", { tag: { id: "101", name: "z" } }), 47001);
    });

    it("batchtagging: tag counts count followers; idempotent; tags of a user in tagging order", async () => {
      expect(await tag(100, [o.t1!, o.t2!])).toEqual(OK);
      expect(await tag(2, [o.t1!])).toEqual(OK);
      expect(await tag(101, [o.t1!, o.t3!])).toEqual(OK);
      expect(await tag(100, [o.t1!])).toEqual(OK);
      expect(await tagsOf(o.t1!)).toEqual([100, 2, 101]);
      expect(await tagsOf(o.t4!)).toEqual([]);
      const counts = Object.fromEntries((await tags()).map((t) => [t.id, t.count]));
      expect(counts).toMatchObject({ 2: 1, 100: 2, 101: 2 });
      // user/info carries the same list.
      const info = await r.get(`/cgi-bin/user/info?access_token=${tokens[VV]}&openid=${o.t1}`);
      expect(info.body.tagid_list).toEqual([100, 2, 101]);
      // The menu module sees the same tags (personalised menus match the last one added).
      expect(await tagsOfUser(r.platform.db, VV, "t1")).toEqual([100, 2, 101]);
      expect(await tagExists(r.platform.db, VV, 101)).toBe(true);
      expect(await tagExists(r.platform.db, VV, 555)).toBe(false);
      // Unfollowing keeps the tags but leaves the counts; re-following brings the user back.
      await r.post("/_mpstack/users/t2/unfollow", { appid: VV });
      expect((await tags()).find((t) => t.id === 100)?.count).toBe(1);
      expect(await tagsOf(o.t2!)).toEqual([100]);
      await follow("t2", VV);
      expect((await tags()).find((t) => t.id === 100)?.count).toBe(2);
    });

    it("batchtagging errors: 40032 size, 45159 tag, 40003 unknown, 49003 foreign, all or nothing", async () => {
      for (const path of ["/cgi-bin/tags/members/batchtagging", "/cgi-bin/tags/members/batchuntagging"]) {
        expectError(await post(path, { tagid: 100, openid_list: [] }), 40032);
        expectError(
          await post(path, { tagid: 100, openid_list: Array.from({ length: 51 }, () => o.t4) }),
          40032,
        );
        for (const tagid of [0, 1, 999]) expectError(await post(path, { tagid, openid_list: [o.t4] }), 45159);
        expectError(await post(path, { tagid: 100, openid_list: [o.t4, "oNobody"] }), 40003);
        expectError(await post(path, { tagid: 100, openid_list: [o.t4, o.t1VS] }), 49003);
        expectError(await post(path, { tagid: 100 }), 47001);
      }
      expect(await tagsOf(o.t4!)).toEqual([]);
      expect(
        await tag(
          100,
          Array.from({ length: 50 }, () => o.t4!),
        ),
      ).toEqual(OK);
      expect(await tagsOf(o.t4!)).toEqual([100]);
    });

    it("45059 when a user would carry more than 20 tags", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 19; i++) ids.push(Number(((await create(`bulk ${i}`)).tag as Tag).id));
      for (const id of ids) expect(await tag(id, [o.t4!])).toEqual(OK);
      expect((await tagsOf(o.t4!)).length).toBe(20);
      const extra = Number(((await create("one too many")).tag as Tag).id);
      // t3 has room, t4 has not: the whole call fails and t3 stays untagged.
      expectError(await tag(extra, [o.t3!, o.t4!]), 45059);
      expect(await tagsOf(o.t3!)).not.toContain(extra);
      // Tagging again with a tag the user already carries is no new tag.
      expect(await tag(ids[0]!, [o.t4!])).toEqual(OK);
      expect(await untag(ids[0]!, [o.t4!])).toEqual(OK);
      expect(await tag(extra, [o.t4!])).toEqual(OK);
      expect((await tagsOf(o.t4!)).at(-1)).toBe(extra);
    });

    it("batchuntagging takes tags off; untagging a user without the tag is fine", async () => {
      expect(await untag(101, [o.t1!, o.t2!])).toEqual(OK);
      expect(await tagsOf(o.t1!)).toEqual([100, 2]);
      expect((await tags()).find((t) => t.id === 101)?.count).toBe(1);
    });

    it("getidlist errors: 40003 unknown, 49003 another account's, 41009 missing", async () => {
      expectError(await post("/cgi-bin/tags/getidlist", { openid: "oNobody" }), 40003);
      expectError(await post("/cgi-bin/tags/getidlist", { openid: o.t1VS }), 49003);
      expectError(await post("/cgi-bin/tags/getidlist", {}), 41009);
    });

    it("user/tag/get lists a tag's followers by OpenID; past the end no data", async () => {
      const page = await post("/cgi-bin/user/tag/get", { tagid: 100, next_openid: "" });
      const expected = [o.t1!, o.t2!, o.t4!].sort();
      expect(page).toEqual({ count: 3, data: { openid: expected }, next_openid: expected[2] });
      expect(await post("/cgi-bin/user/tag/get", { tagid: 100, next_openid: expected[0] })).toEqual({
        count: 2,
        data: { openid: expected.slice(1) },
        next_openid: expected[2],
      });
      expect(await post("/cgi-bin/user/tag/get", { tagid: 100, next_openid: expected[2] })).toEqual({
        count: 0,
        next_openid: "",
      });
      expect((await post("/cgi-bin/user/tag/get", { tagid: 2 })).data).toEqual({ openid: [o.t1] });
      // Former followers are not listed.
      await r.post("/_mpstack/users/t2/unfollow", { appid: VV });
      expect(
        ((await post("/cgi-bin/user/tag/get", { tagid: 100 })).data as { openid: string[] }).openid,
      ).toEqual([o.t1!, o.t4!].sort());
      await follow("t2", VV);
      for (const tagid of [0, 1, 999]) expectError(await post("/cgi-bin/user/tag/get", { tagid }), 45159);
      expectError(await post("/cgi-bin/user/tag/get", { tagid: 100, next_openid: "oNobody" }), 40003);
      expectError(await post("/cgi-bin/user/tag/get", { tagid: 100, next_openid: o.t1VS }), 40003);
    });

    it("deletes a tag: it leaves tags/get and every user; 45058, 45159, 44002; ids are never reused", async () => {
      expect(await post("/cgi-bin/tags/delete", { tag: { id: 100 } })).toEqual(OK);
      expect((await tags()).map((t) => t.id)).not.toContain(100);
      expect(await tagsOf(o.t1!)).toEqual([2]);
      expect(await tagsOf(o.t4!)).not.toContain(100);
      expectError(await post("/cgi-bin/user/tag/get", { tagid: 100 }), 45159);
      for (const id of [0, 1, 2]) expectError(await post("/cgi-bin/tags/delete", { tag: { id } }), 45058);
      expectError(await post("/cgi-bin/tags/delete", { tag: { id: 100 } }), 45159);
      expectError(await post("/cgi-bin/tags/delete", { tag: {} }), 44002);
      expectError(await post("/cgi-bin/tags/delete", {}), 44002);
      const ids = (await tags()).map((t) => t.id);
      const fresh = Number(((await create("fresh")).tag as Tag).id);
      expect(fresh).toBeGreaterThan(Math.max(...ids, 100));
    });

    it("45056 at the 101st custom tag; deleting one makes room", async () => {
      const have = (await tags()).filter((t) => t.id >= 100).length;
      for (let i = have; i < 100; i++) expect((await create(`fill ${i}`)).tag).toBeDefined();
      expect((await tags()).length).toBe(101);
      expectError(await create("the 101st"), 45056);
      const last = (await tags()).at(-1)!;
      expect(await post("/cgi-bin/tags/delete", { tag: { id: last.id } })).toEqual(OK);
      expect(Number(((await create("the 101st")).tag as Tag).id)).toBeGreaterThan(last.id);
    });

    it("legacy groups: reserved 0/1/2, create from 100, move users, counts, rename, delete", async () => {
      const groups = async () => (await get("/cgi-bin/groups/get")).groups as Tag[];
      const initial = await groups();
      expect(initial.map((g) => [g.id, g.name])).toEqual([
        [0, "未分组"],
        [1, "黑名单"],
        [2, "星标组"],
      ]);
      const followers = Number((await get("/cgi-bin/user/get")).total);
      expect(initial[0]!.count).toBe(followers);
      const beta = await post("/cgi-bin/groups/create", { group: { name: "Beta testers" } });
      expect(beta).toEqual({ group: { id: 100, name: "Beta testers" } });
      expect(await post("/cgi-bin/groups/members/update", { openid: o.t1, to_groupid: 100 })).toEqual(OK);
      expect(
        await post("/cgi-bin/groups/members/batchupdate", { openid_list: [o.t2, o.t3], to_groupid: 2 }),
      ).toEqual(OK);
      expect(await post("/cgi-bin/groups/getid", { openid: o.t1 })).toEqual({ groupid: 100 });
      const info = await r.get(`/cgi-bin/user/info?access_token=${tokens[VV]}&openid=${o.t1}`);
      expect(info.body.groupid).toBe(100);
      expect((await groups()).map((g) => [g.id, g.count])).toEqual([
        [0, followers - 3],
        [1, 0],
        [2, 2],
        [100, 1],
      ]);
      expect(await post("/cgi-bin/groups/update", { group: { id: 100, name: "Beta" } })).toEqual(OK);
      expect((await groups()).at(-1)?.name).toBe("Beta");
      expect(await post("/cgi-bin/groups/delete", { group: { id: 100 } })).toEqual(OK);
      expect(await post("/cgi-bin/groups/getid", { openid: o.t1 })).toEqual({ groupid: 0 });
      expect((await post("/cgi-bin/groups/create", { group: { name: "Next" } })).group).toEqual({
        id: 101,
        name: "Next",
      });
    });

    it("legacy group errors: 45016 system, 40050 unknown, 45017 long, 40051 name, 40032 list, 40003", async () => {
      expectError(await post("/cgi-bin/groups/update", { group: { id: 1, name: "x" } }), 45016);
      expectError(await post("/cgi-bin/groups/delete", { group: { id: 0 } }), 45016);
      expectError(await post("/cgi-bin/groups/update", { group: { id: 555, name: "x" } }), 40050);
      expectError(await post("/cgi-bin/groups/delete", { group: { id: 555 } }), 40050);
      expectError(await post("/cgi-bin/groups/members/update", { openid: o.t1, to_groupid: 555 }), 40050);
      expect(
        (await post("/cgi-bin/groups/create", { group: { name: "组".repeat(30) } })).group,
      ).toBeDefined();
      expectError(await post("/cgi-bin/groups/create", { group: { name: "组".repeat(31) } }), 45017);
      expectError(await post("/cgi-bin/groups/create", { group: { name: "Next" } }), 40051);
      expectError(await post("/cgi-bin/groups/create", { group: { name: "" } }), 40051);
      expectError(await post("/cgi-bin/groups/create", { group: { name: "黑名单" } }), 40051);
      expectError(
        await post("/cgi-bin/groups/members/batchupdate", { openid_list: [], to_groupid: 2 }),
        40032,
      );
      const many = Array.from({ length: 51 }, () => o.t1);
      expectError(
        await post("/cgi-bin/groups/members/batchupdate", { openid_list: many, to_groupid: 2 }),
        40032,
      );
      expectError(await post("/cgi-bin/groups/getid", { openid: "oNobody" }), 40003);
      expectError(await post("/cgi-bin/groups/getid", { openid: o.t1VS }), 40003);
    });

    it("48001 on unverified accounts (US, UV) for every tag and group endpoint", async () => {
      const calls: [string, "GET" | "POST", Body | undefined][] = [
        ["/cgi-bin/tags/create", "POST", { tag: { name: "n" } }],
        ["/cgi-bin/tags/get", "GET", undefined],
        ["/cgi-bin/tags/update", "POST", { tag: { id: 100, name: "n" } }],
        ["/cgi-bin/tags/delete", "POST", { tag: { id: 100 } }],
        ["/cgi-bin/user/tag/get", "POST", { tagid: 2 }],
        ["/cgi-bin/tags/members/batchtagging", "POST", { tagid: 2, openid_list: ["o"] }],
        ["/cgi-bin/tags/members/batchuntagging", "POST", { tagid: 2, openid_list: ["o"] }],
        ["/cgi-bin/tags/getidlist", "POST", { openid: "o" }],
        ["/cgi-bin/groups/create", "POST", { group: { name: "n" } }],
        ["/cgi-bin/groups/get", "GET", undefined],
        ["/cgi-bin/groups/getid", "POST", { openid: "o" }],
        ["/cgi-bin/groups/update", "POST", { group: { id: 100, name: "n" } }],
        ["/cgi-bin/groups/members/update", "POST", { openid: "o", to_groupid: 0 }],
        ["/cgi-bin/groups/members/batchupdate", "POST", { openid_list: ["o"], to_groupid: 0 }],
        ["/cgi-bin/groups/delete", "POST", { group: { id: 100 } }],
      ];
      for (const appid of [US, UV]) {
        for (const [path, method, body] of calls) {
          const res = method === "GET" ? await get(path, appid) : await post(path, body, appid);
          expect(res.errcode, `${path} on ${appid}`).toBe(48001);
        }
      }
      expect((await tags(VS)).length).toBeGreaterThan(0);
    });
  });

  describe.skipIf(backend.pg && !PG_URL)(`a tag with more than 100 000 fans on ${backend.name}`, () => {
    let r: Running;
    let token: string;
    let openids: string[];

    beforeAll(async () => {
      r = await start({ pg: backend.pg, seedDemo: false });
      const created = await r.post("/_mpstack/accounts", { type: "service", verified: true });
      const appid = String(created.body.appid);
      token = await tokenFor(r, appid, String(created.body.secret));
      const account = await getAccount(r.platform.db, appid);
      openids = await seedFollowers(r.platform, account!, { count: 100_001 });
      const tagRes = await r.post(`/cgi-bin/tags/create?access_token=${token}`, {
        tag: { name: "everyone" },
      });
      const tagId = Number((tagRes.body.tag as Tag).id);
      // Members in bulk (the API tags 50 at a time).
      for (let i = 0; i < openids.length; i += 5000) {
        await r.platform.db
          .insertInto("user_tag_members")
          .values(
            openids
              .slice(i, i + 5000)
              .map((openid, k) => ({ appid, tag_id: tagId, openid, seq: i + k + 1, tagged_at: 0 })),
          )
          .execute();
      }
    }, 120_000);
    afterAll(() => r?.close());

    it("refuses the delete with 45057 until untagging brings it to 100 000; pages its users", async () => {
      const [everyone] = ((await r.get(`/cgi-bin/tags/get?access_token=${token}`)).body.tags as Tag[]).filter(
        (t) => t.name === "everyone",
      );
      expect(everyone?.count).toBe(100_001);
      const first = (await r.post(`/cgi-bin/user/tag/get?access_token=${token}`, { tagid: everyone?.id }))
        .body;
      expect(first.count).toBe(10_000);
      expect((first.data as { openid: string[] }).openid).toEqual([...openids].sort().slice(0, 10_000));
      const del = (await r.post(`/cgi-bin/tags/delete?access_token=${token}`, { tag: { id: everyone?.id } }))
        .body;
      expect(del.errcode).toBe(45057);
      expect(String(del.errmsg)).toMatch(/^can't delete the tag that has too many fans rid: /);
      const untag = await r.post(`/cgi-bin/tags/members/batchuntagging?access_token=${token}`, {
        tagid: everyone?.id,
        openid_list: [openids[0]],
      });
      expect(untag.body.errcode).toBe(0);
      const ok = (await r.post(`/cgi-bin/tags/delete?access_token=${token}`, { tag: { id: everyone?.id } }))
        .body;
      expect(ok.errcode).toBe(0);
      expect(((await r.get(`/cgi-bin/tags/get?access_token=${token}`)).body.tags as Tag[]).length).toBe(1);
    });
  });
}
