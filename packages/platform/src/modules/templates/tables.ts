/**
 * The templates module's tables (spec/template.md §1.2, §9): the account's industries and service
 * categories, its private templates, template sends (msgid, anti-re-entry id, status, the daily
 * count), users who refuse an account's template messages, one-time subscription grants, and the
 * module's policies.
 */
import type { PolicyRow } from "../../db/scoped-policies.js";

/** api_set_industry: the two codes, and the changes made in the current month (UTC+8). */
export interface TmplIndustryTable {
  appid: string;
  industry_id1: number;
  industry_id2: number;
  /** `YYYY-MM` of the last change. */
  month: string;
  /** Changes in `month` (the first setting does not count). */
  changes: number;
  updated_at: number;
}

/** The account's service categories (console-only on WeChat; set through the simulator). */
export interface TmplCategoryTable {
  appid: string;
  /** JSON array of category ids. */
  category_ids: string;
  month: string;
  changes: number;
  updated_at: number;
}

/** A private template (get_all_private_template). */
export interface TmplPrivateTable {
  template_id: string;
  appid: string;
  /** `industry` or `category`. */
  source: string;
  /** The library number it was added from (`TM00015`, `51840`). */
  short_id: string;
  /** Industry code (industry templates) or category id (category templates). */
  group_id: number;
  title: string;
  primary_industry: string;
  deputy_industry: string;
  content: string;
  example: string;
  /** JSON `TemplateField[]`. */
  fields: string;
  created_at: number;
}

/** One template/send that passed the checks. */
export interface TmplSendTable {
  msgid: number;
  appid: string;
  user_id: string;
  openid: string;
  template_id: string;
  client_msg_id: string | null;
  /** delivered | blocked (the user refuses) | intercepted (marketing) | failed (injected). */
  status: string;
  /** The TEMPLATESENDJOBFINISH Status. */
  event_status: string;
  title: string;
  /** The rendered text (what queryblocktmplmsg shows). */
  content: string;
  created_at: number;
}

/** A simulated user who refuses this account's template messages (接收消息 off for templates). */
export interface TmplUserBlockTable {
  appid: string;
  user_id: string;
  created_at: number;
}

/** A one-time subscription authorisation: one message for (account, user, scene). */
export interface TmplOnceGrantTable {
  appid: string;
  user_id: string;
  scene: number;
  openid: string;
  template_id: string;
  granted_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    tmpl_industries: TmplIndustryTable;
    tmpl_categories: TmplCategoryTable;
    tmpl_private: TmplPrivateTable;
    tmpl_sends: TmplSendTable;
    tmpl_user_blocks: TmplUserBlockTable;
    tmpl_once_grants: TmplOnceGrantTable;
    tmpl_policies: PolicyRow;
  }
}
