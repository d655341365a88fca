/**
 * The subscribe-messages module's tables (spec/template.md §10): the account's private subscription
 * templates (newtmpl addtemplate) and each user's subscription state per template (popup accept →
 * one more send of a one-time template, or sends until rejected for a long-term one).
 */
export interface SubTemplateTable {
  pri_tmpl_id: string;
  appid: string;
  tid: number;
  category_id: number;
  title: string;
  /** 2 one-time, 3 long-term. */
  type: number;
  content: string;
  example: string;
  /** JSON `TemplateField[]` (typed keywords in kidList order). */
  fields: string;
  scene_desc: string;
  created_at: number;
}

export interface SubGrantTable {
  appid: string;
  user_id: string;
  pri_tmpl_id: string;
  openid: string;
  /** `accept` or `reject` (the latest popup or settings change). */
  status: string;
  /** Sends left for a one-time template (each accept adds one); unused for long-term ones. */
  remaining: number;
  updated_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    sub_templates: SubTemplateTable;
    sub_grants: SubGrantTable;
  }
}
