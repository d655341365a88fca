/**
 * Interface operations (spec/jssdk.md §5.8): the top-right menu and its items, and closing the
 * page. The bridge keeps and draws the menu's state; the platform checks the items (only
 * "propagation" and "protection" items can be hidden, 附录3) and records each change.
 */
import type { BridgeHandler } from "../apis.js";
import { fail, ok } from "../apis.js";

export const BASIC_ITEMS = [
  "menuItem:exposeArticle",
  "menuItem:setFont",
  "menuItem:dayMode",
  "menuItem:nightMode",
  "menuItem:refresh",
  "menuItem:profile",
  "menuItem:addContact",
];
export const PROPAGATION_ITEMS = [
  "menuItem:share:appMessage",
  "menuItem:share:timeline",
  "menuItem:share:qq",
  "menuItem:share:weiboApp",
  "menuItem:favorite",
  "menuItem:share:facebook",
  "menuItem:share:QZone",
];
export const PROTECTION_ITEMS = [
  "menuItem:editTag",
  "menuItem:delete",
  "menuItem:copyUrl",
  "menuItem:originPage",
  "menuItem:readMode",
  "menuItem:openWithQQBrowser",
  "menuItem:openWithSafari",
  "menuItem:share:email",
  "menuItem:share:brand",
];
const HIDEABLE = new Set([...PROPAGATION_ITEMS, ...PROTECTION_ITEMS]);

export function uiHandlers(): Record<string, BridgeHandler> {
  const items =
    (hide: boolean): BridgeHandler =>
    async (call) => {
      const list = call.args.menuList;
      if (!Array.isArray(list)) return { result: fail(call.name, "menuList is not an array") };
      // Basic items and unknown names are ignored, as the client does.
      const chosen = list.filter((x): x is string => typeof x === "string" && HIDEABLE.has(x));
      return { result: ok(call.name), directive: { kind: "menu", [hide ? "hide" : "show"]: chosen } };
    };
  const all =
    (hide: boolean): BridgeHandler =>
    async (call) => ({
      result: ok(call.name),
      directive: { kind: "menu", [hide ? "hide" : "show"]: [...HIDEABLE] },
    });
  const optionMenu =
    (visible: boolean): BridgeHandler =>
    async (call) => ({ result: ok(call.name), directive: { kind: "optionMenu", visible } });
  return {
    hideMenuItems: items(true),
    showMenuItems: items(false),
    hideAllNonBaseMenuItem: all(true),
    showAllNonBaseMenuItem: all(false),
    hideOptionMenu: optionMenu(false),
    showOptionMenu: optionMenu(true),
    closeWindow: async (call) => ({ result: ok(call.name), directive: { kind: "close" } }),
  };
}
