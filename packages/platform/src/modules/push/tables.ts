/**
 * The push module's tables: the durable outbox (`pushes` + `push_attempts`), push policies,
 * the last handshake of each account's server settings, and the customer-service window openers.
 */

/** One push to a developer's server, written before the first attempt (the outbox row). */
export interface PushTable {
  id: string;
  appid: string;
  user_id: string;
  openid: string;
  /** MsgType of the push (`text`, …, `event`). */
  msg_type: string;
  /** Event name for `event` pushes, else null. */
  event: string | null;
  /** MsgId of ordinary messages (64-bit, as text), else null. */
  msg_id: string | null;
  /** CreateTime of the push (Unix seconds), the same on every attempt. */
  create_time: number;
  /** The plain push XML, the same on every attempt (sealed again per attempt). */
  xml: string;
  /** pending | replied | empty | failed | no_server | blocked */
  status: string;
  /** Attempts recorded so far. */
  attempts: number;
  /** Reply the user received (JSON of the protocol's `Reply`), or null. */
  reply: string | null;
  notice: string | null;
  /** 1 when the reply or notice reaches the user's conversation (0 for unsubscribe, job events). */
  deliver: number;
  /** Most news articles a reply to this push may carry. */
  news_limit: number;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** One HTTP attempt of a push. */
export interface PushAttemptTable {
  push_id: string;
  attempt: number;
  started_at: number;
  latency_ms: number;
  url: string;
  /** JSON object of the query parameters sent. */
  query: string;
  body: string;
  /** HTTP status, null when no answer arrived. */
  status: number | null;
  /** The answer's body (cut at 64 KiB), null when no answer arrived. */
  response: string | null;
  outcome: string;
  error: string | null;
}

/** Push policies: scope `*` (global) or an appid; `policy` is a JSON object of overrides. */
export interface PushPolicyTable {
  scope: string;
  policy: string;
  updated_at: number;
}

/** The last handshake made against an account's server settings. */
export interface ServerCheckTable {
  appid: string;
  url: string;
  /** `save` (settings changed), `verify` (re-verify) or `negative` (wrong-signature probe). */
  kind: string;
  ok: number;
  /** Machine-readable result: ok, wrong_echo, http_status, timeout, network_error, accepted_bad_signature. */
  result: string;
  reason: string;
  status: number | null;
  latency_ms: number;
  checked_at: number;
}

/**
 * The latest user action of each customer-service scene (customer-service.md §2.3): what opens or
 * refreshes a window. The customer-service module turns these into grants.
 */
export interface ServiceWindowOpenerTable {
  appid: string;
  user_id: string;
  /** user_message | menu_click | subscribe | scan */
  scene: string;
  /** ms */
  opened_at: number;
  push_id: string;
}

declare module "../../db/schema.js" {
  interface Database {
    pushes: PushTable;
    push_attempts: PushAttemptTable;
    push_policies: PushPolicyTable;
    server_checks: ServerCheckTable;
    service_window_openers: ServiceWindowOpenerTable;
  }
}
