/**
 * The small rules the area panels apply to what the simulator API answers (kept apart from the
 * components so the logic tests reach them): sizes, money, publication and mass-job states, a mass
 * job's target, template keywords, and when a pay notification tries next.
 */
import type { MessageKey } from "../i18n/index.js";

type Tone = "ok" | "bad" | "warn" | "muted" | "info";

/** 1536 → "1.5 KB" (binary units, one decimal below 10). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "—";
  const units = ["B", "KB", "MB", "GB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 10 ? 0 : 1;
  return `${v.toFixed(digits)} ${units[u]}`;
}

/** Fen (the pay APIs' integer amounts) as yuan: 100 → "¥1.00". */
export function yuan(fen: number, currency = "CNY"): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  return currency === "CNY" ? `${sign}¥${text}` : `${sign}${text} ${currency}`;
}

/** A publication's status code (material.md §4: freepublish/get) as a label and a tone. */
export function publicationStatus(status: number): { key: MessageKey; tone: Tone } {
  if (status === 0) return { key: "pubPublished", tone: "ok" };
  if (status === 1) return { key: "pubPublishing", tone: "warn" };
  if (status === 5) return { key: "pubDeleted", tone: "muted" };
  if (status === 6) return { key: "pubBanned", tone: "bad" };
  return { key: "pubFailed", tone: "bad" };
}

/** A mass job's status (mass/get: SENDING, SEND_SUCCESS, SEND_FAIL, DELETE) as a tone. */
export function massTone(status: string): Tone {
  return status === "SEND_SUCCESS"
    ? "ok"
    : status === "SENDING"
      ? "warn"
      : status === "SEND_FAIL"
        ? "bad"
        : "muted";
}

/** Who a mass job was sent to: everyone, a tag, an OpenID list, or one previewer. */
export function massTarget(job: { scope: string; tagId: number | null; expected: number }): {
  key: MessageKey;
  vars: Record<string, string | number>;
} {
  if (job.scope === "tag") return { key: "massToTag", vars: { tag: job.tagId ?? "?" } };
  if (job.scope === "list") return { key: "massToList", vars: { n: job.expected } };
  if (job.scope === "one") return { key: "massToOne", vars: {} };
  return { key: "massToAll", vars: {} };
}

/** Share of a job delivered, 0–100 (whole percent). */
export function percent(progress: number): number {
  return Math.max(0, Math.min(100, Math.round(progress * 100)));
}

/** The keywords of a template's content: "{{first.DATA}} … {{keyword1.DATA}}" → ["first", "keyword1"]. */
export function templateKeywords(content: string): string[] {
  const out: string[] = [];
  for (const m of content.matchAll(/\{\{\s*([A-Za-z0-9_]+)\.DATA\s*\}\}/g)) {
    const k = m[1] as string;
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

/** An order's trade_state as a tone (SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR). */
export function tradeTone(state: string): Tone {
  return state === "SUCCESS"
    ? "ok"
    : state === "REFUND"
      ? "info"
      : state === "NOTPAY" || state === "USERPAYING"
        ? "warn"
        : state === "PAYERROR"
          ? "bad"
          : "muted";
}

/** A notification's status (pending, delivered, failed, dropped…) as a tone. */
export function notifyTone(status: string): Tone {
  return status === "delivered" || status === "success"
    ? "ok"
    : status === "pending"
      ? "warn"
      : status === "dropped"
        ? "muted"
        : "bad";
}

/** How long until the next try, from the platform's clock: "2m 5s", "0s" when due, "—" when none. */
export function untilNext(nextAt: number | null, now: number): string {
  if (nextAt === null) return "—";
  const s = Math.round((nextAt - now) / 1000);
  if (s <= 0) return "0s";
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}
