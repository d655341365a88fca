/**
 * What a user received, as a phone shows it (the simulator's "received" view): text, images (as
 * URLs of the simulator's media route), voice, video, article cards with their page URLs, cards —
 * for every kind of outgoing message (passive reply, customer service, mass, preview, template…).
 * Mass rows carry only a reference to their job; the job holds the message.
 */
import { type Db, parseJsonColumn } from "../../db/schema.js";
import type { ConversationMessage } from "../conversations/index.js";
import { newsItems, type StoredArticle } from "../materials/index.js";
import { massArticleUrl } from "./finish.js";
import type { MassMessage } from "./message.js";
import type { MassJobTable } from "./tables.js";

export interface RenderedArticle {
  title: string;
  digest: string;
  url: string;
  thumbUrl: string;
  deleted?: boolean;
}

export interface Rendered {
  text?: string;
  images?: string[];
  voice?: string;
  video?: { url: string; title: string; description: string };
  articles?: RenderedArticle[];
  card?: { cardId: string };
  /** A mass preview (only this user saw it). */
  preview?: boolean;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const str = (v: unknown) => (typeof v === "string" ? v : "");

export class Renderer {
  private readonly jobs = new Map<string, MassJobTable | null>();

  constructor(
    private readonly db: Db,
    private readonly base: string,
  ) {}

  private mediaUrl(appid: string, id: string): string {
    return `${this.base}/_mpstack/accounts/${appid}/media/${encodeURIComponent(id)}`;
  }

  async render(m: ConversationMessage): Promise<Rendered> {
    const p = obj(m.payload);
    if (m.kind === "mass" || m.kind === "mass_preview")
      return this.mass(m.appid, p, m.kind === "mass_preview");
    return this.generic(m.appid, p);
  }

  private async job(appid: string, msgId: string): Promise<MassJobTable | null> {
    const key = `${appid}\n${msgId}`;
    if (!this.jobs.has(key)) {
      const row = await this.db
        .selectFrom("mass_jobs")
        .selectAll()
        .where("appid", "=", appid)
        .where("msg_id", "=", msgId)
        .executeTakeFirst();
      this.jobs.set(key, row ?? null);
    }
    return this.jobs.get(key) ?? null;
  }

  private async mass(appid: string, p: Obj, preview: boolean): Promise<Rendered> {
    const job = await this.job(appid, str(p.msg_id));
    const m = job ? parseJsonColumn<MassMessage | null>(job.message, null) : null;
    const out: Rendered = preview ? { preview: true } : {};
    if (!job || !m) return { ...out, ...(await this.generic(appid, p)) };
    if (m.text) out.text = m.text.content;
    if (m.images) {
      out.images = m.images.media_ids.map((id) => this.mediaUrl(appid, id));
      if (m.images.recommend) out.text = m.images.recommend;
    }
    if (m.voice) out.voice = this.mediaUrl(appid, m.voice.media_id);
    if (m.mpvideo) out.video = { url: this.mediaUrl(appid, m.mpvideo.media_id), ...m.mpvideo };
    if (m.wxcard) out.card = { cardId: m.wxcard.card_id };
    if (m.mpnews) {
      const deleted = new Set(parseJsonColumn<number[]>(job.deleted, []));
      out.articles = await this.articles(
        m.mpnews.articles,
        (i) => massArticleUrl(this.base, job, i),
        deleted,
      );
    }
    return out;
  }

  private async articles(
    list: StoredArticle[],
    urlOf: (idx: number) => string,
    deleted: ReadonlySet<number>,
  ): Promise<RenderedArticle[]> {
    const items = await newsItems(this.db, this.base, list, urlOf, { noContent: true, deleted });
    return items.map((a) => ({
      title: a.title,
      digest: a.digest,
      url: a.url,
      thumbUrl: a.thumb_url,
      ...(a.is_deleted ? { deleted: true } : {}),
    }));
  }

  /** Passive replies (`Reply`), customer-service messages (`msgtype` + object), notices. */
  private async generic(appid: string, p: Obj): Promise<Rendered> {
    const type = str(p.type) || str(p.msgtype);
    const inner = obj(p[type]);
    const out: Rendered = {};
    const text = str(p.content) || str(inner.content);
    if (text) out.text = text;
    const media = str(p.mediaId) || str(inner.media_id);
    if (media && (type === "image" || type === "voice" || type === "video")) {
      const url = this.mediaUrl(appid, media);
      if (type === "image") out.images = [url];
      else if (type === "voice") out.voice = url;
      else
        out.video = {
          url,
          title: str(p.title) || str(inner.title),
          description: str(p.description) || str(inner.description),
        };
    }
    const list = Array.isArray(p.articles)
      ? p.articles
      : Array.isArray(inner.articles)
        ? inner.articles
        : null;
    if (list) {
      out.articles = list.map((a) => {
        const o = obj(a);
        return {
          title: str(o.title),
          digest: str(o.description),
          url: str(o.url),
          thumbUrl: str(o.picUrl) || str(o.picurl),
        };
      });
    }
    if (type === "wxcard") out.card = { cardId: str(inner.card_id) };
    return out;
  }
}
