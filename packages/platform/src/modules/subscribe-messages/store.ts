/**
 * Private subscription templates and users' subscription state (spec/template.md §10). The
 * mini-program model: a one-time template (type 2) gives one send per accept (accepts add up); a
 * long-term one (type 3) allows sends until the user rejects it in the settings.
 */
import { ErrorCode } from "@mpstack/protocol";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import { inWorldTransaction } from "../../world-transaction.js";
import { recordMessage } from "../conversations/index.js";
import { newTemplateId, type TemplateField } from "../templates/index.js";
import type { SubTemplateTable } from "./tables.js";

export const ONE_TIME = 2;
export const LONG_TERM = 3;

export interface SubTemplate {
  priTmplId: string;
  appid: string;
  tid: number;
  categoryId: number;
  title: string;
  type: number;
  content: string;
  example: string;
  fields: TemplateField[];
  sceneDesc: string;
  createdAt: number;
}

function fromRow(r: SubTemplateTable): SubTemplate {
  return {
    priTmplId: r.pri_tmpl_id,
    appid: r.appid,
    tid: r.tid,
    categoryId: r.category_id,
    title: r.title,
    type: r.type,
    content: r.content,
    example: r.example,
    fields: parseJsonColumn<TemplateField[]>(r.fields, []),
    sceneDesc: r.scene_desc,
    createdAt: r.created_at,
  };
}

export async function subTemplates(db: Db, appid: string): Promise<SubTemplate[]> {
  const rows = await db
    .selectFrom("sub_templates")
    .selectAll()
    .where("appid", "=", appid)
    .orderBy("created_at")
    .orderBy("pri_tmpl_id")
    .execute();
  return rows.map(fromRow);
}

export async function subTemplate(db: Db, appid: string, id: string): Promise<SubTemplate | null> {
  const row = await db
    .selectFrom("sub_templates")
    .selectAll()
    .where("pri_tmpl_id", "=", id)
    .where("appid", "=", appid)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Add one unless the account holds `max` already (200012). */
export async function addSubTemplate(
  w: World,
  t: Omit<SubTemplate, "priTmplId" | "createdAt">,
  max: number,
): Promise<string> {
  const id = newTemplateId();
  await w.db.transaction().execute(async (tx) => {
    const held = await tx
      .selectFrom("sub_templates")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("appid", "=", t.appid)
      .executeTakeFirst();
    if (Number(held?.n ?? 0) >= max) throw new WechatApiError(ErrorCode.NewtmplTemplateLimit);
    await tx
      .insertInto("sub_templates")
      .values({
        pri_tmpl_id: id,
        appid: t.appid,
        tid: t.tid,
        category_id: t.categoryId,
        title: t.title,
        type: t.type,
        content: t.content,
        example: t.example,
        fields: JSON.stringify(t.fields),
        scene_desc: t.sceneDesc,
        created_at: w.clock.now(),
      })
      .execute();
  });
  return id;
}

export async function deleteSubTemplates(
  db: Db,
  appid: string,
  ids: { priTmplId?: string; categories?: number[] },
) {
  let q = db.deleteFrom("sub_templates").where("appid", "=", appid);
  if (ids.priTmplId !== undefined) q = q.where("pri_tmpl_id", "=", ids.priTmplId);
  if (ids.categories !== undefined) q = q.where("category_id", "in", ids.categories);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface Choice {
  template: SubTemplate;
  status: "accept" | "reject";
}

/**
 * Apply a popup (accepts add a one-time send) or a settings change (`change`: an accept re-enables,
 * a reject clears what was left).
 */
export async function applyChoices(
  w: World,
  who: { appid: string; userId: string; openid: string },
  choices: Choice[],
  kind: "popup" | "change",
): Promise<void> {
  const now = w.clock.now();
  await w.db.transaction().execute(async (tx) => {
    for (const { template, status } of choices) {
      const row = await tx
        .selectFrom("sub_grants")
        .selectAll()
        .where("appid", "=", who.appid)
        .where("user_id", "=", who.userId)
        .where("pri_tmpl_id", "=", template.priTmplId)
        .executeTakeFirst();
      const before = row?.remaining ?? 0;
      const remaining =
        status === "reject"
          ? kind === "change"
            ? 0
            : before
          : template.type === ONE_TIME && kind === "popup"
            ? before + 1
            : before;
      const values = { openid: who.openid, status, remaining, updated_at: now };
      await tx
        .insertInto("sub_grants")
        .values({ appid: who.appid, user_id: who.userId, pri_tmpl_id: template.priTmplId, ...values })
        .onConflict((oc) => oc.columns(["appid", "user_id", "pri_tmpl_id"]).doUpdateSet(values))
        .execute();
    }
  });
}

/** Whether the user's state allows a send of this template now. */
export async function maySend(db: Db, appid: string, userId: string, t: SubTemplate): Promise<boolean> {
  const row = await db
    .selectFrom("sub_grants")
    .selectAll()
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .where("pri_tmpl_id", "=", t.priTmplId)
    .executeTakeFirst();
  if (row?.status !== "accept") return false;
  return t.type === LONG_TERM || row.remaining > 0;
}

export async function grantsOfUser(db: Db, appid: string, userId: string) {
  const rows = await db
    .selectFrom("sub_grants")
    .selectAll()
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .orderBy("pri_tmpl_id")
    .execute();
  return rows.map((r) => ({
    priTmplId: r.pri_tmpl_id,
    status: r.status,
    remaining: r.remaining,
    updatedAt: r.updated_at,
  }));
}

/**
 * Use a send (one-time: one fewer left) and record the notification — together; false when the
 * subscription no longer allows it.
 */
export async function useAndDeliver(
  w: World,
  to: { appid: string; userId: string; openid: string },
  t: SubTemplate,
  msgid: number,
  payload: Record<string, unknown>,
): Promise<boolean> {
  return inWorldTransaction(w, async (tw) => {
    let q = tw.db
      .updateTable("sub_grants")
      .set((eb) => ({
        remaining: t.type === ONE_TIME ? eb("remaining", "-", 1) : eb.ref("remaining"),
        updated_at: tw.clock.now(),
      }))
      .where("appid", "=", to.appid)
      .where("user_id", "=", to.userId)
      .where("pri_tmpl_id", "=", t.priTmplId)
      .where("status", "=", "accept");
    if (t.type === ONE_TIME) q = q.where("remaining", ">", 0);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await recordMessage(tw, {
      ...to,
      direction: "out",
      kind: "subscribe_notice",
      msgType: "subscribe_notice",
      msgId: String(msgid),
      payload: { ...payload, channel: "service_notifications" },
    });
    return true;
  });
}
