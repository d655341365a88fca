/**
 * Stored menu buttons, narrowly typed by `type` (the catalog's schema types `type` as a plain
 * string for the key types, which does not narrow). Leaves hold only the fields their type uses.
 */
import type { MENU_KEY_BUTTON_TYPES } from "@mpstack/protocol";

export type KeyButtonType = (typeof MENU_KEY_BUTTON_TYPES)[number];

export type Leaf =
  | { type: KeyButtonType; name: string; key: string }
  | { type: "view"; name: string; url: string }
  | { type: "media_id" | "view_limited"; name: string; media_id: string }
  | { type: "article_id" | "article_view_limited"; name: string; article_id: string }
  | { type: "miniprogram"; name: string; url: string; appid: string; pagepath: string };

export interface Parent {
  name: string;
  sub_button: Leaf[];
}

export type Button = Leaf | Parent;

export function isLeaf(b: Button): b is Leaf {
  return "type" in b;
}
