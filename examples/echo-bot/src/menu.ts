/** The demo menu, created through the API client at startup (one button of most types). */
import type { MenuButton } from "@mpstack/protocol";
import { WechatApiError, type WechatClient } from "@mpstack/sdk";

/** Menu keys the bot answers (see routes.ts). */
export const MENU_KEYS = {
  hello: "ECHO_HELLO",
  news: "ECHO_NEWS",
  scan: "ECHO_SCAN",
  photo: "ECHO_PHOTO",
  place: "ECHO_PLACE",
} as const;

export const DEMO_MENU: MenuButton[] = [
  { type: "click", name: "Hello", key: MENU_KEYS.hello },
  {
    name: "Try",
    sub_button: [
      { type: "click", name: "News", key: MENU_KEYS.news },
      { type: "scancode_waitmsg", name: "Scan a code", key: MENU_KEYS.scan },
      { type: "pic_photo_or_album", name: "Send a photo", key: MENU_KEYS.photo },
      { type: "location_select", name: "Share a place", key: MENU_KEYS.place },
    ],
  },
  { type: "view", name: "Docs", url: "https://mpstack.example.com/docs" },
];

/** What happened to one account's menu at startup. */
export type MenuOutcome = { created: true } | { created: false; errcode: number | null; reason: string };

/**
 * Creates the demo menu. Unverified subscription accounts may not use the menu API (48001): that
 * is reported, not thrown, so one account without the permission does not stop the bot.
 */
export async function installMenu(client: Pick<WechatClient, "menu">): Promise<MenuOutcome> {
  try {
    await client.menu.create({ button: DEMO_MENU });
    return { created: true };
  } catch (error) {
    if (error instanceof WechatApiError)
      return { created: false, errcode: error.errcode, reason: error.message };
    return { created: false, errcode: null, reason: error instanceof Error ? error.message : String(error) };
  }
}
