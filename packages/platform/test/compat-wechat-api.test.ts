/**
 * Compatibility with a real third-party client: the npm package `wechat-api` (CommonJS, urllib),
 * pointed at the platform by its `endpoint` property. It fetches its own token, then calls
 * getcallbackip, the follower list (with paging), user info, remarks, tags and the legacy groups,
 * and surfaces 48001 as its own error on an account type without the permission.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start } from "./helpers.js";

type Callback = (err: WechatApiError | null, data: Record<string, unknown>) => void;
interface WechatApiError extends Error {
  code?: number;
}
interface WechatApiClient {
  endpoint: string;
  getIp(cb: Callback): void;
  getFollowers(cb: Callback): void;
  getFollowers(nextOpenid: string, cb: Callback): void;
  getUser(openid: string | { openid: string; lang: string }, cb: Callback): void;
  batchGetUsers(openids: string[], cb: Callback): void;
  updateRemark(openid: string, remark: string, cb: Callback): void;
  createTag(name: string, cb: Callback): void;
  getTags(cb: Callback): void;
  editTag(id: number, name: string, cb: Callback): void;
  deleteTag(id: number, cb: Callback): void;
  getTagUsers(tagId: number, openid: string, cb: Callback): void;
  membersBatchtagging(tagId: number, openids: string[], cb: Callback): void;
  membersBatchuntagging(tagId: number, openids: string[], cb: Callback): void;
  getUserTags(openid: string, cb: Callback): void;
  getGroups(cb: Callback): void;
  createGroup(name: string, cb: Callback): void;
  moveUserToGroup(openid: string, groupId: number, cb: Callback): void;
  getWhichGroup(openid: string, cb: Callback): void;
}
type WechatApiCtor = new (appid: string, secret: string) => WechatApiClient;

const WechatAPI = createRequire(import.meta.url)("wechat-api") as WechatApiCtor;
const app = (n: number) => `wxd00000000000000${n}`;
const secret = (n: number) => `d${String(n).padStart(31, "0")}`;

/** Call a callback-style wechat-api method; resolves with the data or rejects with its error. */
function call(fn: (cb: Callback) => void): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));
}

describe("wechat-api (npm) against the platform", () => {
  let r: Running;
  let api: WechatApiClient;
  const openids: string[] = [];

  beforeAll(async () => {
    r = await start();
    api = new WechatAPI(app(4), secret(4));
    api.endpoint = r.url;
    for (const user of ["alice", "bob", "carol"]) {
      openids.push(String((await r.post(`/_mpstack/users/${user}/follow`, { appid: app(4) })).body.openid));
    }
  });
  afterAll(() => r?.close());

  it("gets a token by itself and reads getcallbackip", async () => {
    const ips = await call((cb) => api.getIp(cb));
    expect(ips.ip_list).toEqual(["127.0.0.1"]);
    // The token it fetched and kept is one the platform issued.
    const kept = (api as unknown as { store?: { accessToken?: string } }).store?.accessToken;
    expect(typeof kept).toBe("string");
    expect((await r.get(`/cgi-bin/getcallbackip?access_token=${kept}`)).body).toEqual({
      ip_list: ["127.0.0.1"],
    });
  });

  it("reads the follower list and pages to its empty end", async () => {
    const first = await call((cb) => api.getFollowers(cb));
    const list = (first.data as { openid: string[] }).openid;
    expect(first.total).toBe(list.length);
    expect(list).toEqual(expect.arrayContaining(openids));
    const end = await call((cb) => api.getFollowers(String(first.next_openid), cb));
    expect(end).toEqual({ total: first.total, count: 0, next_openid: "" });
  });

  it("reads user info (single, with lang, batch) and sets a remark", async () => {
    const one = await call((cb) => api.getUser(openids[0]!, cb));
    expect(one).toMatchObject({ subscribe: 1, openid: openids[0], remark: "", groupid: 0, tagid_list: [] });
    expect(one).not.toHaveProperty("nickname");
    await call((cb) => api.updateRemark(openids[0]!, "VIP", cb));
    const withLang = await call((cb) => api.getUser({ openid: openids[0]!, lang: "zh_CN" }, cb));
    expect(withLang.remark).toBe("VIP");
    const batch = await call((cb) => api.batchGetUsers(openids, cb));
    expect((batch.user_info_list as { openid: string }[]).map((u) => u.openid)).toEqual(openids);
  });

  it("manages tags: create, list, rename, tag users, users of a tag, tags of a user, untag, delete", async () => {
    const created = await call((cb) => api.createTag("compat", cb));
    const tag = created.tag as { id: number; name: string };
    expect(tag.name).toBe("compat");
    await call((cb) => api.editTag(tag.id, "compat 2", cb));
    await call((cb) => api.membersBatchtagging(tag.id, openids.slice(0, 2), cb));
    const tags = (await call((cb) => api.getTags(cb))).tags as { id: number; name: string; count: number }[];
    expect(tags).toContainEqual({ id: tag.id, name: "compat 2", count: 2 });
    expect((await call((cb) => api.getUserTags(openids[0]!, cb))).tagid_list).toEqual([tag.id]);
    const users = await call((cb) => api.getTagUsers(tag.id, "", cb));
    expect((users.data as { openid: string[] }).openid).toEqual(openids.slice(0, 2).sort());
    await call((cb) => api.membersBatchuntagging(tag.id, [openids[0]!], cb));
    expect((await call((cb) => api.getUserTags(openids[0]!, cb))).tagid_list).toEqual([]);
    await call((cb) => api.deleteTag(tag.id, cb));
    const after = (await call((cb) => api.getTags(cb))).tags as { id: number }[];
    expect(after.map((t) => t.id)).not.toContain(tag.id);
  });

  it("uses the legacy groups API", async () => {
    const group = (await call((cb) => api.createGroup("Beta", cb))).group as { id: number };
    await call((cb) => api.moveUserToGroup(openids[1]!, group.id, cb));
    expect((await call((cb) => api.getWhichGroup(openids[1]!, cb))).groupid).toBe(group.id);
    const groups = (await call((cb) => api.getGroups(cb))).groups as { id: number; count: number }[];
    expect(groups.find((g) => g.id === group.id)?.count).toBe(1);
  });

  it("reports WeChat's errors as its own: 40003 for an unknown OpenID", async () => {
    const err = await call((cb) => api.getUser("oNotAFollowerOfThisAccount00", cb)).catch(
      (e: WechatApiError) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as WechatApiError).code).toBe(40003);
    expect((err as WechatApiError).name).toBe("WeChatAPIError");
  });

  it("sees 48001 on an unverified subscription account (no user-management rows)", async () => {
    const us = new WechatAPI(app(1), secret(1));
    us.endpoint = r.url;
    // getcallbackip needs no row: the token works.
    expect((await call((cb) => us.getIp(cb))).ip_list).toBeDefined();
    for (const attempt of [(cb: Callback) => us.getFollowers(cb), (cb: Callback) => us.getTags(cb)]) {
      const err = (await call(attempt).catch((e: WechatApiError) => e)) as WechatApiError;
      expect(err.code).toBe(48001);
      expect(err.message).toMatch(/^api unauthorized rid: /);
    }
  });
});
