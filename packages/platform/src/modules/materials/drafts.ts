/**
 * The draft box (material.md §4): article groups kept until deleted, published or mass-sent, and
 * the per-account switch of `draft/switch` (open by default: accounts of today have the box).
 */
import { type Db, parseJsonColumn } from "../../db/schema.js";
import type { World } from "../../world.js";
import type { StoredArticle } from "./articles.js";
import { newMediaId } from "./ids.js";
import type { DraftTable } from "./tables.js";

export const draftArticles = (row: DraftTable) => parseJsonColumn<StoredArticle[]>(row.articles, []);

export async function addDraft(w: World, appid: string, articles: StoredArticle[]): Promise<DraftTable> {
  const now = w.clock.now();
  const row: DraftTable = {
    media_id: newMediaId(),
    appid,
    articles: JSON.stringify(articles),
    created_at: now,
    updated_at: now,
  };
  await w.db.insertInto("drafts").values(row).execute();
  return row;
}

export async function findDraft(db: Db, appid: string, mediaId: string): Promise<DraftTable | undefined> {
  if (mediaId === "") return undefined;
  const row = await db.selectFrom("drafts").selectAll().where("media_id", "=", mediaId).executeTakeFirst();
  return row && row.appid === appid ? row : undefined;
}

export async function replaceDraftArticles(
  w: World,
  mediaId: string,
  articles: StoredArticle[],
): Promise<void> {
  await w.db
    .updateTable("drafts")
    .set({ articles: JSON.stringify(articles), updated_at: w.clock.now() })
    .where("media_id", "=", mediaId)
    .execute();
}

/** Remove a draft (deleted, published or mass-sent); answers whether it was there. */
export async function removeDraft(db: Db, appid: string, mediaId: string): Promise<boolean> {
  const r = await db
    .deleteFrom("drafts")
    .where("media_id", "=", mediaId)
    .where("appid", "=", appid)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function countDrafts(db: Db, appid: string): Promise<number> {
  const r = await db
    .selectFrom("drafts")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("appid", "=", appid)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function listDrafts(
  db: Db,
  appid: string,
  offset: number,
  count: number,
): Promise<DraftTable[]> {
  return db
    .selectFrom("drafts")
    .selectAll()
    .where("appid", "=", appid)
    .orderBy("updated_at", "desc")
    .orderBy("media_id", "desc")
    .offset(offset)
    .limit(count)
    .execute();
}

export async function draftBoxOpen(db: Db, appid: string): Promise<boolean> {
  const row = await db
    .selectFrom("material_settings")
    .select("draft_open")
    .where("appid", "=", appid)
    .executeTakeFirst();
  return row ? row.draft_open === 1 : true;
}

export async function openDraftBox(db: Db, appid: string): Promise<void> {
  await db
    .insertInto("material_settings")
    .values({ appid, draft_open: 1 })
    .onConflict((oc) => oc.column("appid").doUpdateSet({ draft_open: 1 }))
    .execute();
}
