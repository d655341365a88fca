/**
 * Industries, service categories and private templates of an account (spec/template.md §1–§6):
 * the once-a-month industry rule on the platform clock, templates deleted with their industry or
 * category, the 25-template limit. Store functions take a World (or Db) and throw WeChat's errors.
 */
import { randomBytes } from "node:crypto";
import { ErrorCode } from "@mpstack/protocol";
import { cstMonth } from "../../clock.js";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import type { World } from "../../world.js";
import { INDUSTRIES } from "./library/industries.js";
import { findCategory, type TemplateField } from "./library/library.js";
import type { TemplatePolicy } from "./policy.js";
import type { TmplPrivateTable } from "./tables.js";

/** A template id as WeChat's look: 43 URL-safe characters. */
export const newTemplateId = () => randomBytes(32).toString("base64url");

// ---- industries ---------------------------------------------------------------------------------

export interface IndustrySetting {
  primary: number;
  secondary: number;
}

export async function industryOf(db: Db, appid: string): Promise<IndustrySetting | null> {
  const row = await db
    .selectFrom("tmpl_industries")
    .selectAll()
    .where("appid", "=", appid)
    .executeTakeFirst();
  return row ? { primary: row.industry_id1, secondary: row.industry_id2 } : null;
}

/** `{first_class, second_class}` of a code; empty strings for none (get_industry before a setting). */
export function industryView(code: number) {
  const i = INDUSTRIES.get(code);
  return { first_class: i?.first ?? "", second_class: i?.second ?? "" };
}

/** An industry code from `"1"` or `1`; 40102 otherwise. */
export function industryCode(v: unknown): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,3}$/.test(v.trim()) ? Number(v) : NaN;
  if (!INDUSTRIES.has(n)) throw new WechatApiError(ErrorCode.InvalidIndustryId);
  return n;
}

/**
 * Set the industries. The first setting is free; each later change counts against the month
 * (UTC+8) — 43100 past the policy's count. `secondary` undefined changes the primary only. Templates
 * of industries no longer chosen are deleted (documented).
 */
export async function setIndustry(
  w: World,
  appid: string,
  primary: number,
  secondary: number | undefined,
  policy: TemplatePolicy,
): Promise<void> {
  const now = w.clock.now();
  const month = cstMonth(now);
  await w.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom("tmpl_industries")
      .selectAll()
      .where("appid", "=", appid)
      .executeTakeFirst();
    const next = { primary, secondary: secondary ?? row?.industry_id2 ?? 0 };
    if (row && row.industry_id1 === next.primary && row.industry_id2 === next.secondary) return;
    const changes = row ? (row.month === month ? row.changes : 0) + 1 : 0;
    if (row && changes > policy.industryChangesPerMonth)
      throw new WechatApiError(ErrorCode.ChangeTemplateTooFrequently);
    const values = {
      industry_id1: next.primary,
      industry_id2: next.secondary,
      month,
      changes,
      updated_at: now,
    };
    await tx
      .insertInto("tmpl_industries")
      .values({ appid, ...values })
      .onConflict((oc) => oc.column("appid").doUpdateSet(values))
      .execute();
    await tx
      .deleteFrom("tmpl_private")
      .where("appid", "=", appid)
      .where("source", "=", "industry")
      .where("group_id", "not in", [next.primary, next.secondary])
      .execute();
  });
}

// ---- service categories -------------------------------------------------------------------------

/** The categories an account has before any is chosen (emulator decision: logistics, e-commerce, services). */
export const DEFAULT_CATEGORIES: readonly number[] = [307, 320, 680];

export async function categoriesOf(db: Db, appid: string): Promise<number[]> {
  const row = await db
    .selectFrom("tmpl_categories")
    .select("category_ids")
    .where("appid", "=", appid)
    .executeTakeFirst();
  return row ? parseJsonColumn<number[]>(row.category_ids, []) : [...DEFAULT_CATEGORIES];
}

export class CategoryRuleError extends Error {}

/**
 * Choose the account's categories (WeChat: console only). At most `maxCategories`, known ids, at
 * most `categoryChangesPerMonth` changes a month; templates of removed categories are deleted.
 */
