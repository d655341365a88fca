/**
 * From a conversation message (as the platform stores it: the user's pushes with WeChat's field
 * names, passive replies in the protocol's Reply shape, customer-service / mass messages in the
 * API's `msgtype` shape, notices) to what the phone draws. Pure and extensible: an area whose
 * messages look different registers a normalizer (`registerMessageView`) tried before the built-in
 * ones, e.g. template cards or mass-send receipts.
 */
import type { ConversationMessage } from "../api/types.js";

export interface Article {
  title: string;
  description: string;
  picUrl: string;
  url: string;
}

export type MessageView =
  | { type: "text"; text: string }
  | { type: "image"; url: string | null; mediaId: string }
  | { type: "voice"; url: string | null; mediaId: string; format: string; recognition: string }
  | { type: "video"; title: string; description: string; mediaId: string; url: string | null }
  | { type: "music"; title: string; description: string; url: string }
  | { type: "news"; articles: Article[] }
  | { type: "mpnews"; title: string; id: string }
  | { type: "card"; title: string; fields: [string, string][]; url: string }
  | { type: "choices"; head: string; options: { id: string; content: string }[]; tail: string }
  | { type: "location"; latitude: number; longitude: number; label: string; scale: number }
  | { type: "link"; title: string; description: string; url: string }
  | { type: "event"; text: string }
  | { type: "notice"; text: string }
  | { type: "unknown"; json: string };

export interface DrawnMessage {
  id: string;
  /** `user`: right (the simulated user); `account`: left; `center`: events and notices. */
  side: "user" | "account" | "center";
  kind: string;
  msgType: string;
  time: number;
  view: MessageView;
}

type Rec = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v) || 0);
const rec = (v: unknown): Rec => (v && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});

/** Bytes behind a media id the platform can serve (user uploads), or null. Areas may replace it. */
let mediaUrl = (mediaId: string): string | null =>
  mediaId ? `/_mpstack/user-media/${encodeURIComponent(mediaId)}` : null;

export function setMediaUrlResolver(fn: (mediaId: string) => string | null): void {
  mediaUrl = fn;
}

export type Normalizer = (m: ConversationMessage) => MessageView | null;
const extra: Normalizer[] = [];

export function registerMessageView(fn: Normalizer): void {
  extra.push(fn);
}

function eventText(p: Rec): string {
  const e = str(p.Event);
  const key = str(p.EventKey);
  switch (e) {
    case "subscribe":
      return key ? `subscribe · ${key}` : "subscribe";
    case "LOCATION":
      return `LOCATION · ${num(p.Latitude).toFixed(4)}, ${num(p.Longitude).toFixed(4)}`;
    case "scancode_push":
    case "scancode_waitmsg":
      return `${e} · ${key} · ${str(rec(p.ScanCodeInfo).ScanResult)}`;
    case "location_select":
      return `${e} · ${key} · ${str(rec(p.SendLocationInfo).Label)}`;
    case "pic_sysphoto":
    case "pic_photo_or_album":
    case "pic_weixin":
      return `${e} · ${key} · ${num(rec(p.SendPicsInfo).Count)}`;
    default:
      return key ? `${e} · ${key}` : e;
  }
}

/** The user's own message (WeChat push fields). */
function userView(msgType: string, p: Rec): MessageView {
  switch (msgType) {
    case "text":
      return { type: "text", text: str(p.Content) };
    case "image":
      return { type: "image", url: str(p.PicUrl) || mediaUrl(str(p.MediaId)), mediaId: str(p.MediaId) };
    case "voice":
      return {
        type: "voice",
        url: mediaUrl(str(p.MediaId)),
        mediaId: str(p.MediaId),
        format: str(p.Format),
        recognition: str(p.Recognition),
      };
    case "video":
    case "shortvideo":
      return {
        type: "video",
        title: msgType,
        description: "",
        mediaId: str(p.MediaId),
        url: mediaUrl(str(p.MediaId)),
      };
    case "location":
      return {
        type: "location",
        latitude: num(p.Location_X),
        longitude: num(p.Location_Y),
        label: str(p.Label),
        scale: num(p.Scale),
      };
    case "link":
      return { type: "link", title: str(p.Title), description: str(p.Description), url: str(p.Url) };
    default:
      return { type: "unknown", json: JSON.stringify(p) };
  }
}

