/** Tables of the cross-cutting core: clock offset, API journal, quota counters. */
import type { ApiCallRecord } from "../../http/api.js";
export interface ClockStateTable {
  id: string;
  offset_ms: number;
}

/** One API call (see `ApiCallRecord` in http/api.ts, the shape the pipeline records). */
export type JournalTable = ApiCallRecord;

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
