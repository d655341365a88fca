/**
 * Images the platform serves at WeChat's CDN shape, `/mmbiz_<fmt>/<id>/0?wx_fmt=<fmt>`: those of
 * `media/uploadimg` (the only images article HTML may show, material.md §2.4) and the URLs of
 * permanent images and thumbs. URLs are built with the platform's current address; a `src` is
 * recognised by its path, whatever host it names.
 */
import type { Db } from "../../db/schema.js";
import { newUrlId } from "./ids.js";

export const IMAGE_PATH = /\/mmbiz_(jpg|png|gif|bmp)\/([A-Za-z0-9_-]{8,64})\/0(?:[?#]|$)/;

export function imageUrl(base: string, urlId: string, fmt: string): string {
  return `${base}/mmbiz_${fmt}/${urlId}/0?wx_fmt=${fmt === "jpg" ? "jpeg" : fmt}`;
}

export async function addImageUrl(
  db: Db,
  img: {
    appid: string;
    hash: string;
    contentType: string;
    fmt: string;
    origin: "uploadimg" | "material";
    now: number;
  },
): Promise<string> {
  const urlId = newUrlId();
  await db
    .insertInto("image_urls")
    .values({
      url_id: urlId,
      appid: img.appid,
      blob_hash: img.hash,
      content_type: img.contentType,
      fmt: img.fmt,
      origin: img.origin,
      created_at: img.now,
    })
    .execute();
  return urlId;
}

/** The ids among `sources` (img src values) that name images of this account. */
export async function accountImageIds(
  db: Db,
  appid: string,
  sources: readonly string[],
): Promise<Set<string>> {
  const ids = [...new Set(sources.map((s) => IMAGE_PATH.exec(s)?.[2]).filter((x): x is string => !!x))];
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("image_urls")
    .select("url_id")
    .where("appid", "=", appid)
    .where("url_id", "in", ids)
    .execute();
  return new Set(rows.map((r) => r.url_id));
}

export async function findImage(db: Db, urlId: string) {
  return db.selectFrom("image_urls").selectAll().where("url_id", "=", urlId).executeTakeFirst();
}
