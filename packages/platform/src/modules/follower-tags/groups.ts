/**
 * The legacy groups API (users.md §4): one group per user (`follows.groupid`, which user/info still
 * reports), reserved groups 0 未分组 / 1 黑名单 / 2 星标组, custom groups from id 100. Groups are kept
 * apart from tags, as the spec says; group 1 is only a label here (the blacklist is its own API).
 */
import { ErrorCode, isXmlText } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import { setFollowNotes } from "../simulated-users/index.js";
import { nextCounter } from "./counters.js";
import type { KnownOpenid } from "./openids.js";

export const SYSTEM_GROUPS: readonly { id: number; name: string }[] = [
  { id: 0, name: "未分组" },
  { id: 1, name: "黑名单" },
  { id: 2, name: "星标组" },
];
/** Old docs: 100 groups per account (SDK-observed). */
export const MAX_CUSTOM_GROUPS = 100;
/** "name ≤ 30 chars" — characters here (the old page), unlike tags' bytes. */
export const MAX_GROUP_NAME_CHARS = 30;
export const MAX_GROUP_BATCH = 50;

const fail = (code: number): never => {
  throw new WechatApiError(code);
};
const isSystem = (id: number) => SYSTEM_GROUPS.some((g) => g.id === id);

export async function listGroups(
  db: Db,
  appid: string,
): Promise<{ id: number; name: string; count: number }[]> {
  const [custom, counts] = await Promise.all([
    db
      .selectFrom("user_groups")
      .select(["group_id", "name"])
      .where("appid", "=", appid)
      .orderBy("group_id")
      .execute(),
    db
      .selectFrom("follows")
      .select(["groupid", (eb) => eb.fn.countAll().as("n")])
      .where("appid", "=", appid)
      .where("subscribed", "=", 1)
      .groupBy("groupid")
      .execute(),
  ]);
  const byId = new Map(counts.map((c) => [Number(c.groupid), Number(c.n)]));
  return [...SYSTEM_GROUPS, ...custom.map((g) => ({ id: Number(g.group_id), name: g.name }))].map((g) => ({
    ...g,
    count: byId.get(g.id) ?? 0,
  }));
}

async function groupExists(db: Db, appid: string, id: number): Promise<boolean> {
  if (isSystem(id)) return true;
  const r = await db
    .selectFrom("user_groups")
    .select("group_id")
    .where("appid", "=", appid)
    .where("group_id", "=", id)
    .executeTakeFirst();
  return r !== undefined;
}

async function checkGroupName(db: Db, appid: string, name: string, self?: number): Promise<void> {
  if ([...name].length > MAX_GROUP_NAME_CHARS) fail(ErrorCode.GroupNameTooLong);
  if (name.trim() === "" || !isXmlText(name) || SYSTEM_GROUPS.some((g) => g.name === name))
    fail(ErrorCode.InvalidGroupName);
  const taken = await db
    .selectFrom("user_groups")
    .select("group_id")
    .where("appid", "=", appid)
    .where("name", "=", name)
    .executeTakeFirst();
  if (taken && Number(taken.group_id) !== self) fail(ErrorCode.InvalidGroupName);
}

export async function createGroup(
  w: World,
  appid: string,
  name: string,
): Promise<{ id: number; name: string }> {
  await checkGroupName(w.db, appid, name);
  return w.db.transaction().execute(async (trx) => {
    const n = await trx
      .selectFrom("user_groups")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("appid", "=", appid)
      .executeTakeFirst();
    if (Number(n?.n ?? 0) >= MAX_CUSTOM_GROUPS) fail(ErrorCode.TooManyGroups);
    const id = await nextCounter(trx, appid, "next_group_id");
    await trx
      .insertInto("user_groups")
      .values({ appid, group_id: id, name, created_at: w.clock.now() })
      .execute();
    return { id, name };
  });
}

async function requireCustomGroup(db: Db, appid: string, id: number): Promise<void> {
  if (isSystem(id)) fail(ErrorCode.CannotModifySysGroup);
  if (!(await groupExists(db, appid, id))) fail(ErrorCode.InvalidGroupId);
}

export async function renameGroup(w: World, appid: string, id: number, name: string): Promise<void> {
  await requireCustomGroup(w.db, appid, id);
  await checkGroupName(w.db, appid, name, id);
  await w.db
    .updateTable("user_groups")
    .set({ name })
    .where("appid", "=", appid)
    .where("group_id", "=", id)
    .execute();
}

/** Delete a custom group; its members fall back to group 0. */
export async function deleteGroup(w: World, appid: string, id: number): Promise<void> {
  await requireCustomGroup(w.db, appid, id);
  await w.db.transaction().execute(async (trx) => {
    await setFollowNotes(trx, appid, { inGroup: id }, { groupid: 0 });
    await trx.deleteFrom("user_groups").where("appid", "=", appid).where("group_id", "=", id).execute();
  });
}

export async function moveToGroup(
  w: World,
  appid: string,
  users: readonly KnownOpenid[],
  to: number,
): Promise<void> {
  if (!(await groupExists(w.db, appid, to))) fail(ErrorCode.InvalidGroupId);
  await setFollowNotes(w.db, appid, { openids: users.map((u) => u.openid) }, { groupid: to });
}

export async function groupOf(db: Db, appid: string, openid: string): Promise<number> {
  const r = await db
    .selectFrom("follows")
    .select("groupid")
    .where("appid", "=", appid)
    .where("openid", "=", openid)
    .executeTakeFirst();
  return Number(r?.groupid ?? 0);
}
