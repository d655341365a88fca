/**
 * Menus over real HTTP: menu/create, get, delete, get_current_selfmenu_info, every validation code of
 * menu.md §2.2, and the permission rows. Personalised menus and taps: menu-conditional / menu-click.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MENU_CREATE as MENU } from "../../protocol/test/fixtures/menu.js";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const app = (n: number) => `wxd00000000000000${n}`;
const secret = (n: number) => `d${String(n).padStart(31, "0")}`;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`menu API on ${backend.name}`, () => {
    let r: Running;
    const tokens: Record<number, string> = {};
    const api = (n: number, path: string) => `/cgi-bin/${path}?access_token=${tokens[n]}`;
    const create = (n: number, body: unknown) => r.post(api(n, "menu/create"), body);

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      for (const n of [1, 2, 3, 4]) tokens[n] = await tokenFor(r, app(n), secret(n));
    });
    afterAll(() => r?.close());

    it("creates, reads (menu/get and get_current_selfmenu_info) and deletes the default menu", async () => {
      const created = await create(4, MENU);
      expect(created.body).toEqual({ errcode: 0, errmsg: "ok" });

      const got = await r.get(api(4, "menu/get"));
      expect(got.body).toEqual({
        menu: {
          button: [
            { type: "click", name: "Today", key: "V1_TODAY", sub_button: [] },
            { type: "view", name: "Shop", url: "https://shop.example.cn/index", sub_button: [] },
            {
              name: "More",
              sub_button: MENU.button[2]?.sub_button?.map((b) => ({ ...b, sub_button: [] })),
            },
          ],
        },
      });

      const self = await r.get(api(4, "get_current_selfmenu_info"));
      expect(self.body.is_menu_open).toBe(1);
      const selfButtons = (self.body.selfmenu_info as { button: Record<string, unknown>[] }).button;
      expect(selfButtons[0]).toEqual({ type: "click", name: "Today", key: "V1_TODAY" });
      expect(selfButtons[2]).toEqual({ name: "More", sub_button: { list: MENU.button[2]?.sub_button } });

      // create replaces the whole menu
      await create(4, { button: [{ type: "click", name: "Only", key: "K" }] });
      expect((await r.get(api(4, "menu/get"))).body).toEqual({
        menu: { button: [{ type: "click", name: "Only", key: "K", sub_button: [] }] },
      });

      expect((await r.get(api(4, "menu/delete"))).body).toEqual({ errcode: 0, errmsg: "ok" });
      const gone = await r.get(api(4, "menu/get"));
      expect(gone.body.errcode).toBe(46003);
      expect(gone.body.errmsg).toMatch(/^menu no exist rid: /);
      expect((await r.get(api(4, "get_current_selfmenu_info"))).body).toEqual({ is_menu_open: 0 });
      // Deleting again still succeeds.
      expect((await r.get(api(4, "menu/delete"))).body.errcode).toBe(0);
    });

    it("answers each account type per the permission table (48001 without ui.menu)", async () => {
      const denied = await create(1, MENU);
      expect(denied.body.errcode).toBe(48001);
      expect(String(denied.body.errmsg)).toMatch(RID_SUFFIX);
      expect((await r.get(api(1, "menu/get"))).body.errcode).toBe(48001);
      expect((await r.get(api(1, "menu/delete"))).body.errcode).toBe(48001);
      expect((await r.post(api(1, "menu/addconditional"), MENU)).body.errcode).toBe(48001);
      expect((await r.post(api(1, "menu/trymatch"), { user_id: "x" })).body.errcode).toBe(48001);
      // Every account type may read the current menu.
      expect((await r.get(api(1, "get_current_selfmenu_info"))).body).toEqual({ is_menu_open: 0 });
      for (const n of [2, 3]) {
        expect((await create(n, MENU)).body.errcode, `account ${n}`).toBe(n === 3 ? 45064 : 0);
        // the unverified service account may not use miniprogram buttons; without one it may create
        const plain = { button: MENU.button.slice(0, 2) };
        expect((await create(n, plain)).body.errcode, `account ${n}`).toBe(0);
      }
      // Personalised menus: the unverified service account has the menu row but not this feature.
      const cond = { ...MENU, matchrule: { client_platform_type: "1" } };
      expect((await r.post(api(3, "menu/addconditional"), cond)).body.errcode).toBe(65306);
      expect((await r.post(api(3, "menu/delconditional"), { menuid: "1" })).body.errcode).toBe(65306);
      expect((await r.post(api(3, "menu/trymatch"), { user_id: "alice" })).body.errcode).toBe(65306);
    });

    const leaf = (b: Record<string, unknown>) => ({ button: [b] });
    const parent = (...subs: Record<string, unknown>[]) => ({
      button: [{ name: "Parent", sub_button: subs }],
    });
    const click = (name = "Go", key = "K") => ({ type: "click", name, key });
    const CASES: [string, unknown, number][] = [
      ["no button", {}, 40016],
      ["button not an array", { button: { type: "click" } }, 40016],
      ["empty button list", { button: [] }, 40016],
      ["four top-level buttons", { button: [click(), click(), click(), click()] }, 40016],
      ["the get_current_selfmenu_info shape", { menu: { button: [click()] } }, 40016],
      ["top-level name missing", leaf({ type: "click", key: "K" }), 40018],
      ["top-level name of 17 bytes", leaf(click("a".repeat(17))), 40018],
      ["top-level name of 6 Chinese characters (18 bytes)", leaf(click("今日歌曲推荐")), 40018],
      ["leaf without type", leaf({ name: "Go", key: "K" }), 65308],
      ["unknown type", leaf({ type: "dance", name: "Go", key: "K" }), 40017],
      ["click without key", leaf({ type: "click", name: "Go" }), 40019],
      ["key of 129 bytes", leaf(click("Go", "k".repeat(129))), 40019],
      ["view without url", leaf({ type: "view", name: "Go" }), 40020],
      [
        "url over 1024 bytes",
        leaf({ type: "view", name: "Go", url: `https://a.cn/${"x".repeat(1020)}` }),
        40020,
      ],
      ["url not http(s)", leaf({ type: "view", name: "Go", url: "ftp://a.cn/x" }), 40055],
      ["six sub-buttons", parent(click(), click(), click(), click(), click(), click()), 40023],
      ["sub-button name of 61 bytes", parent(click("b".repeat(61))), 40025],
      ["sub-button without name", parent({ type: "click", key: "K" }), 40025],
      ["a third level", parent({ ...click(), sub_button: [click()] }), 40022],
      ["sub-button without type", parent({ name: "Go", key: "K" }), 40024],
      ["sub-button of unknown type", parent({ type: "dance", name: "Go", key: "K" }), 40024],
      ["sub-button click without key", parent({ type: "scancode_push", name: "Go" }), 40026],
      ["sub-button view without url", parent({ type: "view", name: "Go" }), 40027],
      ["sub-button url not http(s)", parent({ type: "view", name: "Go", url: "javascript:alert(1)" }), 40054],
      ["media_id button without media_id", leaf({ type: "media_id", name: "Go" }), 40007],
      ["view_limited without media_id", parent({ type: "view_limited", name: "Go" }), 40007],
      ["article_id button without article_id", leaf({ type: "article_id", name: "Go" }), 53600],
      [
        "miniprogram without pagepath",
        leaf({ type: "miniprogram", name: "Go", url: "https://a.cn", appid: "wx2b7c4d6e8f0a1b3c" }),
        40097,
      ],
      [
        "miniprogram with a malformed appid",
        leaf({ type: "miniprogram", name: "Go", url: "https://a.cn", appid: "nope", pagepath: "p/i" }),
        40166,
      ],
    ];
    it.each(CASES)("refuses %s with its code", async (_label, body, code) => {
      const res = await create(4, body);
      expect(res.body.errcode).toBe(code);
      expect(String(res.body.errmsg)).toMatch(RID_SUFFIX);
    });

    it("accepts the limits exactly (16/60-byte names, 128-byte key, 1024-byte url, 3×5 buttons)", async () => {
      const sub = (i: number) => ({ type: "click", name: "子".repeat(20), key: `${i}`.padEnd(128, "k") });
      const body = {
        button: [
          { type: "view", name: "今日歌曲", url: `https://a.cn/${"x".repeat(1024 - 13)}` },
          { name: "a".repeat(16), sub_button: [1, 2, 3, 4, 5].map(sub) },
          { type: "media_id", name: "Media", media_id: "MEDIA_ID_1", sub_button: [] },
        ],
      };
      expect((await create(4, body)).body).toEqual({ errcode: 0, errmsg: "ok" });
      const got = (await r.get(api(4, "menu/get"))).body.menu as { button: { sub_button: unknown[] }[] };
      expect(got.button[1]?.sub_button).toHaveLength(5);
    });

    it("ignores the type of a parent button, and checks the charset of the raw body", async () => {
      const typedParent = { button: [{ type: "click", key: "K", name: "P", sub_button: [click()] }] };
      expect((await create(4, typedParent)).body.errcode).toBe(0);
      expect((await r.get(api(4, "menu/get"))).body).toEqual({
        menu: { button: [{ name: "P", sub_button: [{ ...click(), sub_button: [] }] }] },
      });

      const escaped = '{"button":[{"type":"click","name":"\\u4eca\\u65e5","key":"K"}]}';
      expect((await create(4, escaped)).body.errcode).toBe(40033);
      // an escaped backslash before a `u` is not an escape
      const literal = '{"button":[{"type":"click","name":"a\\\\u1234","key":"K"}]}';
      expect((await create(4, literal)).body.errcode).toBe(0);
      const latin1 = Buffer.concat([
        Buffer.from('{"button":[{"type":"click","name":"'),
        Buffer.from([0xbd, 0xf1]),
        Buffer.from('","key":"K"}]}'),
      ]);
      const res = await r.raw(api(4, "menu/create"), { method: "POST", body: latin1 });
      expect(((await res.json()) as { errcode: number }).errcode).toBe(65318);

      // With strict charset off, escapes are read as JSON.
      const off = await r.raw(`/_mpstack/accounts/${app(4)}/menu-settings`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ strictCharset: false }),
      });
      expect(off.status).toBe(200);
      expect((await create(4, escaped)).body.errcode).toBe(0);
      const got = (await r.get(api(4, "menu/get"))).body.menu as { button: { name: string }[] };
      expect(got.button[0]?.name).toBe("今日");
    });

    it("answers the pipeline's codes for empty and garbled bodies and wrong methods", async () => {
      expect((await create(4, "")).body.errcode).toBe(44002);
      expect((await create(4, "{not json")).body.errcode).toBe(47001);
      expect((await r.get(api(4, "menu/create"))).body.errcode).toBe(43002);
      expect((await r.post("/cgi-bin/menu/create", MENU)).body.errcode).toBe(41001);
    });
  });
}
