/**
 * Article HTML as WeChat keeps it (material.md §3.1, §5 rule 7): JavaScript removed (`<script>`
 * elements, `on…` handlers, `javascript:` URLs), `<img>` kept only when its `src` is an image the
 * platform serves for this account (uploadimg), and — for mass-send article groups of accounts
 * without WeChat Pay — `<a>` tags unwrapped to their text (mass-send.md §2). Pages that show the
 * result are also served with a sandboxing Content-Security-Policy, so this is not the only guard.
 */

export interface SanitizeOptions {
  /** Keep an `<img>` with this `src`? */
  keepImage(src: string): boolean;
  /** Keep `<a>` elements (else their tags are dropped, their text stays). */
  keepLinks: boolean;
}

const SCRIPT_ELEMENT = /<script\b[^>]*>[\s\S]*?<\/script\s*>/gi;
const DANGLING_SCRIPT = /<\/?script\b[^>]*>?/gi;
const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;
const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "data"]);

function unquote(v: string): string {
  return (v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))
    ? v.slice(1, -1)
    : v;
}

/** A URL that would run script (`javascript:`, `vbscript:`, `data:text/html`), ignoring blanks. */
function scriptUrl(value: string): boolean {
  let v = "";
  for (const c of value) if (c.charCodeAt(0) > 0x20) v += c.toLowerCase();
  return v.startsWith("javascript:") || v.startsWith("vbscript:") || v.startsWith("data:text/html");
}

/** The `<img src>` values of an article body (to look up which are the account's images). */
export function imageSources(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(TAG)) {
    if (m[1] || m[2]?.toLowerCase() !== "img") continue;
    for (const a of (m[3] ?? "").matchAll(ATTR)) {
      if (a[1]?.toLowerCase() === "src" && a[2] !== undefined) out.push(unquote(a[2]));
    }
  }
  return out;
}

export function sanitizeArticleHtml(html: string, opts: SanitizeOptions): string {
  const noScripts = html.replace(SCRIPT_ELEMENT, "").replace(DANGLING_SCRIPT, "");
  return noScripts.replace(TAG, (_all, close: string, name: string, rest: string) => {
    const tag = name.toLowerCase();
    if (tag === "a" && !opts.keepLinks) return "";
    if (close) return `</${name}>`;
    const kept: string[] = [];
    let src: string | null = null;
    for (const a of rest.matchAll(ATTR)) {
      const attr = (a[1] ?? "").toLowerCase();
      const raw = a[2];
      if (attr.startsWith("on")) continue;
      if (raw !== undefined && URL_ATTRS.has(attr) && scriptUrl(unquote(raw))) continue;
      if (attr === "src") src = raw === undefined ? "" : unquote(raw);
      kept.push(raw === undefined ? (a[1] ?? "") : `${a[1]}=${raw}`);
    }
    if (tag === "img" && (src === null || !opts.keepImage(src))) return "";
    const selfClosing = /\/\s*$/.test(rest) ? " /" : "";
    return `<${name}${kept.length > 0 ? ` ${kept.join(" ")}` : ""}${selfClosing}>`;
  });
}

/** Text of an article body (tags dropped, entities of the common five decoded, blanks folded). */
export function plainText(html: string): string {
  return html
    .replace(SCRIPT_ELEMENT, "")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
