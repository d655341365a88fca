/**
 * Custom menus and personalised menus (spec/menu.md).
 *
 * The button schema types the buttons; it does not hold WeChat's limits (3 top-level buttons, 5
 * children, byte lengths, no third level): WeChat answers those with specific codes (40016…40055,
 * 65308), so the platform runs menu.md §2.2 on the raw body before the schema check.
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { Empty, Ok, StringOrInteger } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

/** Button types that send their `key` to the developer (menu.md §2.1). */
export const MENU_KEY_BUTTON_TYPES = [
  "click",
  "scancode_push",
  "scancode_waitmsg",
  "pic_sysphoto",
  "pic_photo_or_album",
  "pic_weixin",
  "location_select",
] as const;

/** Every button type `menu/create` accepts. */
export const MENU_BUTTON_TYPES = [
  ...MENU_KEY_BUTTON_TYPES,
  "view",
  "media_id",
  "view_limited",
  "article_id",
  "article_view_limited",
  "miniprogram",
] as const;
export type MenuButtonType = (typeof MENU_BUTTON_TYPES)[number];

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

/** The leaf variants; `children` is what a leaf may carry as `sub_button`. */
const leaves = <C extends TSchema>(children: C) => {
  const sub = { sub_button: Type.Optional(Type.Array(children)) };
  return [
    Type.Object({ type: literals(MENU_KEY_BUTTON_TYPES), name: Type.String(), key: Type.String(), ...sub }),
    Type.Object({ type: Type.Literal("view"), name: Type.String(), url: Type.String(), ...sub }),
    Type.Object({
      type: literals(["media_id", "view_limited"] as const),
      name: Type.String(),
      media_id: Type.String(),
      ...sub,
    }),
    Type.Object({
      type: literals(["article_id", "article_view_limited"] as const),
      name: Type.String(),
      article_id: Type.String(),
      ...sub,
    }),
    Type.Object({
      type: Type.Literal("miniprogram"),
      name: Type.String(),
      url: Type.String(),
      appid: Type.String(),
      pagepath: Type.String(),
      ...sub,
    }),
  ] as const;
};

/**
 * A sub-menu button: a leaf. Its own `sub_button` is `[]` in `menu/get` answers; a non-empty one is
 * a third level, which WeChat refuses with 40022 — left to the platform, so typed loosely here.
 */
export const MenuSubButton = Type.Union([...leaves(Type.Unknown())]);
export type MenuSubButton = Static<typeof MenuSubButton>;

/**
 * A top-level button: a leaf, or a parent with `sub_button` children. Two explicit levels rather
 * than a recursive schema, so the schemas also compile in JSON-schema validators (no shared `$id`).
 */
export const MenuButton = Type.Union([
  ...leaves(MenuSubButton),
  Type.Object({ name: Type.String(), sub_button: Type.Array(MenuSubButton) }),
]);
export type MenuButton = Static<typeof MenuButton>;

/**
 * A personalised menu's rule. Written with `tag_id`; WeChat reports it back as `group_id`, all values
 * as strings (menu.md §4). sex/country/province/city/language are refused since the privacy change
 * (65320) but still typed: `menu/get` lists old rules unchanged.
 */
const MatchRule = Type.Object({
  tag_id: Type.Optional(StringOrInteger),
  group_id: Type.Optional(StringOrInteger),
  client_platform_type: Type.Optional(StringOrInteger),
  sex: Type.Optional(StringOrInteger),
  country: Type.Optional(Type.String()),
  province: Type.Optional(Type.String()),
  city: Type.Optional(Type.String()),
  language: Type.Optional(Type.String()),
});

const Buttons = Type.Array(MenuButton);

/** `get_current_selfmenu_info` buttons: website menus add text/img/photo/voice/video/news types. */
const selfMenuLeaf = {
  type: Type.Optional(Type.String()),
  name: Type.String(),
  key: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
  appid: Type.Optional(Type.String()),
  pagepath: Type.Optional(Type.String()),
  media_id: Type.Optional(Type.String()),
  article_id: Type.Optional(Type.String()),
  news_info: Type.Optional(
    Type.Object({
      list: Type.Array(
        Type.Object({
          title: Type.String(),
          author: Type.Optional(Type.String()),
          digest: Type.Optional(Type.String()),
          show_cover: Type.Optional(Type.Integer()),
          cover_url: Type.Optional(Type.String()),
          content_url: Type.Optional(Type.String()),
          source_url: Type.Optional(Type.String()),
        }),
      ),
    }),
  ),
};
const SelfMenuButton = Type.Object({
  ...selfMenuLeaf,
  sub_button: Type.Optional(Type.Object({ list: Type.Array(Type.Object(selfMenuLeaf)) })),
});

