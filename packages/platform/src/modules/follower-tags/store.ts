/**
 * User tags (users.md §3): the account's custom tags, the system tag 2 星标组, and which users carry
 * which tags. A tag's `count` and the users of a tag cover current followers only (unfollowing keeps
 * the user's tags, but they leave the counts — users.md §10.1, emulator choice).
 */
import { ErrorCode, isXmlText } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import { nextCounter } from "./counters.js";
import type { KnownOpenid } from "./openids.js";

/** System tags 0 未分组, 1 黑名单, 2 星标组: never renamed or deleted (45058). */
export const RESERVED_TAG_IDS: readonly number[] = [0, 1, 2];
/**
 * The system tags tags/get lists (users.md §3: list 2 星标组, never 0 or 1 — emulator choice) and a
 * user may carry.
 */
export const LISTED_SYSTEM_TAGS: readonly { id: number; name: string }[] = [{ id: 2, name: "星标组" }];
export const MAX_CUSTOM_TAGS = 100;
export const MAX_TAGS_PER_USER = 20;
export const MAX_TAG_NAME_BYTES = 30;
/** Openids per batchtagging/batchuntagging call. */
export const MAX_TAG_BATCH = 50;
/** A tag with more fans than this cannot be deleted (45057). */
export const MAX_FANS_TO_DELETE = 100_000;
/** user/tag/get page size (undocumented; emulator choice: as user/get). */
export const TAG_USERS_PAGE = 10_000;

export interface TagView {
  id: number;
  name: string;
  count: number;
}

const fail = (code: number): never => {
  throw new WechatApiError(code);
};

/** Fan counts of the account's tags (followers only), by tag id. */
async function fanCounts(db: Db, appid: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("user_tag_members as m")
    .innerJoin("follows as f", "f.openid", "m.openid")
    .select(["m.tag_id", (eb) => eb.fn.countAll().as("n")])
    .where("m.appid", "=", appid)
    .where("f.subscribed", "=", 1)
    .groupBy("m.tag_id")
    .execute();
  return new Map(rows.map((r) => [Number(r.tag_id), Number(r.n)]));
}

export async function countFans(db: Db, appid: string, tagId: number): Promise<number> {
  const r = await db
    .selectFrom("user_tag_members as m")
    .innerJoin("follows as f", "f.openid", "m.openid")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("m.appid", "=", appid)
    .where("m.tag_id", "=", tagId)
    .where("f.subscribed", "=", 1)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** tags/get: system tag 2, then the custom tags, by id. */
export async function listTags(db: Db, appid: string): Promise<TagView[]> {
  const [custom, counts] = await Promise.all([
    db
      .selectFrom("user_tags")
      .select(["tag_id", "name"])
      .where("appid", "=", appid)
      .orderBy("tag_id")
      .execute(),
    fanCounts(db, appid),
  ]);
  return [...LISTED_SYSTEM_TAGS, ...custom.map((t) => ({ id: Number(t.tag_id), name: t.name }))].map((t) => ({
    ...t,
    count: counts.get(t.id) ?? 0,
  }));
}

/** Does the account have this tag (a custom one or a listed system tag)? */
export async function tagExists(db: Db, appid: string, tagId: number): Promise<boolean> {
  if (LISTED_SYSTEM_TAGS.some((t) => t.id === tagId)) return true;
  const r = await db
    .selectFrom("user_tags")
    .select("tag_id")
    .where("appid", "=", appid)
    .where("tag_id", "=", tagId)
    .executeTakeFirst();
  return r !== undefined;
}

async function requireCustomTag(db: Db, appid: string, tagId: number): Promise<void> {
  if (RESERVED_TAG_IDS.includes(tagId)) fail(ErrorCode.CannotModifySysTag);
  if (!(await tagExists(db, appid, tagId))) fail(ErrorCode.InvalidTagId);
}

/**
 * 45158 over 30 UTF-8 bytes; 45157 when empty, not valid text (NUL, control characters, a lone
 * surrogate: WeChat refuses invalid text) or taken by another tag (system names included).
 */
async function checkTagName(db: Db, appid: string, name: string, self?: number): Promise<void> {
  if (Buffer.byteLength(name, "utf8") > MAX_TAG_NAME_BYTES) fail(ErrorCode.TagNameTooLong);
  if (name.trim() === "" || !isXmlText(name)) fail(ErrorCode.InvalidTagName);
  if (LISTED_SYSTEM_TAGS.some((t) => t.name === name)) fail(ErrorCode.InvalidTagName);
  const taken = await db
    .selectFrom("user_tags")
    .select("tag_id")
    .where("appid", "=", appid)
    .where("name", "=", name)
    .executeTakeFirst();
  if (taken && Number(taken.tag_id) !== self) fail(ErrorCode.InvalidTagName);
}

/** A unique-index violation (concurrent create/rename with one name) is the same 45157. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === "23505" || (typeof e?.message === "string" && e.message.includes("UNIQUE constraint"));
}

export async function createTag(
  w: World,
  appid: string,
  name: string,
): Promise<{ id: number; name: string }> {
  await checkTagName(w.db, appid, name);
  try {
    return await w.db.transaction().execute(async (trx) => {
      const n = await trx
        .selectFrom("user_tags")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("appid", "=", appid)
        .executeTakeFirst();
      if (Number(n?.n ?? 0) >= MAX_CUSTOM_TAGS) fail(ErrorCode.TooManyTags);
      const id = await nextCounter(trx, appid, "next_tag_id");
      await trx
        .insertInto("user_tags")
        .values({ appid, tag_id: id, name, created_at: w.clock.now() })
        .execute();
      return { id, name };
    });
  } catch (err) {
    if (isUniqueViolation(err)) fail(ErrorCode.InvalidTagName);
    throw err;
  }
}

export async function renameTag(w: World, appid: string, tagId: number, name: string): Promise<void> {
  await requireCustomTag(w.db, appid, tagId);
  await checkTagName(w.db, appid, name, tagId);
  try {
    await w.db
      .updateTable("user_tags")
      .set({ name })
      .where("appid", "=", appid)
      .where("tag_id", "=", tagId)
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) fail(ErrorCode.InvalidTagName);
    throw err;
  }
}

/** Delete a tag and take it off every user (refused above 100 000 fans: untag some first). */
export async function deleteTag(w: World, appid: string, tagId: number): Promise<void> {
  await requireCustomTag(w.db, appid, tagId);
  if ((await countFans(w.db, appid, tagId)) > MAX_FANS_TO_DELETE) fail(ErrorCode.TagHasTooManyFans);
  await w.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("user_tag_members").where("appid", "=", appid).where("tag_id", "=", tagId).execute();
    await trx.deleteFrom("user_tags").where("appid", "=", appid).where("tag_id", "=", tagId).execute();
  });
}

