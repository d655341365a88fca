import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { describe, expect, it } from "vitest";
import { catalog, type Endpoint, endpoints } from "../src/catalog/index.js";
import { PERMISSIONS } from "../src/permissions.js";

const compiled = new Map<TSchema, ReturnType<typeof TypeCompiler.Compile>>();
const check = (schema: TSchema, value: unknown): boolean => {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c.Check(value);
};

const byId = new Map(endpoints.map((e) => [e.id, e]));
const get = (id: string): Endpoint => {
  const e = byId.get(id);
  if (!e) throw new Error(`no endpoint ${id}`);
  return e;
};

/** Request bodies (or query objects) taken straight from the spec files. */
const REQUESTS: [id: string, value: unknown][] = [
  // users.md
  ["user.createTag", { tag: { name: "Shanghai members" } }],
  ["user.updateTag", { tag: { id: 131, name: "Shanghai VIP" } }],
  ["user.deleteTag", { tag: { id: 131 } }],
  ["user.getTagUsers", { tagid: 131, next_openid: "" }],
  [
    "user.tagUsers",
    { openid_list: ["oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", "oQx7TkQ0pZy6wX1vU2tS3rR4qP5o"], tagid: 131 },
  ],
  ["user.getUserTags", { openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L" }],
  ["user.updateRemark", { openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", remark: "Mr. Wang (store 3)" }],
  ["user.info", { openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", lang: "zh_CN" }],
  [
    "user.batchGetInfo",
    {
      user_list: [
        { openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", lang: "zh_CN" },
        { openid: "oQx7TkQ0pZy6wX1vU2tS3rR4qP5o" },
      ],
    },
  ],
  ["user.list", {}],
  ["user.getBlacklist", { begin_openid: "" }],
  ["user.batchBlacklist", { openid_list: ["oQx7Tk2mJr9aB4cD8eF1gH3iJk5L"] }],
  ["user.createGroup", { group: { name: "Beta testers" } }],
  ["user.moveUsersToGroup", { openid_list: ["oQx7Tk2mJr9aB4cD8eF1gH3iJk5L"], to_groupid: 107 }],
  ["user.deleteGroup", { group: { id: 107 } }],
];

/** Success bodies taken straight from the spec files. */
const RESPONSES: [id: string, value: unknown][] = [
  ["user.createTag", { tag: { id: 131, name: "Shanghai members" } }],
  [
    "user.getTags",
    {
      tags: [
        { id: 2, name: "星标组", count: 0 },
        { id: 131, name: "Shanghai members", count: 17 },
      ],
    },
  ],
  [
    "user.getTagUsers",
    {
      count: 2,
      data: { openid: ["oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", "oQx7TkQ0pZy6wX1vU2tS3rR4qP5o"] },
      next_openid: "oQx7TkQ0pZy6wX1vU2tS3rR4qP5o",
    },
  ],
  ["user.getUserTags", { tagid_list: [131, 2] }],
  [
    "user.info",
    {
      subscribe: 1,
      openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L",
      language: "zh_CN",
      subscribe_time: 1717200000,
      unionid: "oUn1Zq8Yx7Wv6Ut5Sr4Qp3On2Ml1",
      remark: "Mr. Wang (store 3)",
      groupid: 0,
      tagid_list: [131, 2],
      subscribe_scene: "ADD_SCENE_QR_CODE",
      qr_scene: 98001,
      qr_scene_str: "",
    },
  ],
  ["user.info", { subscribe: 0, openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L" }],
  ["user.list", { total: 23000, count: 0, next_openid: "" }],
  [
    "user.getBlacklist",
    {
      total: 2,
      count: 2,
      data: { openid: ["oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", "oQx7TkQ0pZy6wX1vU2tS3rR4qP5o"] },
      next_openid: "oQx7TkQ0pZy6wX1vU2tS3rR4qP5o",
    },
  ],
  [
    "user.getGroups",
    {
      groups: [
        { id: 0, name: "未分组", count: 120 },
        { id: 1, name: "黑名单", count: 3 },
        { id: 2, name: "星标组", count: 4 },
        { id: 107, name: "Beta testers", count: 9 },
      ],
    },
  ],
  ["user.getUserGroup", { groupid: 107 }],
  ["user.updateRemark", { errcode: 0, errmsg: "ok" }],
];

/** Bodies the schemas must refuse (wrong types or missing required fields). */
const BAD_REQUESTS: [id: string, value: unknown][] = [
  ["user.createTag", { tag: {} }],
  ["user.tagUsers", { openid_list: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", tagid: 131 }],
  ["user.tagUsers", { openid_list: ["oQx7Tk2mJr9aB4cD8eF1gH3iJk5L"], tagid: "131" }],
  ["user.info", { lang: "zh_CN" }],
  ["user.info", { openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", lang: "fr" }],
];

const PATH_PREFIXES = ["/cgi-bin/", "/sns/", "/connect/", "/mp/", "/customservice/"];

describe("endpoint catalog", () => {
  it("gives every endpoint its group.name id, unique", () => {
    const ids = endpoints.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [groupName, g] of Object.entries(catalog)) {
      for (const [name, e] of Object.entries(g)) expect(e.id).toBe(`${groupName}.${name}`);
    }
  });

  it("routes every (method, path) to one endpoint only", () => {
    const routes = endpoints.map((e) => `${e.method} ${e.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it("keeps paths under WeChat's prefixes, with hosts that fit them", () => {
    for (const e of endpoints) {
      expect(
        PATH_PREFIXES.some((p) => e.path.startsWith(p)),
        e.id,
      ).toBe(true);
      expect(e.path, e.id).not.toMatch(/[?#\s]/);
      if (e.host === "open") expect(e.path.startsWith("/connect/"), e.id).toBe(true);
      if (e.path.startsWith("/connect/")) expect(e.host, e.id).toBe("open");
    }
  });

  it("names only permission rows that exist", () => {
    for (const e of endpoints) {
      if (e.permission !== null) expect(Object.hasOwn(PERMISSIONS, e.permission), e.id).toBe(true);
    }
  });

  it("compiles every request and response schema", () => {
    for (const e of endpoints) {
      expect(() => TypeCompiler.Compile(e.request), e.id).not.toThrow();
      expect(() => TypeCompiler.Compile(e.response), e.id).not.toThrow();
    }
  });

  it("keeps transport settings consistent", () => {
    for (const e of endpoints) {
      if (e.method === "GET") expect(e.requestIn, e.id).toBe("query");
      if (e.requestIn === "query") expect(e.queryKeys, e.id).toEqual([]);
      const props = Object.keys((e.request as { properties?: object }).properties ?? {});
      for (const k of e.queryKeys) expect(props, `${e.id} queryKey ${k}`).toContain(k);
      if (e.dailyQuota !== undefined)
        expect(Number.isInteger(e.dailyQuota) && e.dailyQuota > 0, e.id).toBe(true);
      expect(Number.isInteger(e.schemaErrcode), e.id).toBe(true);
      expect(e.summary.length, e.id).toBeGreaterThan(10);
    }
  });

  it.each(REQUESTS)("accepts the spec's request example for %s", (id, value) => {
    const e = get(id);
    expect(check(e.request, value), JSON.stringify([...TypeCompiler.Compile(e.request).Errors(value)])).toBe(
      true,
    );
  });

  it.each(RESPONSES)("accepts the spec's response example for %s", (id, value) => {
    const e = get(id);
    expect(
      check(e.response, value),
      JSON.stringify([...TypeCompiler.Compile(e.response).Errors(value)]),
    ).toBe(true);
  });

  it.each(BAD_REQUESTS)("refuses a malformed request for %s", (id, value) => {
    expect(check(get(id).request, value)).toBe(false);
  });

  it("has examples for most endpoints", () => {
    const covered = new Set([...REQUESTS, ...RESPONSES].map(([id]) => id));
    const missing = endpoints.filter((e) => !covered.has(e.id) && !e.id.startsWith("basic."));
    expect(missing.length / endpoints.length).toBeLessThan(0.3);
  });
});