export const menu = group("menu", {
  /**
   * 创建自定义菜单
   *
   * Replace the default menu (1..3 buttons, each a leaf or a parent of 1..5 leaves).
   *
   * See spec/menu.md §3.
   */
  create: endpoint({
    title: "创建自定义菜单",
    method: "POST",
    host: "api",
    path: "/cgi-bin/menu/create",
    permission: "ui.menu",
    request: Type.Object({ button: Buttons }),
    response: Ok,
    dailyQuota: 1000,
  }),
  /**
   * 获取自定义菜单配置
   *
   * The menus set through the API: the default menu and the personalised ones.
   *
   * See spec/menu.md §4.
   */
  get: endpoint({
    title: "获取自定义菜单配置",
    method: "GET",
    host: "api",
    path: "/cgi-bin/menu/get",
    permission: "ui.menu",
    request: Empty,
    response: Type.Object({
      menu: Type.Object({ button: Buttons, menuid: Type.Optional(Type.Integer()) }),
      conditionalmenu: Type.Optional(
        Type.Array(Type.Object({ button: Buttons, matchrule: MatchRule, menuid: Type.Integer() })),
      ),
    }),
    dailyQuota: 10000,
  }),
  /**
   * 删除自定义菜单
   *
   * Delete the default menu and every personalised menu.
   *
   * See spec/menu.md §5.
   */
  delete: endpoint({
    title: "删除自定义菜单",
    method: "GET",
    host: "api",
    path: "/cgi-bin/menu/delete",
    permission: "ui.menu",
    request: Empty,
    response: Ok,
    dailyQuota: 1000,
  }),
  /**
   * 创建个性化菜单
   *
   * Add a personalised menu shown to users matching its rule (needs a default menu).
   *
   * See spec/menu.md §6.1.
   */
  addConditional: endpoint({
    title: "创建个性化菜单",
    method: "POST",
    host: "api",
    path: "/cgi-bin/menu/addconditional",
    permission: "ui.menu",
    request: Type.Object({ button: Buttons, matchrule: MatchRule }),
    response: Type.Object({ menuid: StringOrInteger }),
    dailyQuota: 2000,
  }),
  /**
   * 删除个性化菜单
   *
   * Delete one personalised menu by menuid.
   *
   * See spec/menu.md §6.2.
   */
  deleteConditional: endpoint({
    title: "删除个性化菜单",
    method: "POST",
    host: "api",
    path: "/cgi-bin/menu/delconditional",
    permission: "ui.menu",
    request: Type.Object({ menuid: StringOrInteger }),
    response: Ok,
    dailyQuota: 2000,
  }),
  /**
   * 测试个性化菜单匹配结果
   *
   * The buttons a follower (OpenID or WeChat ID) would see.
   *
   * See spec/menu.md §6.3.
   */
  tryMatch: endpoint({
    title: "测试个性化菜单匹配结果",
    method: "POST",
    host: "api",
    path: "/cgi-bin/menu/trymatch",
    permission: "ui.menu",
    request: Type.Object({ user_id: Type.String() }),
    response: Type.Object({ button: Buttons }),
    dailyQuota: 20000,
  }),
  /**
   * 查询自定义菜单信息
   *
   * The menu in effect, set by API or on the website (every account type may call it).
   *
   * See spec/menu.md §7.
   */
  getCurrentSelfMenuInfo: endpoint({
    title: "查询自定义菜单信息",
    method: "GET",
    host: "api",
    path: "/cgi-bin/get_current_selfmenu_info",
    permission: null,
    request: Empty,
    response: Type.Object({
      is_menu_open: Type.Integer(),
      selfmenu_info: Type.Optional(Type.Object({ button: Type.Array(SelfMenuButton) })),
    }),
  }),
});
