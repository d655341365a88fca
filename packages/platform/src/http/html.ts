/**
 * Small helpers for the platform's own HTML pages (the browse-as chooser, OAuth consent, the
 * one-time subscription page, the pay sheet): escaping and one page frame in WeChat's look, so each
 * page writes only its body. Every interpolated value goes through `escapeHtml`.
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A tagged template that escapes every value (arrays are joined; `safe()` values pass as they are). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += toHtml(v) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Mark text as already-safe HTML. */
export const safe = (text: string) => new SafeHtml(text);

function toHtml(v: unknown): string {
  if (v instanceof SafeHtml) return v.text;
  if (Array.isArray(v)) return v.map(toHtml).join("");
  if (v === null || v === undefined || v === false) return "";
  return escapeHtml(String(v));
}

/** A whole page: phone-width, WeChat's colours, `lang="zh-CN"` with English beside the Chinese. */
export function pageFrame(title: string, body: SafeHtml): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font:15px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#ededed;color:#191919}
main{max-width:480px;margin:0 auto;padding:16px}
h1{font-size:17px;font-weight:600;margin:8px 0 16px}
.card{background:#fff;border-radius:8px;padding:16px;margin-bottom:12px}
.muted{color:#888;font-size:13px}
.btn{display:block;width:100%;box-sizing:border-box;border:0;border-radius:8px;padding:11px;margin-top:10px;font-size:16px;text-align:center;text-decoration:none;cursor:pointer}
.btn-primary{background:#07c160;color:#fff}.btn-default{background:#f2f2f2;color:#06ae56}.btn-warn{background:#f2f2f2;color:#fa5151}
ul.list{list-style:none;margin:0;padding:0}ul.list li{border-bottom:1px solid #eee}ul.list li:last-child{border:0}
ul.list a{display:block;padding:12px 4px;color:#191919;text-decoration:none}
</style></head><body><main>${body.text}</main></body></html>`;
}
