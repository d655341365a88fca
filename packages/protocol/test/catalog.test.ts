/**
 * The endpoint catalog against the spec: every entry well formed, the spec's request and response
 * examples accepted, malformed requests refused, the types the SDK derives.
 */
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
import * as applied from "./fixtures/applied.js";
import * as customerService from "./fixtures/customer-service.js";
import * as massMaterial from "./fixtures/mass-material.js";
import * as material from "./fixtures/material.js";
import * as menu from "./fixtures/menu.js";
import * as qrcode from "./fixtures/qrcode-shorturl.js";
import * as template from "./fixtures/template.js";
import * as users from "./fixtures/users.js";

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
const REQUESTS = [users, menu, qrcode, customerService, material, massMaterial, template, applied].flatMap(
  (area) => area.REQUESTS,
);

/** Success bodies taken straight from the spec files. */
const RESPONSES = [users, menu, qrcode, customerService, material, massMaterial, template, applied].flatMap(
  (area) => area.RESPONSES,
);

/** Bodies the schemas must refuse (wrong types or missing required fields). */
const BAD_REQUESTS: [id: string, value: unknown][] = [
  ["tags.create", { tag: {} }],
  ["tags.tagUsers", { openid_list: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", tagid: 131 }],
  ["tags.tagUsers", { openid_list: ["oQx7Tk2mJr9aB4cD8eF1gH3iJk5L"], tagid: "131" }],
  ["followers.info", { lang: "zh_CN" }],
  ["followers.info", { openid: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L", lang: "fr" }],
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
  "/wxaapi/",
  "/wxa/",
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
      expect(e.title, e.id).toMatch(/\p{Script=Han}/u);
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
    expectTypeOf<RequestOf<typeof catalog.followers.info>>().toEqualTypeOf<{
      openid: string;
      lang?: "zh_CN" | "zh_TW" | "en";
    }>();
    expectTypeOf<ResponseOf<typeof catalog.tags.create>>().toEqualTypeOf<{
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
