/**
 * The template library the platform ships (spec/template.md §1.2): industry templates (`TM…`,
 * `OPENTM…`, free-form `{{name.DATA}}` keywords) and the category library (numeric ids, typed
 * keywords) that category templates of template/send and subscription notifications (newtmpl)
 * share. The rows are JSON data files beside this one; this file types them and builds content.
 */
import categoryData from "./category-templates.json" with { type: "json" };
import { INDUSTRIES } from "./industries.js";
import industryRows from "./industry-templates.json" with { type: "json" };

/** A keyword of a template as send checks it: `key` is the `{{key.DATA}}` name. */
export interface TemplateField {
  key: string;
  /** The label shown before the value ("" for first/remark). */
  label: string;
  /** A category keyword's value rule (thing, number, …); absent for industry templates. */
  rule?: string;
}

export interface IndustryTemplate {
  shortId: string;
  industry: number;
  title: string;
  content: string;
  example: string;
  fields: TemplateField[];
}

export interface CategoryKeyword {
  kid: number;
  name: string;
  /** The value rule: thing, number, letter, symbol, character_string, time, date, amount, … */
  rule: string;
  example: string;
}

export interface CategoryTemplate {
  tid: number;
  categoryId: number;
  title: string;
  /** 2 one-time, 3 long-term (subscription notifications). */
  type: number;
  keywords: CategoryKeyword[];
}

export interface Category {
  id: number;
  name: string;
}

interface IndustryRow {
  id: string;
  industry: number;
  title: string;
  keywords: string[][];
  first: string;
  remark: string;
}

function buildIndustryTemplate(row: IndustryRow): IndustryTemplate {
  if (!INDUSTRIES.has(row.industry)) throw new Error(`template ${row.id}: unknown industry ${row.industry}`);
  const fields: TemplateField[] = [{ key: "first", label: "" }];
  const content = ["{{first.DATA}}"];
  const example = [row.first];
  row.keywords.forEach(([label = "", sample = ""], i) => {
    const key = `keyword${i + 1}`;
    fields.push({ key, label });
    content.push(`${label}：{{${key}.DATA}}`);
    example.push(`${label}：${sample}`);
  });
  fields.push({ key: "remark", label: "" });
  content.push("{{remark.DATA}}");
  example.push(row.remark);
  return {
    shortId: row.id,
    industry: row.industry,
    title: row.title,
    content: content.join("\n"),
    example: example.join("\n"),
    fields,
  };
}

/** The `{{key.DATA}}` name of a category keyword: its rule and its kid (`thing2`). */
export const keywordKey = (k: CategoryKeyword) => `${k.rule}${k.kid}`;

/** Content, example and fields of a private template made of some keywords of a category template. */
export function categoryContent(keywords: CategoryKeyword[]): {
  content: string;
  example: string;
  fields: TemplateField[];
} {
  return {
    content: keywords.map((k) => `${k.name}:{{${keywordKey(k)}.DATA}}\n`).join(""),
    example: keywords.map((k) => `${k.name}:${k.example}\n`).join(""),
    fields: keywords.map((k) => ({ key: keywordKey(k), label: k.name, rule: k.rule })),
  };
}

const industryTemplates = new Map(
  (industryRows as IndustryRow[]).map((row) => [row.id, buildIndustryTemplate(row)]),
);
const categories = new Map((categoryData.categories as Category[]).map((c) => [c.id, c]));
const categoryTemplates = new Map(
  (categoryData.templates as CategoryTemplate[]).map((t) => {
    if (!categories.has(t.categoryId)) throw new Error(`template ${t.tid}: unknown category ${t.categoryId}`);
    return [t.tid, t];
  }),
);

export const findIndustryTemplate = (shortId: string) => industryTemplates.get(shortId);
export const findCategoryTemplate = (tid: number) => categoryTemplates.get(tid);
export const findCategory = (id: number) => categories.get(id);
export const allCategories = (): Category[] => [...categories.values()];
export const allIndustryTemplates = (): IndustryTemplate[] => [...industryTemplates.values()];
export const allCategoryTemplates = (): CategoryTemplate[] => [...categoryTemplates.values()];

/** The category templates of some categories, in tid order. */
export function categoryTemplatesOf(categoryIds: readonly number[]): CategoryTemplate[] {
  const wanted = new Set(categoryIds);
  return allCategoryTemplates()
    .filter((t) => wanted.has(t.categoryId))
    .sort((a, b) => a.tid - b.tid);
}
