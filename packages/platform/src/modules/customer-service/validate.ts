/**
 * custom/send bodies, checked in WeChat's order with WeChat's codes (customer-service.md §3): the
 * catalog's schema alone would answer 47001 for all of them. The result is the catalog's typed
 * message, checked against that schema last.
 */
import { type catalog, ErrorCode, type RequestOf } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { WechatApiError } from "../../http/errors.js";
import type { CustomerServicePolicy } from "./policy.js";

export type CustomMessage = RequestOf<typeof catalog.message.sendCustom>;
export type CustomMsgType = CustomMessage["msgtype"];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message without its recipient: what the conversation keeps. */
export type CustomMessageContent = DistributiveOmit<CustomMessage, "touser">;

type Obj = Record<string, unknown>;

const fail = (code: number): never => {
  throw new WechatApiError(code);
};
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A required string field: absent → `missing`, not a string → 47001. */
function need(o: Obj, key: string, missing: number = ErrorCode.DataFormatError): string {
  const v = o[key];
  if (v === undefined || v === null) return fail(missing);
  if (typeof v !== "string") return fail(ErrorCode.DataFormatError);
  return v;
}
/** An optional string field: not a string → 47001. */
function opt(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") return fail(ErrorCode.DataFormatError);
  return v;
}
/** A media id: absent or empty → 41006 `media_id missing`. */
function mediaId(o: Obj, key: string): string {
  const v = need(o, key, ErrorCode.MediaIdMissing);
  if (v === "") fail(ErrorCode.MediaIdMissing);
  return v;
}
const withOptional = <T extends Obj>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const MINI_PROGRAM_APPID = /^wx[0-9a-f]{16}$/;

function checkMiniProgram(appid: string, policy: CustomerServicePolicy): void {
  const linked =
    policy.linkedMiniPrograms === "any"
      ? MINI_PROGRAM_APPID.test(appid)
      : policy.linkedMiniPrograms.includes(appid);
  if (!linked) fail(ErrorCode.InvalidMiniProgramAppIdAttribute);
}

/** A link inside text `content` (§3.1): a web link, a Mini Program link, or a menu-style link. */
export interface TextLink {
  text: string;
  href: string;
  miniprogram?: { appid: string; path: string };
  /** `weixin://bizmsgmenu?msgmenucontent=…&msgmenuid=…`: behaves like a msgmenu option. */
  menu?: { id: string; content: string };
}

const ANCHOR = /<a\s([^>]*)>([\s\S]*?)<\/a>/gi;
const ATTRIBUTE = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The anchors of a text message, for the simulated client; Mini Program links must be linked (45086). */
export function textLinks(content: string, policy: CustomerServicePolicy): TextLink[] {
  const links: TextLink[] = [];
  for (const [, attrText = "", text = ""] of content.matchAll(ANCHOR)) {
    const attrs = new Map<string, string>();
    for (const [, name = "", dq, sq] of attrText.matchAll(ATTRIBUTE))
      attrs.set(name.toLowerCase(), dq ?? sq ?? "");
    const href = attrs.get("href") ?? "";
    const link: TextLink = { text, href };
    const appid = attrs.get("data-miniprogram-appid");
    if (appid !== undefined) {
      checkMiniProgram(appid, policy);
      link.miniprogram = { appid, path: attrs.get("data-miniprogram-path") ?? "" };
    }
    if (href.startsWith("weixin://bizmsgmenu")) {
      const q = new URLSearchParams(href.slice(href.indexOf("?") + 1));
      link.menu = { id: q.get("msgmenuid") ?? "", content: q.get("msgmenucontent") ?? text };
    }
    links.push(link);
  }
  return links;
}

/** The codes WeChat gives a missing type object (§3 "A missing object"). */
function missingObjectCode(msgtype: CustomMsgType): number {
  if (msgtype === "text") return ErrorCode.EmptyContent;
  if (msgtype === "image" || msgtype === "voice" || msgtype === "video" || msgtype === "mpnews")
    return ErrorCode.MediaIdMissing;
  return ErrorCode.DataFormatError;
}

const isCustomMsgType = (t: string, known: readonly string[]): t is CustomMsgType => known.includes(t);

/**
 * The body's message, or the WeChat error. Order: msgtype (40008), account type for msgmenu (40200),
 * the type's object and fields, `customservice`. `touser` is checked by the caller (40003/45015).
 */
