/** The WeChat menu endpoints (menu.md §3–§7). */
import { catalog, ErrorCode } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import type { ParseContext } from "../../http/api.js";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { RESERVED_TAG_IDS, tagExists } from "../follower-tags/index.js";
import { findByOpenid, getFollow, getUser } from "../simulated-users/index.js";
import { resolveMenu } from "./match.js";
import {
  addConditionalMenu,
  deleteAllMenus,
  deleteConditionalMenu,
  getMenuSettings,
  listMenus,
  replaceDefaultMenu,
} from "./store.js";
import { checkCharset, validateButtons, validateMatchRule } from "./validate.js";
import { buttonsView, menuGetView, selfMenuView } from "./views.js";

/** Personalised menus: verified accounts only; an unverified service account gets 65306 (menu.md §10). */
function requireConditionalSupport(account: Account): void {
  if (!account.verified) throw new WechatApiError(ErrorCode.ConditionalMenuNotSupported);
}

export function implementMenuApi(ctx: ModuleContext): void {
  ctx.implement(
    catalog.menu.create,
    async (body, { account, rawBody }) => {
      const settings = await getMenuSettings(ctx.db, account.appid);
      if (settings.strictCharset) checkCharset(rawBody);
      return validateButtons(body.button, { verified: account.verified });
    },
    async (call) => {
      await replaceDefaultMenu(ctx, call.account.appid, call.input);
      return ok();
    },
  );

  ctx.implement(catalog.menu.get, async (call) => {
    const { main, conditional } = await listMenus(ctx.db, call.account.appid);
    if (!main) throw new WechatApiError(ErrorCode.MenuNoExist);
    return menuGetView(main, conditional);
  });

  ctx.implement(catalog.menu.delete, async (call) => {
    // Deleting when nothing exists succeeds (menu.md §5, emulator choice).
    await deleteAllMenus(ctx, call.account.appid);
    return ok();
  });

  ctx.implement(catalog.menu.addConditional, parseConditional, async (call) => {
    const { buttons, rule, settings } = call.input;
    const menu = await addConditionalMenu(ctx, call.account.appid, buttons, rule, settings);
    // The documented example answers the id as a string, without errcode.
    return { menuid: String(menu.menuid) };
  });

  /** addconditional's checks in WeChat's order (menu.md §6). */
  async function parseConditional(body: Record<string, unknown>, { account, rawBody }: ParseContext) {
    requireConditionalSupport(account);
    const settings = await getMenuSettings(ctx.db, account.appid);
    if (settings.strictCharset) checkCharset(rawBody);
    if (body.button === undefined || body.button === null)
      throw new WechatApiError(ErrorCode.ConditionalMenuEmpty);
    const { main } = await listMenus(ctx.db, account.appid);
    if (!main) throw new WechatApiError(ErrorCode.NoSelfMenu);
    const rule = await validateMatchRule(body.matchrule, {
      privacyMode: settings.privacyMode,
      // Every system tag id counts as existing (menu.md §6.3).
      tagExists: async (id) => RESERVED_TAG_IDS.includes(id) || tagExists(ctx.db, account.appid, id),
    });
    const buttons = validateButtons(body.button, {
      verified: account.verified,
      malformedUrlCode: ErrorCode.ContainInvalidUrl,
    });
    return { buttons, rule, settings };
  }

  ctx.implement(catalog.menu.deleteConditional, async (call) => {
    requireConditionalSupport(call.account);
    const raw = String(call.input.menuid).trim();
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(id) || !(await deleteConditionalMenu(ctx, call.account.appid, id)))
      throw new WechatApiError(ErrorCode.NotConditionalMenu);
    return ok();
  });

  ctx.implement(catalog.menu.tryMatch, async (call) => {
    const account = call.account;
    requireConditionalSupport(account);
    // user_id: an OpenID of this account, or a WeChat ID (the simulated user's id).
    const byOpenid = await findByOpenid(ctx.db, account.appid, call.input.user_id);
    const follow =
      byOpenid ??
      ((await getUser(ctx.db, call.input.user_id))
        ? await getFollow(ctx.db, account.appid, call.input.user_id)
        : null);
    if (follow === null) throw new WechatApiError(ErrorCode.NoSuchUser);
    if (follow?.subscribed !== 1) throw new WechatApiError(ErrorCode.NotFans);
    const settings = await getMenuSettings(ctx.db, account.appid);
    const menu = await resolveMenu(ctx.db, account.appid, follow.user_id, settings);
    if (!menu) throw new WechatApiError(ErrorCode.MenuNoExist);
    return { button: buttonsView(menu.buttons) };
  });

  ctx.implement(catalog.menu.getCurrentSelfMenuInfo, async (call) => {
    const { main } = await listMenus(ctx.db, call.account.appid);
    return selfMenuView(main);
  });
}