function articlesOf(list: unknown): Article[] {
  return (Array.isArray(list) ? list : []).map((a) => {
    const r = rec(a);
    return {
      title: str(r.title ?? r.Title),
      description: str(r.description ?? r.Description ?? r.digest),
      picUrl: str(r.picUrl ?? r.picurl ?? r.PicUrl ?? r.thumb_url),
      url: str(r.url ?? r.Url),
    };
  });
}

/** What the account sent: a passive Reply (`type`), or an API message (`msgtype` + its object). */
function accountView(msgType: string, p: Rec): MessageView {
  const t = str(p.type) || str(p.msgtype) || msgType;
  const body = rec(p[t]);
  const mediaId = str(p.mediaId ?? body.media_id);
  switch (t) {
    case "text":
      return { type: "text", text: str(p.content ?? body.content) };
    case "image":
      return { type: "image", url: mediaUrl(mediaId), mediaId };
    case "voice":
      return { type: "voice", url: mediaUrl(mediaId), mediaId, format: "", recognition: "" };
    case "video":
      return {
        type: "video",
        title: str(p.title ?? body.title),
        description: str(p.description ?? body.description),
        mediaId,
        url: mediaUrl(mediaId),
      };
    case "music":
      return {
        type: "music",
        title: str(p.title ?? body.title),
        description: str(p.description ?? body.description),
        url: str(p.musicUrl ?? body.musicurl ?? p.hqMusicUrl ?? body.hqmusicurl),
      };
    case "news":
      return { type: "news", articles: articlesOf(p.articles ?? body.articles) };
    case "mpnews":
    case "material":
      return { type: "mpnews", title: "mpnews", id: mediaId || str(p.media_id) };
    case "mpnewsarticle":
    case "article":
      return { type: "mpnews", title: "article", id: str(body.article_id ?? p.article_id) };
    case "msgmenu":
      return {
        type: "choices",
        head: str(body.head_content),
        options: (Array.isArray(body.list) ? body.list : []).map((o) => ({
          id: str(rec(o).id),
          content: str(rec(o).content),
        })),
        tail: str(body.tail_content),
      };
    case "wxcard":
      return { type: "card", title: "wxcard", fields: [["card_id", str(body.card_id)]], url: "" };
    case "miniprogrampage":
      return {
        type: "card",
        title: str(body.title) || "miniprogram",
        fields: [
          ["appid", str(body.appid)],
          ["pagepath", str(body.pagepath)],
        ],
        url: "",
      };
    case "transfer_customer_service":
      return { type: "notice", text: "transfer_customer_service" };
    default:
      if (p.template_id !== undefined || t === "template") {
        const data = rec(p.data);
        return {
          type: "card",
          title: str(p.title) || str(p.template_id),
          fields: Object.entries(data).map(([k, v]) => [k, str(rec(v).value ?? v)]),
          url: str(p.url),
        };
      }
      return { type: "unknown", json: JSON.stringify(p) };
  }
}

export function drawMessage(m: ConversationMessage): DrawnMessage {
  const p = rec(m.payload);
  const base = { id: m.id, kind: String(m.kind), msgType: m.msgType, time: m.createdAt };
  for (const fn of extra) {
    const view = fn(m);
    if (view) return { ...base, side: m.direction === "in" ? "user" : "account", view };
  }
  if (m.kind === "system" || m.msgType === "notice")
    return { ...base, side: "center", view: { type: "notice", text: str(p.content) } };
  if (m.msgType === "event" || m.kind === "event")
    return { ...base, side: "center", view: { type: "event", text: eventText(p) } };
  if (m.direction === "in") return { ...base, side: "user", view: userView(m.msgType, p) };
  return { ...base, side: "account", view: accountView(m.msgType, p) };
}