export async function setCategories(
  w: World,
  appid: string,
  ids: number[],
  policy: TemplatePolicy,
): Promise<{ removed: number[] }> {
  const unique = [...new Set(ids)];
  const unknown = unique.filter((id) => !findCategory(id));
  if (unknown.length) throw new CategoryRuleError(`unknown category ids: ${unknown.join(", ")}`);
  if (unique.length > policy.maxCategories)
    throw new CategoryRuleError(`at most ${policy.maxCategories} categories`);
  const now = w.clock.now();
  const month = cstMonth(now);
  return w.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom("tmpl_categories")
      .selectAll()
      .where("appid", "=", appid)
      .executeTakeFirst();
    const before = row ? parseJsonColumn<number[]>(row.category_ids, []) : [...DEFAULT_CATEGORIES];
    const changes = (row && row.month === month ? row.changes : 0) + 1;
    if (changes > policy.categoryChangesPerMonth)
      throw new CategoryRuleError(`at most ${policy.categoryChangesPerMonth} category changes a month`);
    const values = { category_ids: JSON.stringify(unique), month, changes, updated_at: now };
    await tx
      .insertInto("tmpl_categories")
      .values({ appid, ...values })
      .onConflict((oc) => oc.column("appid").doUpdateSet(values))
      .execute();
    const removed = before.filter((id) => !unique.includes(id));
    if (removed.length) {
      await tx
        .deleteFrom("tmpl_private")
        .where("appid", "=", appid)
        .where("source", "=", "category")
        .where("group_id", "in", removed)
        .execute();
    }
    return { removed };
  });
}

// ---- private templates --------------------------------------------------------------------------

export interface PrivateTemplate {
  templateId: string;
  appid: string;
  source: "industry" | "category";
  shortId: string;
  groupId: number;
  title: string;
  primaryIndustry: string;
  deputyIndustry: string;
  content: string;
  example: string;
  fields: TemplateField[];
  createdAt: number;
}

function fromRow(r: TmplPrivateTable): PrivateTemplate {
  return {
    templateId: r.template_id,
    appid: r.appid,
    source: r.source === "category" ? "category" : "industry",
    shortId: r.short_id,
    groupId: r.group_id,
    title: r.title,
    primaryIndustry: r.primary_industry,
    deputyIndustry: r.deputy_industry,
    content: r.content,
    example: r.example,
    fields: parseJsonColumn<TemplateField[]>(r.fields, []),
    createdAt: r.created_at,
  };
}

export async function privateTemplates(db: Db, appid: string): Promise<PrivateTemplate[]> {
  const rows = await db
    .selectFrom("tmpl_private")
    .selectAll()
    .where("appid", "=", appid)
    .orderBy("created_at")
    .orderBy("template_id")
    .execute();
  return rows.map(fromRow);
}

export async function privateTemplate(
  db: Db,
  appid: string,
  templateId: string,
): Promise<PrivateTemplate | null> {
  const row = await db
    .selectFrom("tmpl_private")
    .selectAll()
    .where("template_id", "=", templateId)
    .where("appid", "=", appid)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Add a private template unless the account already holds `max` (45026). */
export async function addPrivateTemplate(
  w: World,
  t: Omit<PrivateTemplate, "templateId" | "createdAt">,
  max: number,
): Promise<string> {
  const templateId = newTemplateId();
  await w.db.transaction().execute(async (tx) => {
    const held = await tx
      .selectFrom("tmpl_private")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("appid", "=", t.appid)
      .executeTakeFirst();
    if (Number(held?.n ?? 0) >= max) throw new WechatApiError(ErrorCode.TemplateNumExceedsLimit);
    await tx
      .insertInto("tmpl_private")
      .values({
        template_id: templateId,
        appid: t.appid,
        source: t.source,
        short_id: t.shortId,
        group_id: t.groupId,
        title: t.title,
        primary_industry: t.primaryIndustry,
        deputy_industry: t.deputyIndustry,
        content: t.content,
        example: t.example,
        fields: JSON.stringify(t.fields),
        created_at: w.clock.now(),
      })
      .execute();
  });
  return templateId;
}

/** Delete one; false when the account has no such template. */
export async function deletePrivateTemplate(db: Db, appid: string, templateId: string): Promise<boolean> {
  const r = await db
    .deleteFrom("tmpl_private")
    .where("template_id", "=", templateId)
    .where("appid", "=", appid)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
