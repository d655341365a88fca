/**
 * The core's platform events, for the live event stream (and any module that listens):
 * `api.call` for every WeChat API call the journal records (a summary: the bodies stay in the
 * journal, read them with `GET /_mpstack/journal/{rid}`), `clock.moved` when the clock is moved.
 */
import type { JournalEntry } from "./journal.js";

/** One WeChat API call as the live stream shows it (bodies left out to keep events small). */
export interface ApiCallEvent {
  rid: string;
  appid: string | null;
  method: string;
  path: string;
  errcode: number;
  /** The answer's errmsg when it carried one (errors), else "". */
  errmsg: string;
  latencyMs: number;
  clientIp: string;
  /** ms (platform clock) */
  time: number;
}

declare module "../../events.js" {
  interface PlatformEventMap {
    "api.call": ApiCallEvent;
    /** The platform clock was moved through the simulator API. */
    "clock.moved": { now: number; offsetMs: number; movedMs: number };
  }
}

/** The errmsg of a journaled answer (only error answers are parsed: they are small). */
function errmsgOf(e: JournalEntry): string {
  if (e.errcode === 0 || e.response.length > 4096) return "";
  try {
    const body = JSON.parse(e.response) as { errmsg?: unknown };
    return typeof body.errmsg === "string" ? body.errmsg : "";
  } catch {
    return "";
  }
}

export function apiCallEvent(e: JournalEntry): ApiCallEvent {
  return {
    rid: e.rid,
    appid: e.appid,
    method: e.method,
    path: e.path,
    errcode: e.errcode,
    errmsg: errmsgOf(e),
    latencyMs: e.latency_ms,
    clientIp: e.client_ip,
    time: e.time,
  };
}
