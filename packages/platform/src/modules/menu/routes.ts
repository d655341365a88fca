/** Simulator routes of the menu module. */
import { Type } from "@sinclair/typebox";
import type { ModuleContext } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { resultView } from "../push/index.js";
import { getFollow, requireUser } from "../simulated-users/index.js";
import { type ButtonClick, ButtonClickSchema, clickButton, parseClick } from "./click.js";
import type { MenuClients } from "./phone-menu.js";
import { clientPlatformOf, getMenuSettings, listMenus, setClientPlatform, setMenuSettings } from "./store.js";
import { buttonsView, menuGetView } from "./views.js";

const SettingsBody = Type.Object({
  conditionalLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  privacyMode: Type.Optional(Type.Boolean()),
  strictCharset: Type.Optional(Type.Boolean()),
  clientTtlSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
});

export function addMenuRoutes(ctx: ModuleContext<"push">, clients: MenuClients): void {
  const sim = ctx.simulator;

  sim.route({
    method: "GET",
    url: "/accounts/:appid/menus",
    tag: "menu",
    summary: "The account's menus as menu/get shows them (with menuids), or { menu: null }.",
    params: Type.Object({ appid: Type.String() }),
    handler: async ({ params }) => {
      await requireAccount(ctx.db, params.appid);
      const { main, conditional } = await listMenus(ctx.db, params.appid);
      if (!main) return { menu: null };
      const view = menuGetView(main, conditional);
      return { ...view, menu: { ...view.menu, menuid: main.menuid } };
    },
  });
  sim.route({
    method: "GET",
    url: "/accounts/:appid/menu-settings",
    tag: "menu",
    summary:
      "Menu settings where WeChat is unsure: personalised-menu limit, privacy mode, charset checks, client TTL.",
    params: Type.Object({ appid: Type.String() }),
    handler: async ({ params }) => {
      await requireAccount(ctx.db, params.appid);
      return getMenuSettings(ctx.db, params.appid);
    },
  });
  sim.route({
    method: "PATCH",
    url: "/accounts/:appid/menu-settings",
    tag: "menu",
    summary: "Change menu settings (clientTtlSeconds 0 = clients always see the current menu).",
    params: Type.Object({ appid: Type.String() }),
    body: SettingsBody,
    handler: async ({ params, body }) => {
      await requireAccount(ctx.db, params.appid);
      const change = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      return setMenuSettings(ctx.db, params.appid, change);
    },
  });
  sim.route({
    method: "GET",
    url: "/users/:user/client",
    tag: "menu",
    summary: "The user's simulated client (platform: 1 iOS, 2 Android, 3 others).",
    params: Type.Object({ user: Type.String() }),
    handler: async ({ params }) => {
      await requireUser(ctx.db, params.user);
      return { platform: await clientPlatformOf(ctx.db, params.user) };
    },
  });
  sim.route({
    method: "PUT",
    url: "/users/:user/client",
    tag: "menu",
    summary: "Set the user's client platform (matched by personalised menus' client_platform_type).",
    params: Type.Object({ user: Type.String() }),
    body: Type.Object({ platform: Type.Integer({ minimum: 1, maximum: 3 }) }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      await setClientPlatform(ctx.db, params.user, body.platform);
      return { platform: body.platform };
    },
  });
  sim.route({
    method: "GET",
    url: "/users/:user/menu",
    tag: "menu",
    summary:
      "The menu the user's client shows in the account (cached for clientTtlSeconds; ?refresh=true fetches again).",
    params: Type.Object({ user: Type.String() }),
    query: Type.Object({ appid: Type.String(), refresh: Type.Optional(Type.Boolean()) }),
    handler: async ({ params, query }) => {
      await requireUser(ctx.db, params.user);
      const account = await requireAccount(ctx.db, query.appid);
      const follow = await getFollow(ctx.db, account.appid, params.user);
      const menu = await clients.menuFor(account.appid, params.user, { refresh: query.refresh === true });
      return {
        appid: account.appid,
        following: follow?.subscribed === 1,
        menuid: menu?.menuid ?? null,
        conditional: menu?.conditional ?? false,
        button: menu ? buttonsView(menu.buttons) : [],
      };
    },
  });

  const click = async (userId: string, appid: string, body: ButtonClick) => {
    await requireUser(ctx.db, userId);
    const account = await requireAccount(ctx.db, appid);
    const res = await clickButton(ctx, clients, account, userId, body);
    // pushes shown as the /messages route shows them (reply/notice always present)
    return { ...res, push: res.push && resultView(res.push), followUps: res.followUps.map(resultView) };
  };
  sim.route({
    method: "POST",
    url: "/users/:user/menu-click",
    tag: "menu",
    summary:
      "The user taps a menu button (by 0-based position, key or name); answers the push (attempts, reply) it made.",
    params: Type.Object({ user: Type.String() }),
    body: ButtonClickSchema,
    handler: ({ params, body }) => click(params.user, body.appid, body),
  });
  ctx.services.push.registerUserEvent(
    "click",
    ({ user, account, body }) => click(user.id, account.appid, parseClick(body)),
    "Tap a menu button: button (0-based position) | key | name, plus scanResult / pictures / location per type.",
  );
}