/** batchtagging: all or nothing; idempotent for users who already carry the tag. */
export async function tagUsers(
  w: World,
  appid: string,
  tagId: number,
  users: readonly KnownOpenid[],
): Promise<void> {
  const openids = users.map((u) => u.openid);
  await w.db.transaction().execute(async (trx) => {
    const carried = await trx
      .selectFrom("user_tag_members")
      .select(["openid", "tag_id"])
      .where("appid", "=", appid)
      .where("openid", "in", openids)
      .execute();
    const has = new Set(carried.filter((c) => Number(c.tag_id) === tagId).map((c) => c.openid));
    const toAdd = openids.filter((o) => !has.has(o));
    if (toAdd.length === 0) return;
    const counts = new Map<string, number>();
    for (const c of carried) counts.set(c.openid, (counts.get(c.openid) ?? 0) + 1);
    if (toAdd.some((o) => (counts.get(o) ?? 0) >= MAX_TAGS_PER_USER)) fail(ErrorCode.TooManyTagsOnUser);
    const seq = await nextCounter(trx, appid, "next_member_seq", toAdd.length);
    const now = w.clock.now();
    await trx
      .insertInto("user_tag_members")
      .values(toAdd.map((openid, i) => ({ appid, tag_id: tagId, openid, seq: seq + i, tagged_at: now })))
      .execute();
  });
}

export async function untagUsers(
  w: World,
  appid: string,
  tagId: number,
  users: readonly KnownOpenid[],
): Promise<void> {
  await w.db
    .deleteFrom("user_tag_members")
    .where("appid", "=", appid)
    .where("tag_id", "=", tagId)
    .where(
      "openid",
      "in",
      users.map((u) => u.openid),
    )
    .execute();
}

/** The tag ids one OpenID carries, oldest tagging first. */
export async function tagsOfOpenid(db: Db, appid: string, openid: string): Promise<number[]> {
  const rows = await db
    .selectFrom("user_tag_members")
    .select("tag_id")
    .where("appid", "=", appid)
    .where("openid", "=", openid)
    .orderBy("seq")
    .execute();
  return rows.map((r) => Number(r.tag_id));
}

/** The same by simulated user id (the menu module's matching). */
export async function tagsOfUser(db: Db, appid: string, userId: string): Promise<number[]> {
  const rows = await db
    .selectFrom("user_tag_members as m")
    .innerJoin("follows as f", "f.openid", "m.openid")
    .select("m.tag_id")
    .where("f.appid", "=", appid)
    .where("f.user_id", "=", userId)
    .where("m.appid", "=", appid)
    .orderBy("m.seq")
    .execute();
  return rows.map((r) => Number(r.tag_id));
}

/** A page of a tag's users (followers), in OpenID order, after `after`. */
export async function tagMembers(
  db: Db,
  appid: string,
  tagId: number,
  after: string,
  limit = TAG_USERS_PAGE,
): Promise<string[]> {
  let q = db
    .selectFrom("user_tag_members as m")
    .innerJoin("follows as f", "f.openid", "m.openid")
    .select("m.openid")
    .where("m.appid", "=", appid)
    .where("m.tag_id", "=", tagId)
    .where("f.subscribed", "=", 1);
  if (after !== "") q = q.where("m.openid", ">", after);
  const rows = await q.orderBy("m.openid").limit(limit).execute();
  return rows.map((r) => r.openid);
}
