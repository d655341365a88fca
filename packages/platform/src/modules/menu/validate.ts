/**
 * menu.md §2.2: the validation WeChat runs on menu buttons, in its order, each failure with its own
 * code. Runs on the raw JSON (the catalog's schema only types the buttons; its generic 47001 would
 * hide these codes). Returns the buttons normalised to the fields each type uses.
 */
import { ErrorCode, MENU_BUTTON_TYPES, MENU_KEY_BUTTON_TYPES, type MenuButtonType } from "@mpstack/protocol";
import { WechatApiError } from "../../http/errors.js";
import { type Button, isLeaf, type KeyButtonType, type Leaf } from "./types.js";

const KEY_TYPES = new Set<string>(MENU_KEY_BUTTON_TYPES);
const ALL_TYPES = new Set<string>(MENU_BUTTON_TYPES);

const TOP_NAME_BYTES = 16;
const SUB_NAME_BYTES = 60;
const KEY_BYTES = 128;
const URL_BYTES = 1024;

/** Codes of the two levels (menu.md §2.2 step 3). */
interface LevelCodes {
  name: number;
  typeMissing: number;
  typeUnknown: number;
  key: number;
  urlSize: number;
  urlDomain: number;
}

const TOP: LevelCodes = {
  name: ErrorCode.InvalidButtonNameSize,
  typeMissing: ErrorCode.EmptyButtonAct,
  typeUnknown: ErrorCode.InvalidButtonType,
  key: ErrorCode.InvalidButtonKeySize,
  urlSize: ErrorCode.InvalidButtonUrlSize,
  urlDomain: ErrorCode.InvalidButtonUrlDomain,
};

const SUB: LevelCodes = {
  name: ErrorCode.InvalidSubButtonNameSize,
  typeMissing: ErrorCode.InvalidSubButtonType,
  typeUnknown: ErrorCode.InvalidSubButtonType,
  key: ErrorCode.InvalidSubButtonKeySize,
  urlSize: ErrorCode.InvalidSubButtonUrlSize,
  urlDomain: ErrorCode.InvalidSubButtonUrlDomain,
};

export interface ButtonCheckOptions {
  /** The account is verified (miniprogram buttons need it: menu.md §2 "only verified accounts"). */
  verified: boolean;
  /**
   * Code for a URL that has an http(s) scheme but does not parse. menu/create answers the level's
   * domain code; addconditional answers 65317 `contain invalid url` (menu.md §6.1).
   */
  malformedUrlCode?: number;
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const fail = (code: number): never => {
  throw new WechatApiError(code);
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A non-empty string, else undefined. */
function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** 40033 / 65318 (menu.md conventions): raw UTF-8 only, no `\uXXXX` escapes. */
export function checkCharset(raw: Buffer | undefined): void {
  if (!raw) return;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    fail(ErrorCode.MustUseUtf8);
  }
  // An escape is a backslash preceded by an even number of backslashes, then `u` and 4 hex digits.
  if (/(?<!\\)(?:\\\\)*\\u[0-9a-fA-F]{4}/.test(raw.toString("utf8"))) fail(40033);
}

function checkUrl(v: unknown, codes: LevelCodes, opts: ButtonCheckOptions): string {
  const url = str(v);
  if (url === undefined || bytes(url) > URL_BYTES) return fail(codes.urlSize);
  if (!/^https?:\/\//i.test(url)) return fail(codes.urlDomain);
  try {
    const parsed = new URL(url);
    if (parsed.hostname === "") throw new Error("no host");
  } catch {
    fail(opts.malformedUrlCode ?? codes.urlDomain);
  }
  return url;
}

/** A leaf button (either level): type, key/url, type-specific fields. */
function checkLeaf(
  b: Record<string, unknown>,
  name: string,
  codes: LevelCodes,
  opts: ButtonCheckOptions,
): Leaf {
  const type = b.type;
  if (type === undefined || type === null || type === "") return fail(codes.typeMissing);
  if (typeof type !== "string" || !ALL_TYPES.has(type)) return fail(codes.typeUnknown);
  const t = type as MenuButtonType;
  if (KEY_TYPES.has(t)) {
    const key = str(b.key);
    if (key === undefined || bytes(key) > KEY_BYTES) return fail(codes.key);
    return { type: t as KeyButtonType, name, key };
  }
  switch (t) {
    case "view":
      return { type: t, name, url: checkUrl(b.url, codes, opts) };
    case "miniprogram": {
      const url = checkUrl(b.url, codes, opts);
      const appid = str(b.appid);
      const pagepath = str(b.pagepath);
      if (appid === undefined || pagepath === undefined) return fail(ErrorCode.InvalidArgs);
      if (!/^wx[0-9a-f]{16}$/.test(appid)) return fail(ErrorCode.InvalidWeappAppId);
      // Mini Program links are not modelled: a verified account may use any well-formed appid.
      if (!opts.verified) return fail(45064);
      return { type: t, name, url, appid, pagepath };
    }
    case "media_id":
    case "view_limited": {
      // Materials live in another module; an id is accepted when it is present (gap: no existence check).
      const mediaId = str(b.media_id);
      if (mediaId === undefined) return fail(ErrorCode.InvalidMediaId);
      return { type: t, name, media_id: mediaId };
    }
    case "article_id":
    case "article_view_limited": {
      const articleId = str(b.article_id);
      if (articleId === undefined) return fail(ErrorCode.InvalidArticleId);
      return { type: t, name, article_id: articleId };
    }
    default:
      return fail(codes.typeUnknown);
  }
}

function checkSub(raw: unknown, opts: ButtonCheckOptions): Leaf {
  const b = isRecord(raw) ? raw : {};
  const name = b.name;
  if (typeof name !== "string" || name === "" || bytes(name) > SUB_NAME_BYTES) return fail(SUB.name);
  if (b.sub_button !== undefined && !(Array.isArray(b.sub_button) && b.sub_button.length === 0))
    return fail(ErrorCode.InvalidSubMenuLevel);
  return checkLeaf(b, name, SUB, opts);
}

function checkTop(raw: unknown, opts: ButtonCheckOptions): Button {
  if (!isRecord(raw)) return fail(ErrorCode.InvalidButtonSize);
  const name = raw.name;
  if (typeof name !== "string" || name === "" || bytes(name) > TOP_NAME_BYTES) return fail(TOP.name);
  const children = raw.sub_button;
  if (children !== undefined && !Array.isArray(children)) return fail(ErrorCode.InvalidButtonSize);
  if (Array.isArray(children) && children.length > 0) {
    // A parent that also carries `type`: the type is ignored (menu.md §2.2 step 5, emulator choice).
    if (children.length > 5) return fail(ErrorCode.InvalidSubButtonSize);
    return { name, sub_button: children.map((c) => checkSub(c, opts)) };
  }
  return checkLeaf(raw, name, TOP, opts);
}

/** Validate `button` of a menu body (menu.md §2.2 steps 2–5); returns the normalised buttons. */
export function validateButtons(button: unknown, opts: ButtonCheckOptions): Button[] {
  if (!Array.isArray(button) || button.length === 0 || button.length > 3) fail(ErrorCode.InvalidButtonSize);
  return (button as unknown[]).map((b) => checkTop(b, opts));
}

/** Every leaf of a menu, with its position (`[top]` or `[top, sub]`). */
export function leavesOf(buttons: Button[]): { path: number[]; button: Leaf }[] {
  const out: { path: number[]; button: Leaf }[] = [];
  buttons.forEach((b, i) => {
    if (isLeaf(b)) out.push({ path: [i], button: b });
    else
      b.sub_button.forEach((s, j) => {
        out.push({ path: [i, j], button: s });
      });
  });
  return out;
}

/** The hosts the menu's `view` buttons open (for the 3-domain rule of personalised menus, 65316). */
export function viewDomains(buttons: Button[]): string[] {
  const hosts = new Set<string>();
  for (const { button } of leavesOf(buttons)) {
    if (button.type === "view") hosts.add(new URL(button.url).hostname.toLowerCase());
  }
  return [...hosts];
}

// ---- matchrule ----------------------------------------------------------------------------------

/** A personalised menu's rule as stored: non-empty fields only, values as strings. */
export interface MatchRule {
  tag_id?: string;
  client_platform_type?: string;
  sex?: string;
  country?: string;
  province?: string;
  city?: string;
  language?: string;
}

export const PRIVACY_FIELDS = ["sex", "country", "province", "city", "language"] as const;

const LANGUAGES = new Set(
  "zh_CN zh_TW zh_HK en id ms es ko it ja pl pt ru th vi ar hi he tr de fr".split(" "),
);

function ruleValue(v: unknown): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "string" && v.trim() !== "") return v.trim();
  return undefined;
}

