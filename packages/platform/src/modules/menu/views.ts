/** The JSON shapes WeChat answers with (menu.md §4, §6.3, §7). */
import type { Menu } from "./store.js";
import { type Button, isLeaf } from "./types.js";
import type { MatchRule } from "./validate.js";

/** menu/get and trymatch shape: every button carries `sub_button`, `[]` for leaves. */
export function buttonsView(buttons: Button[]) {
  return buttons.map((b) =>
    isLeaf(b)
      ? { ...b, sub_button: [] }
      : { name: b.name, sub_button: b.sub_button.map((s) => ({ ...s, sub_button: [] })) },
  );
}

/** A matchrule as menu/get reports it: `tag_id` under its legacy name `group_id`, values as strings. */
export function ruleView(rule: MatchRule): Record<string, string> {
  const { tag_id, ...rest } = rule;
  const out: Record<string, string> = {};
  if (tag_id !== undefined) out.group_id = tag_id;
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
  return out;
}

/** menu/get: `menu.menuid` only appears when personalised menus exist. */
export function menuGetView(main: Menu, conditional: Menu[]) {
  if (conditional.length === 0) return { menu: { button: buttonsView(main.buttons) } };
  return {
    menu: { button: buttonsView(main.buttons), menuid: main.menuid },
    conditionalmenu: conditional.map((m) => ({
      button: buttonsView(m.buttons),
      matchrule: ruleView(m.matchrule ?? {}),
      menuid: m.menuid,
    })),
  };
}

/** get_current_selfmenu_info: sub-menus wrapped as `sub_button: { list: [...] }`, no empty `sub_button`. */
export function selfMenuView(main: Menu | null) {
  if (!main) return { is_menu_open: 0 };
  return {
    is_menu_open: 1,
    selfmenu_info: {
      button: main.buttons.map((b) =>
        isLeaf(b) ? { ...b } : { name: b.name, sub_button: { list: b.sub_button } },
      ),
    },
  };
}
