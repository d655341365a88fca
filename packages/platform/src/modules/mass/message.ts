/**
 * The message of a mass send (mass-send.md §4): its type and object are checked first (40008,
 * 47001, 44004, 48008 — before the recipients), its media once the recipients are known (40007,
 * 48013), WeChat's order. The result is the message as the job keeps it: media resolved, an
 * article group copied (a draft leaves the box after the send; its pages must stay).
 */
import { ErrorCode, MASS_MESSAGE_TYPES, type MassMessageType } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import {
  draftArticles,
  findDraft,
  findPermanent,
  findTemporary,
  metaOf,
  type StoredArticle,
} from "../materials/index.js";

export interface MassMessage {
  msgtype: MassMessageType;
  text?: { content: string };
  mpnews?: { media_id: string; from: "draft" | "news" | "uploadnews"; articles: StoredArticle[] };
  voice?: { media_id: string };
  images?: {
    media_ids: string[];
    recommend: string;
    need_open_comment: number;
    only_fans_can_comment: number;
  };
  mpvideo?: { media_id: string; title: string; description: string };
  wxcard?: { card_id: string; card_ext?: unknown };
}

/** Most images in one image post, and of its recommendation text (emulator choice, §4). */
const MAX_IMAGES = 20;
const MAX_RECOMMEND_CHARS = 300;

type Obj = Record<string, unknown>;
const fail = (code: number): never => {
  throw new WechatApiError(code);
};
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : "");
const flag = (v: unknown) => (v === 1 || v === "1" ? 1 : 0);

/** Step 1: type and object, unresolved (media ids not looked up yet). */
export function messageShape(body: Obj, account: Account): MassMessage {
  const raw = body.msgtype === "video" ? "mpvideo" : body.msgtype;
  if (typeof raw !== "string" || !(MASS_MESSAGE_TYPES as readonly string[]).includes(raw))
    fail(ErrorCode.InvalidMessageType);
  const msgtype = raw as MassMessageType;
  switch (msgtype) {
    case "text": {
      const o = isObj(body.text) ? body.text : fail(ErrorCode.DataFormatError);
      if (typeof o.content !== "string") fail(ErrorCode.DataFormatError);
      if (o.content === "") fail(ErrorCode.EmptyContent);
      return { msgtype, text: { content: str(o.content) } };
    }
    case "mpnews":
    case "voice": {
      const o = isObj(body[msgtype]) ? (body[msgtype] as Obj) : fail(ErrorCode.DataFormatError);
      return { msgtype, [msgtype]: { media_id: str(o.media_id) } };
    }
    case "image": {
      if (isObj(body.images)) {
        const o = body.images;
        if (!Array.isArray(o.media_ids) || o.media_ids.length === 0 || o.media_ids.length > MAX_IMAGES)
          fail(ErrorCode.DataFormatError);
        const recommend = str(o.recommend);
        if ([...recommend].length > MAX_RECOMMEND_CHARS) fail(ErrorCode.ContentSizeOutOfLimit);
        return {
          msgtype,
          images: {
            media_ids: (o.media_ids as unknown[]).map(str),
            recommend,
            need_open_comment: flag(o.need_open_comment),
            only_fans_can_comment: flag(o.only_fans_can_comment),
          },
        };
      }
      const one = isObj(body.image) ? body.image : fail(ErrorCode.DataFormatError);
      return {
        msgtype,
        images: {
          media_ids: [str(one.media_id)],
          recommend: "",
          need_open_comment: 0,
          only_fans_can_comment: 0,
        },
      };
    }
    case "mpvideo": {
      const o = isObj(body.mpvideo)
        ? body.mpvideo
        : isObj(body.video)
          ? body.video
          : fail(ErrorCode.DataFormatError);
      return { msgtype, mpvideo: { media_id: str(o.media_id), title: "", description: "" } };
    }
    case "wxcard": {
      const o = isObj(body.wxcard) ? body.wxcard : fail(ErrorCode.DataFormatError);
      if (str(o.card_id) === "") fail(ErrorCode.InvalidCardId);
      if (!account.grants.includes("card")) fail(ErrorCode.NoPermissionForMessageType);
      return {
        msgtype,
        wxcard: { card_id: str(o.card_id), ...(o.card_ext !== undefined ? { card_ext: o.card_ext } : {}) },
      };
    }
  }
}

