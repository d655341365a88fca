import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, type Running, start } from "./helpers.js";

const [A1, A2, A3, A4] = [
  "wxd000000000000001",
  "wxd000000000000002",
  "wxd000000000000003",
  "wxd000000000000004",
];
const OPENID = /^o[A-Za-z0-9_-]{27}$/;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`users and follows on ${backend.name}`, () => {
    let r: Running;
    beforeAll(async () => {
      r = await start({ pg: backend.pg });
    });
    afterAll(() => r?.close());

    const follow = (user: string, appid: string, extra: Record<string, unknown> = {}) =>
      r.post(`/_mpstack/users/${user}/follow`, { appid, ...extra });
    const unfollow = (user: string, appid: string) => r.post(`/_mpstack/users/${user}/unfollow`, { appid });

    it("creates users and lists them", async () => {
      const created = await r.post("/_mpstack/users", { id: "zoe", nickname: "Zoe" });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ id: "zoe", nickname: "Zoe", language: "zh_CN" });
      expect((await r.post("/_mpstack/users", { id: "zoe" })).status).toBe(409);
      expect((await r.post("/_mpstack/users", { id: "bad id!" })).body).toEqual({
        error: { code: "invalid_request", message: "user.id: must be 1 to 64 letters, digits or _ . @ -" },
      });
      const gen = await r.post("/_mpstack/users", {});
      expect(String(gen.body.id)).toMatch(/^u_[0-9a-f]{10}$/);
      const list = (await r.get("/_mpstack/users")).body.users as { id: string }[];
      expect(list.map((u) => u.id)).toEqual(expect.arrayContaining(["alice", "bob", "zoe"]));
    });

    it("follow answers an OpenID shaped like WeChat's, kept across unfollow and re-follow", async () => {
      const f = await follow("zoe", A4, { scene: "ADD_SCENE_QR_CODE", qrScene: 42 });
      expect(f.body).toMatchObject({ subscribed: true, changed: true, refollow: false });
      const openid = String(f.body.openid);
      expect(openid).toMatch(OPENID);
      const again = await follow("zoe", A4);
      expect(again.body).toMatchObject({ openid, changed: false });
      const u = await unfollow("zoe", A4);
      expect(u.body).toEqual({ openid, subscribed: false, changed: true });
      expect((await unfollow("zoe", A4)).body.changed).toBe(false);
      await r.post("/_mpstack/clock", { advanceSeconds: 60 });
      const re = await follow("zoe", A4, { scene: "ADD_SCENE_SEARCH" });
      expect(re.body).toMatchObject({ openid, changed: true, refollow: true });
      expect(Number(re.body.subscribeTime)).toBeGreaterThanOrEqual(Number(f.body.subscribeTime) + 60);
      const view = (await r.get("/_mpstack/users/zoe")).body.follows as Record<string, unknown>[];
      expect(view).toEqual([
        expect.objectContaining({
          appid: A4,
          openid,
          subscribed: true,
          subscribeScene: "ADD_SCENE_SEARCH",
          qrScene: 0,
        }),
      ]);
      await r.post("/_mpstack/clock", { resetToRealTime: true });
    });

    it("gives distinct OpenIDs per account and one UnionID within an open platform", async () => {
      const ids = [];
      for (const appid of [A1, A2, A3, A4]) ids.push((await follow("zoe", appid)).body);
      const openids = new Set(ids.map((b) => b.openid));
      expect(openids.size).toBe(4);
      const unionids = new Set(ids.map((b) => b.unionid));
      expect(unionids.size).toBe(1);
      expect([...unionids][0]).toMatch(OPENID);
      // Another person has another UnionID.
      expect((await follow("bob", A1)).body.unionid).not.toBe([...unionids][0]);
      // OpenIDs of one account share their first characters; other accounts differ.
      const alice4 = String((await follow("alice", A4)).body.openid);
      const zoe4 = String(ids[3]!.openid);
      expect(alice4.slice(0, 6)).toBe(zoe4.slice(0, 6));
      expect(String(ids[0]!.openid).slice(0, 6)).not.toBe(zoe4.slice(0, 6));
    });

    it("has no UnionID for an account outside any open platform; binding one brings it", async () => {
      const acct = await r.post("/_mpstack/accounts", { type: "service", verified: true });
      const appid = String(acct.body.appid);
      const f = await follow("zoe", appid);
      expect(f.body.unionid).toBeNull();
      const zoeUnion = (await follow("zoe", A1)).body.unionid;
      await r.raw(`/_mpstack/accounts/${appid}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ openPlatform: "demo-open" }),
      });
      const after = await follow("zoe", appid);
      expect(after.body.unionid).toBe(zoeUnion);
      expect(after.body.openid).toBe(f.body.openid);
    });

    it("lists an account's followers in OpenID order", async () => {
      const res = (await r.get(`/_mpstack/accounts/${A4}/followers`)).body.followers as {
        openid: string;
        subscribed: boolean;
      }[];
      expect(res.length).toBeGreaterThanOrEqual(6);
      expect(res.every((f) => f.subscribed)).toBe(true);
      expect([...res.map((f) => f.openid)].sort()).toEqual(res.map((f) => f.openid));
    });

    it("answers 404/400 for unknown users, accounts and scenes", async () => {
      expect((await follow("nobody", A1)).status).toBe(404);
      expect((await follow("zoe", "wx0000000000000000")).status).toBe(404);
      expect((await follow("zoe", A1, { scene: "SOMEWHERE" })).status).toBe(400);
      expect((await r.post("/_mpstack/users/zoe/follow", {})).status).toBe(400);
      expect((await r.get("/_mpstack/users/nobody/conversations/" + A1)).status).toBe(404);
    });

    it("reads the user's conversation with one account only", async () => {
      const c = await r.get(`/_mpstack/users/zoe/conversations/${A4}`);
      expect(c.body).toMatchObject({ user: "zoe", appid: A4, subscribed: true });
      // Other modules (push) may have written events of the follows above; all are zoe × A4.
      const messages = c.body.messages as { appid: string; userId: string }[];
      expect(messages.every((m) => m.appid === A4 && m.userId === "zoe")).toBe(true);
    });
  });
}
