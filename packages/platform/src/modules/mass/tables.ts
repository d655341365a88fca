/**
 * The mass module's tables: jobs (sendall, send, preview — one row each, with the message, the
 * recipients' scope, the delivery cursor and counters, the result), per-account counters and the
 * speed setting, and the mass policies.
 */

export interface MassJobTable {
  appid: string;
  /** Per-account sequence from 1000000001 (mass-send.md §1.1), as text. */
  msg_id: string;
  /** mpnews only: the article data's id (from 2247483649). */
  msg_data_id: string | null;
  /** sendall | send | preview */
  kind: string;
  /** all | tag | list | one (preview) */
  scope: string;
  tag_id: number | null;
  /** list: JSON array of the OpenIDs, sorted and unique; one: the recipient's OpenID as a 1-array. */
  openids: string | null;
  is_to_all: number;
  msgtype: string;
  /** JSON of the resolved message (see message.ts `MassMessage`). */
  message: string;
  /** JSON text every recipient's conversation row carries. */
  payload: string;
  /** clientmsgid, or a digest of scope and content (§10). */
  client_key: string;
  send_ignore_reprint: number;
  /** SENDING | SEND_SUCCESS | SEND_FAIL | DELETE (mass/get). */
  status: string;
  /** The event's Status once known: `send success`, `send fail`, `err(30003)`…; "" while sending. */
  result: string;
  /** JSON of the CopyrightCheckResult (originality check, §11). */
  copyright: string;
  /** Followers expected at submission (progress). */
  expected: number;
  /** TotalCount so far: recipients examined. */
  total: number;
  /** Recipients filtered out (blacklisted, unfollowed, over the monthly limit). */
  skipped: number;
  sent: number;
  errors: number;
  /** Last OpenID handled: delivery resumes after it. */
  cursor: string;
  /** Followers as of this time (ms) are the recipients. */
  snapshot_at: number;
  /** China-time day number and month of submission (quotas). */
  day: number;
  month: string;
  /** Previews by WeChat ID (100 a day). */
  by_wxname: number;
  /** JSON array of withdrawn article indexes (1-based); the whole job: status DELETE. */
  deleted: string;
  created_at: number;
  finished_at: number | null;
  /** 1 once MASSSENDJOBFINISH is in the push outbox. */
  finish_pushed: number;
}

export interface MassSettingsTable {
  appid: string;
  next_msg_id: number;
  next_data_id: number;
  /** speed/set level 0–4. */
  speed: number;
}

export interface MassPolicyTable {
  scope: string;
  policy: string;
  updated_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    mass_jobs: MassJobTable;
    mass_settings: MassSettingsTable;
    mass_policies: MassPolicyTable;
  }
}
