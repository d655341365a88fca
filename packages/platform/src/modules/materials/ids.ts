/**
 * Identifiers of this module, shaped like WeChat's: media ids of 64 URL-safe characters (material.md
 * §0.4; SDKs never parse them), image URL ids, 43-character article ids and 10-digit publish ids,
 * plus the slugs of article page URLs (`/s/<slug>`), which say where the article lives.
 */
import { randomBytes, randomInt } from "node:crypto";

const urlSafe = (bytes: number) => randomBytes(bytes).toString("base64url");

/** A temporary or permanent media id, a draft id (64 characters). */
export const newMediaId = () => urlSafe(48);

/** The id in a served image URL. */
export const newUrlId = () => urlSafe(24);

/** A published article group's id (43 characters, like WeChat's). */
export const newArticleId = () => urlSafe(32);

/** A 10-digit job id (publish_id, msg_data_id), in the range WeChat's values show. */
export const newDataId = () => String(randomInt(2_247_483_649, 4_294_967_295));

/**
 * Where an article page's content comes from: `n` permanent news, `d` draft (preview), `p`
 * published group, `m` a mass send (resolved by the mass module).
 */
export interface ArticleRef {
  source: string;
  appid: string;
  id: string;
  /** 1-based position in the group. */
  idx: number;
}

export function articleSlug(ref: ArticleRef): string {
  return Buffer.from(`${ref.source}.${ref.appid}.${ref.id}.${ref.idx}`).toString("base64url");
}

export function parseArticleSlug(slug: string): ArticleRef | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(slug)) return null;
  const parts = Buffer.from(slug, "base64url").toString("utf8").split(".");
  if (parts.length !== 4) return null;
  const [source = "", appid = "", id = "", idx = ""] = parts;
  const n = Number(idx);
  if (!/^[a-z]$/.test(source) || !Number.isInteger(n) || n < 1) return null;
  return { source, appid, id, idx: n };
}

/** The article a page URL (`…/s/<slug>`) shows, or null when it is no such URL. */
export function parseArticleRef(url: string): ArticleRef | null {
  const m = /\/s\/([A-Za-z0-9_-]{1,400})(?:[?#]|$)/.exec(url);
  return m?.[1] ? parseArticleSlug(m[1]) : null;
}
