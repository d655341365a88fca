/**
 * Passive replies (被动回复, callback.md §6): building them (SDK) and judging them (platform). Parsing
 * tolerates what the platform tolerates — an XML declaration, layout whitespace, CDATA or escaped text,
 * any element order, unknown extra elements such as `FuncFlag` — and rejects what it cannot deliver.
 */
import { parseXml, type XmlLimits, type XmlRecord, type XmlValue } from "../xml.js";
import { buildXml, type XmlBuildRecord } from "../xml-build.js";

export interface TextReply {
  type: "text";
  /** Newlines are shown as line breaks. May be empty (what the platform does with that is its call). */
  content: string;
}

export interface ImageReply {
  type: "image";
  mediaId: string;
}

export interface VoiceReply {
  type: "voice";
  mediaId: string;
}

export interface VideoReply {
  type: "video";
  mediaId: string;
  title?: string;
  description?: string;
}

export interface MusicReply {
  type: "music";
  thumbMediaId: string;
  title?: string;
  description?: string;
  musicUrl?: string;
  /** Preferred by the client on Wi-Fi. */
  hqMusicUrl?: string;
}

export interface NewsArticle {
  title: string;
  description: string;
  picUrl: string;
  url: string;
}

export interface NewsReply {
  type: "news";
  articles: NewsArticle[];
}

export interface TransferCustomerServiceReply {
  type: "transfer_customer_service";
  /** Target one customer-service account (`prefix@account`); absent = any agent. */
  kfAccount?: string;
}

export type Reply =
  | TextReply
  | ImageReply
  | VoiceReply
  | VideoReply
  | MusicReply
  | NewsReply
  | TransferCustomerServiceReply;

export type ReplyType = Reply["type"];

export interface ReplyEnvelope {
  /** The user's OpenID (the push's `FromUserName`). */
  toUserName: string;
  /** The account's original id (the push's `ToUserName`). */
  fromUserName: string;
  createTime: number;
}

/**
 * News article limits over time (callback.md §6.2). The current rule is 1 article when the push was a
 * message the user sent and 8 otherwise; the oldest docs allowed 10. The platform picks per push.
 */
export const NEWS_ARTICLE_LIMITS = { userMessage: 1, other: 8, legacy: 10 } as const;

export interface ReplyRules {
  /** Most articles a news reply may carry; default `NEWS_ARTICLE_LIMITS.other` (8). */
  maxArticles?: number;
}

export type ReplyErrorCode = "UnknownMsgType" | "MissingField" | "InvalidField" | "ArticleCount";

