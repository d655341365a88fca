import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  CUSTOM_MESSAGE_TYPES,
  catalog,
  type Endpoint,
  endpoints,
  MEDIA_TYPES,
  MENU_BUTTON_TYPES,
  MENU_KEY_BUTTON_TYPES,
  type RequestOf,
  type ResponseOf,
} from "../src/catalog/index.js";
import { PERMISSIONS } from "../src/permissions.js";
import { APPLIED_REQUESTS, APPLIED_RESPONSES } from "./fixtures/applied-examples.js";

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
  // menu.md
  [
    "menu.create",
    {
      button: [
        { type: "click", name: "Today", key: "V1_TODAY" },
        { type: "view", name: "Shop", url: "https://shop.example.cn/index" },
        {
          name: "More",
          sub_button: [
            { type: "scancode_waitmsg", name: "Scan to check in", key: "V1_SCAN" },
            { type: "pic_photo_or_album", name: "Upload receipt", key: "V1_PIC" },
            { type: "location_select", name: "Nearest store", key: "V1_LOC" },
            {
              type: "miniprogram",
              name: "Mini shop",
              url: "https://shop.example.cn/fallback",
              appid: "wx2b7c4d6e8f0a1b3c",
              pagepath: "pages/home/index",
            },
            { type: "article_id", name: "Welcome article", article_id: "Vq3cT0r9kE1bJm2n" },
          ],
        },
      ],
    },
  ],
  [
    "menu.addConditional",
    {
      button: [
        { type: "click", name: "VIP desk", key: "VIP_DESK" },
        { type: "view", name: "VIP shop", url: "https://shop.example.cn/vip" },
      ],
      matchrule: { tag_id: "131", client_platform_type: "2" },
    },
  ],
  ["menu.deleteConditional", { menuid: "208379533" }],
  ["menu.deleteConditional", { menuid: 208379533 }],
  ["menu.tryMatch", { user_id: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L" }],
  ["menu.get", {}],
  // qrcode-shorturl.md
  [
    "qrcode.create",
    { expire_seconds: 604800, action_name: "QR_SCENE", action_info: { scene: { scene_id: 98001 } } },
  ],
  [
    "qrcode.create",
    {
      expire_seconds: 1800,
      action_name: "QR_STR_SCENE",
      action_info: { scene: { scene_str: "bind:order-20240601-77" } },
    },
  ],
  ["qrcode.create", { action_name: "QR_LIMIT_SCENE", action_info: { scene: { scene_id: 42 } } }],
  [
    "qrcode.create",
    { action_name: "QR_LIMIT_STR_SCENE", action_info: { scene: { scene_str: "poster-shanghai-metro" } } },
  ],
  [
    "qrcode.show",
    {
      ticket:
        "gQFk8DwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyUXR3YkVwTGg5Y2UxSnJmb3hCY1MAAgT2nmBmAwSAOgkA",
    },
  ],
  [
    "qrcode.shortUrl",
    { action: "long2short", long_url: "https://shop.example.cn/goods/detail?sku=10086&from=poster" },
  ],
  ["qrcode.genShortKey", { long_data: '{"order":"20240601-77","coupon":"SUMMER10"}', expire_seconds: 86400 }],
  ["qrcode.fetchShortKey", { short_key: "Kp3xR8mQ2tZ7vW1" }],
  // customer-service.md
  [
    "message.sendCustom",
    {
      touser: "oAbCd1234567890efghijklmnopq",
      msgtype: "text",
      text: {
        content:
          'Your order #4711 has shipped.\n<a href="https://shop.example.com/o/4711" data-miniprogram-appid="wx00000000000000aa" data-miniprogram-path="pages/order/detail?id=4711">Track it</a>',
      },
      customservice: { kf_account: "alice@demoacct" },
    },
  ],
  [
    "message.sendCustom",
    { touser: "oAbCd1234567890efghijklmnopq", msgtype: "image", image: { media_id: "Tmp_IMG_8f3a1c" } },
  ],
  [
    "message.sendCustom",
    {
      touser: "oAbCd1234567890efghijklmnopq",
      msgtype: "video",
      video: {
        media_id: "Tmp_VID_77aa",
        thumb_media_id: "Tmp_THB_01",
        title: "Unboxing",
        description: "60 seconds",
      },
    },
  ],
  [
    "message.sendCustom",
    {
      touser: "oAbCd1234567890efghijklmnopq",
      msgtype: "news",
      news: {
        articles: [
          {
            title: "Spring sale",
            description: "Up to 30% off",
            url: "https://shop.example.com/sale",
            picurl: "https://cdn.example.com/sale.jpg",
          },
        ],
      },
    },
  ],
  [
    "message.sendCustom",
    {
      touser: "oAbCd1234567890efghijklmnopq",
      msgtype: "mpnewsarticle",
      mpnewsarticle: { article_id: "ARTICLE_ID_f31c" },
    },
  ],
  [
    "message.sendCustom",
    {
      touser: "oAbCd1234567890efghijklmnopq",
      msgtype: "msgmenu",
      msgmenu: {
        head_content: "Were you satisfied with this conversation?",
        list: [
          { id: "101", content: "Satisfied" },
          { id: "102", content: "Not satisfied" },
        ],
        tail_content: "Thank you",
      },
    },
  ],
  [
    "message.sendCustom",
    {
      touser: "oAbCd1234567890efghijklmnopq",
      msgtype: "miniprogrampage",
      miniprogrampage: {
        title: "Your boarding pass",
        appid: "wx00000000000000aa",
        pagepath: "pages/pass/index?no=CA1234",
        thumb_media_id: "Perm_IMG_cover01",
      },
    },
  ],
  ["message.sendTyping", { touser: "oAbCd1234567890efghijklmnopq", command: "Typing" }],
  // material.md (the file part as the platform's multipart parser hands it over)
  [
    "media.upload",
    {
      type: "voice",
      media: { data: new Uint8Array([35, 33, 65, 77, 82]), filename: "hello.amr", contentType: "audio/amr" },
    },
  ],
  ["media.get", { media_id: "Mt7k2Qe0Vb8n1Ylq0vYwJm3Yw6mXo8S2pY1dYQk5Gv8hT3fK2cZr9u4bN6xP0aE1" }],
  ["media.uploadImg", { media: { data: new Uint8Array([0xff, 0xd8, 0xff]), filename: "inline.jpg" } }],
  ...APPLIED_REQUESTS,
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
  // menu.md
  [
    "menu.get",
    {
      menu: {
        button: [
          { type: "click", name: "Today", key: "V1_TODAY", sub_button: [] },
          { type: "view", name: "Shop", url: "https://shop.example.cn/index", sub_button: [] },
          {
            name: "More",
            sub_button: [
              { type: "scancode_waitmsg", name: "Scan to check in", key: "V1_SCAN", sub_button: [] },
            ],
          },
        ],
      },
    },
  ],
  [
    "menu.get",
    {
      menu: {
        button: [{ type: "click", name: "Today", key: "V1_TODAY", sub_button: [] }],
        menuid: 449770001,
      },
      conditionalmenu: [
        {
          button: [{ type: "click", name: "VIP desk", key: "VIP_DESK", sub_button: [] }],
          matchrule: { group_id: "131", client_platform_type: "2" },
          menuid: 449770007,
        },
      ],
    },
  ],
  ["menu.addConditional", { menuid: "208379533" }],
  [
    "menu.tryMatch",
    {
      button: [
        { type: "click", name: "VIP desk", key: "VIP_DESK", sub_button: [] },
        { type: "view", name: "VIP shop", url: "https://shop.example.cn/vip", sub_button: [] },
      ],
    },
  ],
  [
    "menu.getCurrentSelfMenuInfo",
    {
      is_menu_open: 1,
      selfmenu_info: {
        button: [
          { type: "click", name: "Today", key: "V1_TODAY" },
          {
            name: "More",
            sub_button: {
              list: [
                { type: "view", name: "Shop", url: "https://shop.example.cn/index" },
                {
                  type: "miniprogram",
                  name: "Mini shop",
                  url: "https://shop.example.cn/fallback",
                  appid: "wx2b7c4d6e8f0a1b3c",
                  pagepath: "pages/home/index",
                },
              ],
            },
          },
        ],
      },
    },
  ],
  ["menu.getCurrentSelfMenuInfo", { is_menu_open: 0 }],
  // qrcode-shorturl.md
  [
    "qrcode.create",
    {
      ticket:
        "gQFk8DwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyUXR3YkVwTGg5Y2UxSnJmb3hCY1MAAgT2nmBmAwSAOgkA",
      expire_seconds: 604800,
      url: "http://weixin.qq.com/q/02QtwbEpLh9ce1JrfoxBcS",
    },
  ],
  ["qrcode.shortUrl", { errcode: 0, errmsg: "ok", short_url: "https://w.url.cn/s/AbC12dE" }],
  ["qrcode.genShortKey", { errcode: 0, errmsg: "ok", short_key: "Kp3xR8mQ2tZ7vW1" }],
  [
    "qrcode.fetchShortKey",
    {
      errcode: 0,
      errmsg: "ok",
      long_data: '{"order":"20240601-77","coupon":"SUMMER10"}',
      create_time: 1717203000,
      expire_seconds: 86195,
    },
  ],
  ["qrcode.show", { data: new Uint8Array([0xff, 0xd8]), contentType: "image/jpg" }],
  // material.md
  [
    "media.upload",
    {
      type: "image",
      media_id: "Mt7k2Qe0Vb8n1Ylq0vYwJm3Yw6mXo8S2pY1dYQk5Gv8hT3fK2cZr9u4bN6xP0aE1",
      created_at: 1700000000,
    },
  ],
  ["media.get", { video_url: "http://example.com/download/path" }],
  ["media.get", { data: new Uint8Array([0xff, 0xd8]), contentType: "image/jpeg", filename: "MEDIA_ID.jpg" }],
  ["media.uploadImg", { url: "http://mmbiz.qpic.cn/mmbiz/abc/0" }],
  ["message.sendCustom", { errcode: 0, errmsg: "ok" }],
  ...APPLIED_RESPONSES,
];

/** Bodies the schemas must refuse (wrong types or missing required fields). */
const BAD_REQUESTS: [id: string, value: unknown][] = [
  ["user.createTag", { tag: {} }],
  ["user.tagUsers", { openid_list: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", tagid: 131 }],
  ["user.tagUsers", { openid_list: ["oQx7Tk2mJr9aB4cD8eF1gH3iJk5L"], tagid: "131" }],
  ["user.info", { lang: "zh_CN" }],
  ["user.info", { openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", lang: "fr" }],
  ["menu.create", { button: [{ type: "click", name: "Today" }] }],
  ["menu.create", { button: [{ type: "view", name: "Shop", key: "V1" }] }],
  ["menu.create", { menu: { button: [] } }],
  ["qrcode.create", { action_name: "QR_SCENE", action_info: { scene: { scene_str: "x" } } }],
  ["qrcode.create", { action_name: "QR_FOREVER", action_info: { scene: { scene_id: 1 } } }],
  ["qrcode.shortUrl", { action: "short2long", long_url: "https://example.com" }],
  [
    "message.sendCustom",
    { touser: "oAbCd1234567890efghijklmnopq", msgtype: "text", image: { media_id: "x" } },
  ],
  [
    "message.sendCustom",
    { touser: "oAbCd1234567890efghijklmnopq", msgtype: "mpvideo", mpvideo: { media_id: "x" } },
  ],
  [
    "message.sendCustom",
    {
      touser: "oAbCd1234567890efghijklmnopq",
      msgtype: "news",
      news: { articles: { title: "not an array" } },
    },
  ],
  ["message.sendTyping", { touser: "oAbCd1234567890efghijklmnopq", command: "typing" }],
  ["media.upload", { type: "file", media: { data: new Uint8Array([1]), filename: "a.bin" } }],
  ["media.upload", { type: "image" }],
];

const PATH_PREFIXES = [
  "/cgi-bin/",
  "/sns/",
  "/connect/",
  "/mp/",
  "/customservice/",
  "/card/",
  "/merchant/",
  "/device/",
  "/semantic/",
];

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

  it("uses plain JSON Schema only (so Ajv, Fastify's validator, compiles it too)", () => {
    const jsonTypes = new Set(["object", "array", "string", "number", "integer", "boolean", "null"]);
    const walk = (node: unknown, id: string): void => {
      if (Array.isArray(node)) {
        for (const n of node) walk(n, id);
        return;
      }
      if (typeof node !== "object" || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        if (k === "type" && typeof v === "string") expect(jsonTypes.has(v), `${id}: type ${v}`).toBe(true);
        if (k === "$id" || k === "$ref") throw new Error(`${id}: ${k} would clash between routes`);
        if (k !== "properties") walk(v, id);
        else for (const p of Object.values(v as object)) walk(p, id);
      }
    };
    for (const e of endpoints) {
      walk(e.request, e.id);
      walk(e.response, e.id);
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
      // The English summary: the deprecated field, or (newer entries) WeChat's title beside a JSDoc comment.
      expect(e.summary.length > 10 || e.title.length > 0, e.id).toBe(true);
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

describe("area constants agree with the schemas", () => {
  const leaf = (type: string): Record<string, string> => {
    const base = { type, name: "b" };
    if ((MENU_KEY_BUTTON_TYPES as readonly string[]).includes(type)) return { ...base, key: "K" };
    if (type === "view") return { ...base, url: "https://example.com" };
    if (type === "media_id" || type === "view_limited") return { ...base, media_id: "M" };
    if (type === "article_id" || type === "article_view_limited") return { ...base, article_id: "A" };
    return { ...base, url: "https://example.com", appid: "wx1", pagepath: "pages/index" };
  };

  it("accepts a leaf and a child of every menu button type", () => {
    for (const type of MENU_BUTTON_TYPES) {
      expect(check(catalog.menu.create.request, { button: [leaf(type)] }), type).toBe(true);
      expect(
        check(catalog.menu.create.request, { button: [{ name: "p", sub_button: [leaf(type)] }] }),
        type,
      ).toBe(true);
    }
    expect(MENU_BUTTON_TYPES).toHaveLength(13);
    // A third level is WeChat's 40022, the platform's check: the schema lets it through.
    const third = { name: "p", sub_button: [{ ...leaf("click"), sub_button: [leaf("view")] }] };
    expect(check(catalog.menu.create.request, { button: [third] })).toBe(true);
  });

  it("accepts a custom message of every msgtype and no other", () => {
    const payloads: Record<string, unknown> = {
      text: { content: "hi" },
      music: { musicurl: "u", hqmusicurl: "h", thumb_media_id: "t" },
      news: { articles: [] },
      mpnewsarticle: { article_id: "a" },
      wxcard: { card_id: "c" },
      msgmenu: { list: [] },
      miniprogrampage: { title: "t", appid: "wx1", pagepath: "p", thumb_media_id: "m" },
    };
    for (const msgtype of [...CUSTOM_MESSAGE_TYPES, "link", "mpvideo"]) {
      const body = { touser: "o1", msgtype, [msgtype]: payloads[msgtype] ?? { media_id: "m" } };
      const known = (CUSTOM_MESSAGE_TYPES as readonly string[]).includes(msgtype);
      expect(check(catalog.message.sendCustom.request, body), msgtype).toBe(known);
    }
  });

  it("accepts every temporary media type", () => {
    const media = { data: new Uint8Array([1]), filename: "f" };
    for (const type of MEDIA_TYPES) expect(check(catalog.media.upload.request, { type, media })).toBe(true);
  });

  it("types requests and responses for the SDK", () => {
    expectTypeOf<RequestOf<typeof catalog.user.info>>().toEqualTypeOf<{
      openid: string;
      lang?: "zh_CN" | "zh_TW" | "en";
    }>();
    expectTypeOf<ResponseOf<typeof catalog.user.createTag>>().toEqualTypeOf<{
      tag: { id: number; name: string };
    }>();
    type Send = RequestOf<typeof catalog.message.sendCustom>;
    expectTypeOf<Extract<Send, { msgtype: "text" }>["text"]>().toEqualTypeOf<{ content: string }>();
    type Create = RequestOf<typeof catalog.qrcode.create>;
    expectTypeOf<Extract<Create, { action_name: "QR_LIMIT_STR_SCENE" }>["action_info"]>().toEqualTypeOf<{
      scene: { scene_str: string };
    }>();
    type Button = RequestOf<typeof catalog.menu.create>["button"][number];
    expectTypeOf<Extract<Button, { type: "view" }>["url"]>().toEqualTypeOf<string>();
    expectTypeOf<RequestOf<typeof catalog.media.upload>["type"]>().toEqualTypeOf<
      "image" | "voice" | "video" | "thumb"
    >();
  });
});