async function fileMedia(db: Db, appid: string, id: string, type: string, now: number): Promise<boolean> {
  const t = await findTemporary(db, appid, id, now);
  if (t) return t.type === type;
  return (await findPermanent(db, appid, id))?.type === type;
}

/** Step 2: look the media up (40007 unknown or of another kind; 48013 a video not from uploadvideo). */
export async function resolveMedia(db: Db, appid: string, m: MassMessage, now: number): Promise<MassMessage> {
  const invalid = () => fail(ErrorCode.InvalidMediaId);
  if (m.mpnews) {
    const id = m.mpnews.media_id;
    const draft = await findDraft(db, appid, id);
    if (draft) return { ...m, mpnews: { media_id: id, from: "draft", articles: draftArticles(draft) } };
    const temp = await findTemporary(db, appid, id, now);
    const perm = temp ? undefined : await findPermanent(db, appid, id);
    const row = temp?.type === "news" ? temp : perm?.type === "news" ? perm : invalid();
    const articles = metaOf<{ articles: StoredArticle[] }>(row, { articles: [] }).articles;
    return { ...m, mpnews: { media_id: id, from: temp ? "uploadnews" : "news", articles } };
  }
  if (m.voice && !(await fileMedia(db, appid, m.voice.media_id, "voice", now))) invalid();
  if (m.images) {
    for (const id of m.images.media_ids) if (!(await fileMedia(db, appid, id, "image", now))) invalid();
  }
  if (m.mpvideo) {
    const id = m.mpvideo.media_id;
    const temp = await findTemporary(db, appid, id, now);
    if (temp?.type === "video") fail(ErrorCode.VideoNotForMassSend);
    if (temp?.type === "mpvideo") {
      const d = metaOf(temp, { title: "", description: "" });
      return { ...m, mpvideo: { media_id: id, title: d.title, description: d.description } };
    }
    const perm = temp ? undefined : await findPermanent(db, appid, id);
    if (perm?.type !== "video") return invalid();
    const d = metaOf(perm, { title: "", introduction: "" });
    return { ...m, mpvideo: { media_id: id, title: d.title, description: d.introduction } };
  }
  return m;
}

/** What each recipient's conversation row carries (compact: the job holds the rest). */
export function rowPayload(m: MassMessage, msgId: string, msgDataId: string | null): Record<string, unknown> {
  const base = { msg_id: msgId };
  switch (m.msgtype) {
    case "text":
      return { ...base, content: m.text?.content ?? "" };
    case "mpnews":
      return {
        ...base,
        msg_data_id: msgDataId,
        media_id: m.mpnews?.media_id,
        count: m.mpnews?.articles.length ?? 0,
        title: m.mpnews?.articles[0]?.title ?? "",
      };
    case "voice":
      return { ...base, media_id: m.voice?.media_id };
    case "image":
      return { ...base, media_ids: m.images?.media_ids ?? [], recommend: m.images?.recommend ?? "" };
    case "mpvideo":
      return {
        ...base,
        media_id: m.mpvideo?.media_id,
        title: m.mpvideo?.title,
        description: m.mpvideo?.description,
      };
    case "wxcard":
      return { ...base, card_id: m.wxcard?.card_id };
  }
}

/** The canonical text of the message's content, for the digest key of §10. */
export function contentKey(m: MassMessage): string {
  const { mpnews, ...rest } = m;
  return JSON.stringify(mpnews ? { ...rest, mpnews: mpnews.media_id } : rest);
}