/** The reply is well-formed XML but not a reply the platform can deliver. */
export class ReplyError extends Error {
  constructor(
    readonly code: ReplyErrorCode,
    message: string,
    /** The element at fault, as a path such as `Articles.item[2].Title`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "ReplyError";
  }
}

/** `success` (the 7 bytes) or an empty body: nothing is sent to the user and no retry follows. */
export function isEmptyReply(body: string): boolean {
  // Exact bytes, as documented; anything else (even "success\n") is judged as a reply.
  return body === "" || body === "success";
}

export function buildReplyXml(reply: Reply, env: ReplyEnvelope, rules?: ReplyRules): string {
  checkReply(reply, rules);
  const head: XmlBuildRecord = {
    ToUserName: env.toUserName,
    FromUserName: env.fromUserName,
    CreateTime: env.createTime,
    MsgType: reply.type,
  };
  return buildXml({ ...head, ...replyBody(reply) });
}

function replyBody(reply: Reply): XmlBuildRecord {
  switch (reply.type) {
    case "text":
      return { Content: reply.content };
    case "image":
      return { Image: { MediaId: reply.mediaId } };
    case "voice":
      return { Voice: { MediaId: reply.mediaId } };
    case "video":
      return { Video: { MediaId: reply.mediaId, Title: reply.title, Description: reply.description } };
    case "music":
      return {
        Music: {
          Title: reply.title,
          Description: reply.description,
          MusicUrl: reply.musicUrl,
          HQMusicUrl: reply.hqMusicUrl,
          ThumbMediaId: reply.thumbMediaId,
        },
      };
    case "news":
      return {
        ArticleCount: reply.articles.length,
        Articles: {
          item: reply.articles.map((a) => ({
            Title: a.title,
            Description: a.description,
            PicUrl: a.picUrl,
            Url: a.url,
          })),
        },
      };
    case "transfer_customer_service":
      return reply.kfAccount === undefined ? {} : { TransInfo: { KfAccount: reply.kfAccount } };
  }
}

/**
 * Reads and validates a developer's reply as the platform must. Throws `XmlError` when the body is not
 * safe, well-formed XML and `ReplyError` when it is not a deliverable reply. Check `isEmptyReply` first.
 */
export function parseReplyXml(
  xml: string | Uint8Array,
  rules?: ReplyRules & XmlLimits,
): { toUserName: string; fromUserName: string; createTime: number; reply: Reply } {
  const record = parseXml(xml, rules);
  const toUserName = requiredText(record, "ToUserName");
  const fromUserName = requiredText(record, "FromUserName");
  const createTimeText = requiredText(record, "CreateTime").trim();
  const createTime = /^\d+$/.test(createTimeText) ? Number(createTimeText) : Number.NaN;
  if (!Number.isSafeInteger(createTime)) {
    throw new ReplyError("InvalidField", "CreateTime must be a non-negative integer", "CreateTime");
  }
  const msgType = requiredText(record, "MsgType").trim();
  const reply = readBody(record, msgType);
  checkReply(reply, rules);
  return { toUserName, fromUserName, createTime, reply };
}

function readBody(record: XmlRecord, msgType: string): Reply {
  switch (msgType) {
    case "text":
      return { type: "text", content: requiredText(record, "Content") };
    case "image":
      return { type: "image", mediaId: requiredText(child(record, "Image"), "MediaId", "Image.") };
    case "voice":
      return { type: "voice", mediaId: requiredText(child(record, "Voice"), "MediaId", "Voice.") };
    case "video": {
      const video = child(record, "Video");
      return withOptional(
        { type: "video", mediaId: requiredText(video, "MediaId", "Video.") },
        {
          title: optionalText(video, "Title", "Video."),
          description: optionalText(video, "Description", "Video."),
        },
      );
    }
    case "music": {
      const music = child(record, "Music");
      return withOptional(
        { type: "music", thumbMediaId: requiredText(music, "ThumbMediaId", "Music.") },
        {
          title: optionalText(music, "Title", "Music."),
          description: optionalText(music, "Description", "Music."),
          musicUrl: optionalText(music, "MusicUrl", "Music."),
          hqMusicUrl: optionalText(music, "HQMusicUrl", "Music."),
        },
      );
    }
    case "news":
      return readNews(record);
    case "transfer_customer_service": {
      if (!Object.hasOwn(record, "TransInfo")) return { type: "transfer_customer_service" };
      const kfAccount = optionalText(child(record, "TransInfo"), "KfAccount", "TransInfo.");
      return withOptional({ type: "transfer_customer_service" }, { kfAccount });
    }
    default:
      throw new ReplyError("UnknownMsgType", `unknown reply MsgType "${msgType.slice(0, 40)}"`, "MsgType");
  }
}

function readNews(record: XmlRecord): NewsReply {
  const countText = requiredText(record, "ArticleCount").trim();
  const count = /^\d+$/.test(countText) ? Number(countText) : Number.NaN;
  if (!Number.isSafeInteger(count)) {
    throw new ReplyError("InvalidField", "ArticleCount must be an integer", "ArticleCount");
  }
  const items = child(record, "Articles").item;
  const list: XmlValue[] = items === undefined ? [] : Array.isArray(items) ? items : [items];
  const articles = list.map((item, i): NewsArticle => {
    const path = `Articles.item[${i}]`;
    const prefix = `${path}.`;
    const fields = asRecord(item, path);
    return {
      title: requiredText(fields, "Title", prefix),
      description: requiredText(fields, "Description", prefix),
      picUrl: requiredText(fields, "PicUrl", prefix),
      url: requiredText(fields, "Url", prefix),
    };
  });
  if (count !== articles.length) {
    throw new ReplyError(
      "ArticleCount",
      `ArticleCount is ${count} but Articles holds ${articles.length} item(s)`,
      "ArticleCount",
    );
  }
  return { type: "news", articles };
}

/** Rules shared by building and judging: required ids present, article count within limits. */
function checkReply(reply: Reply, rules: ReplyRules | undefined): void {
  switch (reply.type) {
    case "image":
    case "voice":
    case "video":
      if (reply.mediaId.trim() === "") throw new ReplyError("MissingField", "MediaId is empty", "MediaId");
      return;
    case "music":
      if (reply.thumbMediaId.trim() === "") {
        throw new ReplyError("MissingField", "ThumbMediaId is empty", "ThumbMediaId");
      }
      return;
    case "news": {
      const max = rules?.maxArticles ?? NEWS_ARTICLE_LIMITS.other;
      const n = reply.articles.length;
      if (n < 1 || n > max) {
        throw new ReplyError(
          "ArticleCount",
          `a news reply carries 1 to ${max} articles, not ${n}`,
          "ArticleCount",
        );
      }
      return;
    }
    default:
      return;
  }
}

function child(record: XmlRecord, name: string): XmlRecord {
  const value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (value === undefined) throw new ReplyError("MissingField", `${name} is missing`, name);
  return asRecord(value, name);
}

function asRecord(value: XmlValue, path: string): XmlRecord {
  if (Array.isArray(value)) throw new ReplyError("InvalidField", `${path} appears more than once`, path);
  if (typeof value === "string") {
    if (value.trim() === "") return {};
    throw new ReplyError("InvalidField", `${path} must contain elements, not text`, path);
  }
  return value;
}

function optionalText(record: XmlRecord, name: string, prefix = ""): string | undefined {
  const value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    const problem = Array.isArray(value) ? "appears more than once" : "must be text";
    throw new ReplyError("InvalidField", `${prefix}${name} ${problem}`, `${prefix}${name}`);
  }
  return value;
}

function requiredText(record: XmlRecord, name: string, prefix = ""): string {
  const value = optionalText(record, name, prefix);
  if (value === undefined)
    throw new ReplyError("MissingField", `${prefix}${name} is missing`, `${prefix}${name}`);
  return value;
}

/** Adds the optional fields that are present, so parsed replies have no `undefined` keys. */
function withOptional<T extends Reply>(base: T, optional: Partial<Record<string, string | undefined>>): T {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) out[key] = value;
  return out as T;
}
