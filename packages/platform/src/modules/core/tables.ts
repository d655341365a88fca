/** Tables of the cross-cutting core: clock offset, API journal, quota counters. */
export interface ClockStateTable {
  id: string;
  offset_ms: number;
}

export interface JournalTable {
  rid: string;
  appid: string | null;
  method: string;
  path: string;
  /** Query string with access_token / secret values redacted. */
  query: string;
  body: string;
  response: string;
  errcode: number;
  latency_ms: number;
  client_ip: string;
  time: number;
}

export interface QuotaUsageTable {
  appid: string;
  path: string;
  /** Day number in UTC+8 (see `cstDay`). */
  day: number;
  used: number;
}

export interface QuotaResetTable {
  appid: string;
  /** `YYYY-MM` in UTC+8. */
  month: string;
  count: number;
}

declare module "../../db/schema.js" {
  interface Database {
    clock_state: ClockStateTable;
    journal: JournalTable;
    quota_usage: QuotaUsageTable;
    quota_resets: QuotaResetTable;
  }
}
