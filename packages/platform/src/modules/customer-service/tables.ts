/**
 * The customer-service module's tables: messages used per window grant, the typing indicator, and
 * the module's policies (customer-service.md §1–§4). The window openers themselves are the push
 * module's `service_window_openers` (the latest action of each scene); this module only counts.
 */

/**
 * Messages sent under one grant. A grant is the latest opener of a scene; `opened_at` names which
 * one, so a newer action of the scene (another `opened_at`) starts the count again at 0.
 */
export interface CsWindowUsageTable {
  appid: string;
  user_id: string;
  /** user_message | menu_click | subscribe | scan */
  scene: string;
  /** ms: the opener's `opened_at` these messages were counted against. */
  opened_at: number;
  used: number;
}

/** The typing indicator shown to a follower ("对方正在输入…") until `typing_until`. */
export interface CsTypingTable {
  appid: string;
  user_id: string;
  openid: string;
  /** ms */
  started_at: number;
  /** ms */
  typing_until: number;
}

/** Customer-service policies: scope `*` (global) or an appid; `policy` is a JSON object of overrides. */
export interface CsPolicyTable {
  scope: string;
  policy: string;
  updated_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    cs_window_usage: CsWindowUsageTable;
    cs_typing: CsTypingTable;
    cs_policies: CsPolicyTable;
  }
}