export interface RuleCheckOptions {
  /** The 2025 privacy rules: sex/region/language refused with 65320. */
  privacyMode: boolean;
  /** Does this tag exist in the account? (45159 when not.) */
  tagExists(tagId: number): Promise<boolean>;
}

/** Validate a matchrule (menu.md §6.1); returns it normalised (`group_id` read as `tag_id`). */
export async function validateMatchRule(raw: unknown, opts: RuleCheckOptions): Promise<MatchRule> {
  const r = isRecord(raw) ? raw : {};
  const rule: MatchRule = {};
  const tag = ruleValue(r.tag_id) ?? ruleValue(r.group_id);
  if (tag !== undefined) rule.tag_id = tag;
  for (const k of ["client_platform_type", ...PRIVACY_FIELDS] as const) {
    const v = ruleValue(r[k]);
    if (v !== undefined) rule[k] = v;
  }
  if (Object.keys(rule).length === 0) fail(ErrorCode.MatchRuleEmpty);
  if (PRIVACY_FIELDS.some((k) => rule[k] !== undefined)) {
    if (opts.privacyMode) fail(65320);
    // Legacy (pre-privacy) checks, top-down. Region names are not checked against a region table.
    if ((rule.province !== undefined || rule.city !== undefined) && rule.country === undefined)
      fail(ErrorCode.CountryEmpty);
    if (rule.city !== undefined && rule.province === undefined) fail(ErrorCode.ProvinceEmpty);
    if (rule.sex !== undefined && rule.sex !== "1" && rule.sex !== "2") fail(ErrorCode.InvalidArgs);
    if (rule.language !== undefined && !LANGUAGES.has(rule.language)) fail(ErrorCode.InvalidArgs);
  }
  if (rule.client_platform_type !== undefined && !["1", "2", "3"].includes(rule.client_platform_type))
    fail(ErrorCode.InvalidArgs);
  if (rule.tag_id !== undefined) {
    const id = /^\d+$/.test(rule.tag_id) ? Number(rule.tag_id) : Number.NaN;
    if (!Number.isSafeInteger(id) || !(await opts.tagExists(id))) fail(45159);
  }
  return rule;
}
