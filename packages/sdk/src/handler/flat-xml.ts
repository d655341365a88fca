import type { XmlRecord } from "@mpstack/protocol";

/**
 * A fast path for the one shape nearly every push has: `<xml>` holding flat, unrepeated elements whose
 * content is CDATA and/or plain text (no `&`, no markup). It yields exactly what the protocol's
 * `parseXml` yields for such documents (a property test checks that) and returns undefined for
 * anything else — nested elements, entities, comments, declarations, DOCTYPE, attributes, forbidden
 * characters — so that the protocol's full, hardened parser decides. Nothing is ever expanded.
 *
 * It exists for speed only (the general parser costs ~20 µs per push, this ~1 µs); it belongs in the
 * protocol's `parseXml` as a fast path and should move there.
 */

// Characters XML 1.0 forbids, plus CR (XML normalises line ends, so "\r" does not read as itself):
// leave such documents to the full parser.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these characters is the point
const DEFER = /[\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]/;
const ROOT_OPEN = "<xml>";
const ROOT_CLOSE = "</xml>";
const CDATA_OPEN = "<![CDATA[";

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isNameChar(c: number, first: boolean): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    c === 0x5f || // _
    (!first && ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e)) // 0-9 - .
  );
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

// String.prototype.isWellFormed (Node 20+; ES2024, newer than this project's lib setting).
const wellFormed = (text: string) => (text as { isWellFormed?: () => boolean }).isWellFormed?.() ?? false;

export function parseFlatXml(text: string): XmlRecord | undefined {
  if (DEFER.test(text) || !wellFormed(text)) return undefined;
  let i = skipSpace(text, 0);
  if (!text.startsWith(ROOT_OPEN, i)) return undefined;
  i += ROOT_OPEN.length;
  const record: XmlRecord = {};
  for (;;) {
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== 0x3c /* < */) return undefined;
    if (text.startsWith(ROOT_CLOSE, i)) {
      i = skipSpace(text, i + ROOT_CLOSE.length);
      return i === text.length ? record : undefined;
    }
    // <Name>
    const nameStart = i + 1;
    let j = nameStart;
    if (!isNameChar(text.charCodeAt(j), true)) return undefined;
    while (isNameChar(text.charCodeAt(j), false)) j++;
    if (text.charCodeAt(j) !== 0x3e /* > */) return undefined;
    const name = text.slice(nameStart, j);
    if (Object.hasOwn(record, name) || name === "__proto__") return undefined;
    i = j + 1;
    // content: plain text runs and CDATA sections, up to </Name>
    let value = "";
    for (;;) {
      const lt = text.indexOf("<", i);
      if (lt < 0) return undefined;
      if (lt > i) {
        const run = text.slice(i, lt);
        if (run.includes("&") || run.includes(">")) return undefined;
        value += run;
      }
      if (text.startsWith(CDATA_OPEN, lt)) {
        const end = text.indexOf("]]>", lt + CDATA_OPEN.length);
        if (end < 0) return undefined;
        value += text.slice(lt + CDATA_OPEN.length, end);
        i = end + 3;
        continue;
      }
      if (text.charCodeAt(lt + 1) !== 0x2f /* / */) return undefined; // a child element: not flat
      const close = lt + 2;
      if (!text.startsWith(name, close) || text.charCodeAt(close + name.length) !== 0x3e) return undefined;
      i = close + name.length + 1;
      break;
    }
    record[name] = value;
  }
}
