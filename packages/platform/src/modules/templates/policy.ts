/**
 * Template and subscription policies (spec/template.md: where WeChat's behaviour is undocumented,
 * changed over time, or an emulator switch): each a setting with the spec's proposed default,
 * global or per account, set through `PUT /_mpstack/template-policy`.
 */
import { scopedPolicies } from "../../db/scoped-policies.js";

/** The TEMPLATESENDJOBFINISH failures that happen only when injected (§8). */
export type InjectedStatus = "failed: system failed" | "failed:freq limit";

export interface TemplatePolicy {
  /** Successful template/send per account per day, UTC+8 (§1.1: 100 000; 45009 past it). */
  dailyLimit: number;
  /** Private templates an account may hold, and subscription templates likewise (§1.1, §10: 25). */
  maxTemplates: number;
  /** Industry changes per calendar month, UTC+8 (§2: once; 43100 past it). */
  industryChangesPerMonth: number;
  /** Category changes per month and categories held (§1.1: 5 and 5). */
  categoryChangesPerMonth: number;
  maxCategories: number;
  /** The account is punished: api_add_template answers 43106, newtmpl addtemplate 200011 (emulator switch). */
  punished: boolean;
  /** How long after a send TEMPLATESENDJOBFINISH is pushed (§8: about 1 s). */
  jobFinishDelayMs: number;
  /** Make every send of the account fail with this event status (§8: injected failures only). */
  injectStatus: InjectedStatus | null;
  /** Sends of these template ids are intercepted as marketing (§8.1, emulator switch). */
  interceptTemplateIds: string[];
  /** `2023`: first/remark hidden, 20 characters per field, no line breaks (§1.1); `legacy`: all shown. */
  renderRules: "2023" | "legacy";
  /** Mini Programs linked to the account (`any` = every well-formed appid, §7.2 step 4). */
  linkedMiniPrograms: "any" | string[];
  /**
   * Business domains (业务域名) of the one-time subscription redirect (§9.2). `null` (default): the
   * account's OAuth and JS-SDK domains stand in, since accounts keep no business domains yet.
   */
  businessDomains: string[] | null;
  /** How long a client_msg_id suppresses a repeat (§7: 10 minutes). */
  clientMsgIdSeconds: number;
}

export const DEFAULT_TEMPLATE_POLICY: Readonly<TemplatePolicy> = {
  dailyLimit: 100_000,
  maxTemplates: 25,
  industryChangesPerMonth: 1,
  categoryChangesPerMonth: 5,
  maxCategories: 5,
  punished: false,
  jobFinishDelayMs: 1000,
  injectStatus: null,
  interceptTemplateIds: [],
  renderRules: "2023",
  linkedMiniPrograms: "any",
  businessDomains: null,
  clientMsgIdSeconds: 600,
};

export const templatePolicies = scopedPolicies("tmpl_policies", DEFAULT_TEMPLATE_POLICY);