export function validateMessage(
  body: Obj,
  account: Account,
  policy: CustomerServicePolicy,
  known: readonly string[],
): { message: CustomMessageContent; links: TextLink[] } {
  const msgtype = body.msgtype;
  // `link` is Mini-Program only and `mpvideo` mass-send only: both 40008 (§3.4, §3.9).
  if (typeof msgtype !== "string" || !isCustomMsgType(msgtype, known))
    return fail(ErrorCode.InvalidMessageType);
  if (msgtype === "msgmenu" && !mayUseMsgMenu(account, policy)) fail(ErrorCode.InvalidAccountType);
  const raw = body[msgtype];
  if (raw === undefined || raw === null) return fail(missingObjectCode(msgtype));
  if (!isObj(raw)) return fail(ErrorCode.DataFormatError);
  const customservice = customServiceOf(body.customservice);
  let links: TextLink[] = [];
  const typed = ((): DistributiveOmit<CustomMessage, "touser" | "customservice"> => {
    switch (msgtype) {
      case "text": {
        const content = need(raw, "content", ErrorCode.EmptyContent);
        if (content.trim() === "") fail(ErrorCode.EmptyContent);
        if (policy.textMaxBytes > 0 && Buffer.byteLength(content) > policy.textMaxBytes)
          fail(ErrorCode.ContentSizeOutOfLimit);
        links = textLinks(content, policy);
        return { msgtype, text: { content } };
      }
      case "image":
        return { msgtype, image: { media_id: mediaId(raw, "media_id") } };
      case "voice":
        return { msgtype, voice: { media_id: mediaId(raw, "media_id") } };
      case "video":
        return {
          msgtype,
          video: withOptional({
            media_id: mediaId(raw, "media_id"),
            thumb_media_id: opt(raw, "thumb_media_id"),
            title: opt(raw, "title"),
            description: opt(raw, "description"),
          }),
        };
      case "music":
        return {
          msgtype,
          music: withOptional({
            title: opt(raw, "title"),
            description: opt(raw, "description"),
            musicurl: need(raw, "musicurl"),
            hqmusicurl: need(raw, "hqmusicurl"),
            thumb_media_id: mediaId(raw, "thumb_media_id"),
          }),
        };
      case "news":
        return { msgtype, news: { articles: newsArticles(raw, policy) } };
      case "mpnews":
        return { msgtype, mpnews: { media_id: mediaId(raw, "media_id") } };
      case "mpnewsarticle": {
        const articleId = need(raw, "article_id");
        if (articleId === "") fail(ErrorCode.DataFormatError);
        return { msgtype, mpnewsarticle: { article_id: articleId } };
      }
      case "wxcard": {
        const cardId = need(raw, "card_id");
        if (cardId === "") fail(ErrorCode.InvalidCardId);
        const ext = raw.card_ext;
        if (ext !== undefined && typeof ext !== "string" && !isObj(ext)) fail(ErrorCode.DataFormatError);
        return {
          msgtype,
          wxcard: withOptional({ card_id: cardId, card_ext: ext as string | Obj | undefined }),
        };
      }
      case "msgmenu":
        return { msgtype, msgmenu: msgMenu(raw, policy) };
      case "miniprogrampage": {
        const page = {
          title: need(raw, "title"),
          appid: need(raw, "appid"),
          pagepath: need(raw, "pagepath"),
          thumb_media_id: mediaId(raw, "thumb_media_id"),
        };
        // An unlinked Mini Program: undocumented, 45086 like text links (§3.12, emulator decision).
        checkMiniProgram(page.appid, policy);
        return { msgtype, miniprogrampage: page };
      }
    }
  })();
  return {
    message: { ...typed, ...(customservice ? { customservice } : {}) } as CustomMessageContent,
    links,
  };
}

export function mayUseMsgMenu(account: Account, policy: CustomerServicePolicy): boolean {
  switch (policy.msgmenuAccounts) {
    case "any":
      return true;
    case "verified":
      return account.verified;
    case "verified_service":
      return account.verified && account.type === "service";
  }
}

function customServiceOf(v: unknown): { kf_account: string } | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) return fail(ErrorCode.DataFormatError);
  const kf = opt(v, "kf_account");
  // `{}` or an empty kf_account: sent as the account itself.
  return kf ? { kf_account: kf } : undefined;
}

function newsArticles(raw: Obj, policy: CustomerServicePolicy) {
  const list = raw.articles;
  // An object instead of an array: a real server said 45162; the spec picks 47001 (§3.6).
  if (!Array.isArray(list)) return fail(ErrorCode.DataFormatError);
  if (list.length === 0) fail(ErrorCode.EmptyNewsData);
  if (list.length > policy.newsArticles) fail(ErrorCode.ArticleSizeOutOfLimit);
  return list.map((a: unknown) => {
    if (!isObj(a)) return fail(ErrorCode.DataFormatError);
    return withOptional({
      title: opt(a, "title"),
      description: opt(a, "description"),
      url: opt(a, "url"),
      picurl: opt(a, "picurl"),
    });
  });
}

function msgMenu(raw: Obj, policy: CustomerServicePolicy) {
  const list = raw.list;
  if (!Array.isArray(list) || list.length === 0) return fail(ErrorCode.DataFormatError);
  if (list.length > policy.msgmenuMaxItems) fail(ErrorCode.MsgMenuListSizeOutOfLimit);
  const items = list.map((item: unknown) => {
    if (!isObj(item)) return fail(ErrorCode.DataFormatError);
    const id = need(item, "id");
    const content = need(item, "content");
    if ([...content].length > policy.msgmenuItemMaxChars) fail(ErrorCode.MsgMenuItemContentSizeOutOfLimit);
    return { id, content };
  });
  return withOptional({
    head_content: opt(raw, "head_content"),
    list: items,
    tail_content: opt(raw, "tail_content"),
  });
}
