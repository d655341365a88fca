/**
 * Text as WeChat shows it in a conversation: `<a href="…">label</a>` tags (which replies and
 * customer-service messages may carry) and bare http(s) URLs become links, WeChat's classic face
 * codes (`/::)` …) become emoji, everything else stays text. Pure: React renders the segments.
 */

export type Segment = { kind: "text"; text: string } | { kind: "link"; text: string; url: string };

/** A few of WeChat's classic face codes and the emoji closest to them. */
export const FACES: Readonly<Record<string, string>> = {
  "/::)": "🙂",
  "/::~": "😖",
  "/::B": "😍",
  "/::|": "😳",
  "/:8-)": "😎",
  "/::<": "😭",
  "/::$": "😊",
  "/::X": "🤐",
  "/::Z": "😴",
  "/::'(": "😢",
  "/::-|": "😓",
  "/::@": "😡",
  "/::P": "😜",
  "/::D": "😁",
  "/::O": "😮",
  "/::(": "🙁",
  "/:strong": "👍",
  "/:weak": "👎",
  "/:rose": "🌹",
  "/:heart": "❤️",
  "/:ok": "👌",
  "/:beer": "🍺",
  "/:sun": "☀️",
  "/:gift": "🎁",
};

const FACE_RE = new RegExp(
  Object.keys(FACES)
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
    .join("|"),
  "g",
);

export function faces(text: string): string {
  return text.replace(FACE_RE, (m) => FACES[m] ?? m);
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};
const decodeEntities = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);

const ANCHOR = /<a\s+[^>]*?href\s*=\s*(["'])(.*?)\1[^>]*>(.*?)<\/a>/gis;
const URL_RE = /\bhttps?:\/\/[^\s<>"'）)】]+/g;

function bareLinks(text: string, out: Segment[]): void {
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ kind: "text", text: faces(text.slice(last, at)) });
    out.push({ kind: "link", text: m[0], url: m[0] });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ kind: "text", text: faces(text.slice(last)) });
}

/** Only http(s) links are followed (a `javascript:` href stays text). */
function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : null;
  } catch {
    return null;
  }
}

export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(ANCHOR)) {
    const at = m.index ?? 0;
    if (at > last) bareLinks(text.slice(last, at), out);
    const url = safeUrl(decodeEntities(m[2] ?? ""));
    const label = faces(decodeEntities((m[3] ?? "").replace(/<[^>]*>/g, "")));
    out.push(url ? { kind: "link", text: label || url, url } : { kind: "text", text: label });
    last = at + m[0].length;
  }
  if (last < text.length) bareLinks(text.slice(last), out);
  return out;
}
