/**
 * Permanent materials (material.md §3): files (image, voice, video, thumb) and article groups
 * (news), kept until deleted. Images and thumbs get a served URL (images.ts).
 */
import type { MediaType } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import type { World } from "../../world.js";
import type { StoredArticle } from "./articles.js";
import type { BlobStore } from "./blobs.js";
import { newMediaId } from "./ids.js";
import { addImageUrl } from "./images.js";
import type { MaterialTable } from "./tables.js";

export type PermanentType = MediaType | "news";

export interface NewPermanentFile {
  appid: string;
  type: MediaType;
  data: Buffer;
  filename: string;
  contentType: string;
  ext: string;
  meta?: Record<string, unknown>;
}

export async function addPermanentFile(
  w: World,
  blobs: BlobStore,
  m: NewPermanentFile,
): Promise<MaterialTable> {
  const hash = await blobs.put(m.data);
  const now = w.clock.now();
  return w.db.transaction().execute(async (trx) => {
    const urlId =
      m.type === "image" || m.type === "thumb"
        ? await addImageUrl(trx, {
            appid: m.appid,
            hash,
            contentType: m.contentType,
            fmt: m.ext,
            origin: "material",
            now,
          })
        : "";
    const row: MaterialTable = {
      media_id: newMediaId(),
      appid: m.appid,
      type: m.type,
      blob_hash: hash,
      size: m.data.length,
      filename: m.filename,
      content_type: m.contentType,
      ext: m.ext,
      url_id: urlId,
      meta: JSON.stringify(m.meta ?? {}),
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto("materials").values(row).execute();
    return row;
  });
}

export async function addPermanentNews(
  w: World,
  appid: string,
  articles: StoredArticle[],
): Promise<MaterialTable> {
  const now = w.clock.now();
  const row: MaterialTable = {
    media_id: newMediaId(),
    appid,
    type: "news",
    blob_hash: null,
    size: 0,
    filename: "",
    content_type: "",
    ext: "",
    url_id: "",
    meta: JSON.stringify({ articles }),
    created_at: now,
    updated_at: now,
  };
  await w.db.insertInto("materials").values(row).execute();
  return row;
}

export async function findPermanent(
  db: Db,
  appid: string,
  mediaId: string,
): Promise<MaterialTable | undefined> {
  if (mediaId === "") return undefined;
  const row = await db.selectFrom("materials").selectAll().where("media_id", "=", mediaId).executeTakeFirst();
  return row && row.appid === appid ? row : undefined;
}

/** Permanent materials of the account by kind. */
export async function countPermanent(db: Db, appid: string): Promise<Record<PermanentType, number>> {
  const rows = await db
    .selectFrom("materials")
    .select(["type", (eb) => eb.fn.countAll().as("n")])
    .where("appid", "=", appid)
    .groupBy("type")
    .execute();
  const out: Record<PermanentType, number> = { image: 0, voice: 0, video: 0, thumb: 0, news: 0 };
  for (const r of rows) out[r.type as PermanentType] = Number(r.n);
  return out;
}

/** A page of one kind, newest first (stable by id). */
export async function listPermanent(
  db: Db,
  appid: string,
  type: PermanentType,
  offset: number,
  count: number,
): Promise<MaterialTable[]> {
  return db
    .selectFrom("materials")
    .selectAll()
    .where("appid", "=", appid)
    .where("type", "=", type)
    .orderBy("updated_at", "desc")
    .orderBy("media_id", "desc")
    .offset(offset)
    .limit(count)
    .execute();
}

export async function deletePermanent(db: Db, row: MaterialTable): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("materials").where("media_id", "=", row.media_id).execute();
    if (row.url_id) await trx.deleteFrom("image_urls").where("url_id", "=", row.url_id).execute();
  });
}

export async function replaceNewsArticles(
  w: World,
  mediaId: string,
  articles: StoredArticle[],
): Promise<void> {
  await w.db
    .updateTable("materials")
    .set({ meta: JSON.stringify({ articles }), updated_at: w.clock.now() })
    .where("media_id", "=", mediaId)
    .execute();
}
