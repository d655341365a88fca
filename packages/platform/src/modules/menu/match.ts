/**
 * Which menu a user sees (menu.md §6.4): personalised menus from the newest to the oldest, the
 * first whose every non-empty rule field matches wins, else the default menu. Used by
 * menu/trymatch and by the simulated client.
 */
import type { Db } from "../../db/schema.js";
import { tagsOfUser } from "../follower-tags/index.js";
import { getUser } from "../simulated-users/index.js";
import { clientPlatformOf, listMenus, type Menu, type MenuSettings } from "./store.js";
import { type MatchRule, PRIVACY_FIELDS } from "./validate.js";

/** What a rule is matched against. */
export interface MatchSubject {
  /** The tag added last, if any (menu.md §6.4 rule 3). */
  lastTag: number | null;
  clientPlatform: number;
  sex: number;
  country: string;
  province: string;
  city: string;
  language: string;
}

export async function matchSubject(db: Db, appid: string, userId: string): Promise<MatchSubject> {
  const [user, tags, clientPlatform] = await Promise.all([
    getUser(db, userId),
    tagsOfUser(db, appid, userId),
    clientPlatformOf(db, userId),
  ]);
  return {
    lastTag: tags.at(-1) ?? null,
    clientPlatform,
    sex: user?.sex ?? 0,
    country: user?.country ?? "",
    province: user?.province ?? "",
    city: user?.city ?? "",
    language: user?.language ?? "",
  };
}

export function ruleMatches(rule: MatchRule, s: MatchSubject, privacyMode: boolean): boolean {
  // Privacy change: rules using sex/region/language silently stop matching.
  if (privacyMode && PRIVACY_FIELDS.some((k) => rule[k] !== undefined)) return false;
  if (rule.tag_id !== undefined && String(s.lastTag ?? "") !== rule.tag_id) return false;
  if (rule.client_platform_type !== undefined && String(s.clientPlatform) !== rule.client_platform_type)
    return false;
  if (rule.sex !== undefined && String(s.sex) !== rule.sex) return false;
  if (rule.country !== undefined && s.country !== rule.country) return false;
  if (rule.province !== undefined && s.province !== rule.province) return false;
  if (rule.city !== undefined && s.city !== rule.city) return false;
  if (rule.language !== undefined && s.language !== rule.language) return false;
  return true;
}

/** The menu this user sees in this account, or null when the account has no menu. */
export async function resolveMenu(
  db: Db,
  appid: string,
  userId: string,
  settings: MenuSettings,
): Promise<Menu | null> {
  const { main, conditional } = await listMenus(db, appid);
  if (!main) return null;
  if (conditional.length === 0) return main;
  const subject = await matchSubject(db, appid, userId);
  for (const m of [...conditional].reverse()) {
    if (m.matchrule && ruleMatches(m.matchrule, subject, settings.privacyMode)) return m;
  }
  return main;
}
