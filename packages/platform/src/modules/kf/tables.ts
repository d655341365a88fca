/**
 * The kf (multi-customer-service) module's tables (spec/customer-service.md §1, §5–§7):
 * customer-service accounts with their worker (a simulated user) or invitation and online state,
 * avatars, sessions, the waiting queue, chat records with their per-account msgid counter, and the
 * module's policies.
 */
import type { PolicyRow } from "../../db/scoped-policies.js";

export interface KfAccountTable {
  appid: string;
  /** `prefix@<account WeChat ID>`. */
  kf_account: string;
  /** "1001", "1002", … */
  kf_id: string;
  nickname: string;
  /** Avatar version (0 = none); the URL carries it so a new upload is a new URL. */
  headimg_version: number;
  /** The bound worker: a simulated user's id (their WeChat ID here); null until bound. */
  worker: string | null;
  invite_wx: string | null;
  /** ms */
  invite_expire_at: number | null;
  /** waiting | rejected (expired is computed from the time). */
  invite_status: string | null;
  online: number;
  auto_accept: number;
  created_at: number;
}

export interface KfHeadimgTable {
  appid: string;
  kf_account: string;
  /** base64 of the JPEG (≤ 5 MB). */
  data: string;
  updated_at: number;
}

/** One open session per (account, user). */
export interface KfSessionTable {
  appid: string;
  user_id: string;
  openid: string;
  kf_account: string;
  /** ms */
  created_at: number;
  /** ms: the last message either way (the 30-minute rule). */
  last_activity: number;
}

/** A user waiting for a customer-service account (after transfer_customer_service). */
export interface KfWaitcaseTable {
  appid: string;
  user_id: string;
  openid: string;
  /** The account the transfer named (TransInfo), or "". */
  kf_account: string;
  created_at: number;
  /** ms: the user's latest message. */
  latest_time: number;
  /** JSON array of the waiting messages' record texts, written as 2003 records on acceptance. */
  pending: string;
}

export interface KfRecordTable {
  appid: string;
  /** Per account, from 1. */
  msgid: number;
  openid: string;
  worker: string;
  /** 2002 sent by a worker, 2003 received by a worker. */
  opercode: number;
  text: string;
  /** Unix seconds. */
  time: number;
}

/** The next record msgid of each account (a row lock keeps concurrent writers apart). */
export interface KfRecordSeqTable {
  appid: string;
  next: number;
}

declare module "../../db/schema.js" {
  interface Database {
    kf_accounts: KfAccountTable;
    kf_headimgs: KfHeadimgTable;
    kf_sessions: KfSessionTable;
    kf_waitcases: KfWaitcaseTable;
    kf_records: KfRecordTable;
    kf_record_seq: KfRecordSeqTable;
    kf_policies: PolicyRow;
  }
}
