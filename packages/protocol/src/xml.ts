/**
 * Safe XML codec for WeChat pushes and replies.
 *
 * Push bodies are attacker-controllable whenever a signature check is weak (crypto.md §10.1), so the
 * parser refuses DOCTYPE/ENTITY declarations outright, never expands entities (fast-xml-parser runs with
 * `processEntities: false`; only the five predefined XML entities and character references are decoded
 * here, by hand), bounds the input size before touching it and bounds nesting depth with a linear
 * pre-scan so deep documents fail fast instead of exhausting the stack.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export type XmlValue = string | XmlRecord | XmlValue[];
export interface XmlRecord {
  [key: string]: XmlValue;
}

/**
 * What `buildXml` accepts: like `XmlValue`, plus numbers, bigints and `XmlRawText` written bare (not as
 * CDATA); `undefined` fields are skipped.
 */
export type XmlBuildValue =
  | string
  | number
  | bigint
  | XmlRawText
  | XmlBuildRecord
  | XmlBuildValue[]
  | undefined;
export interface XmlBuildRecord {
  [key: string]: XmlBuildValue;
}

/** Text that `buildXml` writes escaped instead of as CDATA, e.g. a numeric id too large for a number. */
export class XmlRawText {
  constructor(readonly text: string) {}
}

export type XmlErrorCode = "TooLarge" | "TooDeep" | "Doctype" | "Entity" | "Malformed" | "Encoding";

export class XmlError extends Error {
  readonly code: XmlErrorCode;
  constructor(code: XmlErrorCode, message: string) {
    super(message);
    this.name = "XmlError";
    this.code = code;
  }
}

export interface XmlLimits {
  /** Maximum input size in UTF-8 bytes. Pushes are small; 1 MiB is generous (crypto.md §10.1). */
  maxBytes?: number;
  /** Maximum element nesting depth, the root element counting as 1. */
  maxDepth?: number;
  /**
   * Maximum number of elements plus attributes. Real pushes have fewer than 100; the bound keeps the
   * worst 1 MiB document (hundreds of thousands of empty elements) from costing seconds of CPU.
   */
  maxNodes?: number;
}

export const DEFAULT_XML_LIMITS: Readonly<Required<XmlLimits>> = {
  maxBytes: 1024 * 1024,
  maxDepth: 32,
  maxNodes: 10_000,
};

/** Text of mixed-content elements (text next to child elements) is kept under this key. */
export const XML_TEXT_KEY = "#text";

const CDATA_KEY = "#cdata";

const parser = new XMLParser({
  preserveOrder: true,
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  cdataPropName: CDATA_KEY,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parses a document and returns the children of its root element (normally `<xml>`). */
export function parseXml(input: string | Uint8Array, limits?: XmlLimits): XmlRecord {
  return parseXmlDocument(input, limits).children;
}

/** Like `parseXml`, but also returns the root element's name. */
export function parseXmlDocument(
  input: string | Uint8Array,
  limits?: XmlLimits,
): { root: string; children: XmlRecord } {
  const maxBytes = limits?.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes;
  const maxDepth = limits?.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth;
  const maxNodes = limits?.maxNodes ?? DEFAULT_XML_LIMITS.maxNodes;
  const text = decodeInput(input, maxBytes);
  if (text.trim() === "") throw new XmlError("Malformed", "empty XML document");
  checkDeclaration(text);
  scanMarkup(text, maxDepth, maxNodes);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new XmlError(
      "Malformed",
      `malformed XML at line ${valid.err.line}: ${valid.err.msg.slice(0, 200)}`,
    );
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (error) {
    throw new XmlError("Malformed", `malformed XML: ${(error as Error).message.slice(0, 200)}`);
  }
  return toDocument(nodes);
}

// ---------------------------------------------------------------------------------------------------
// Input decoding and pre-parse checks

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === "string") {
    // UTF-8 never takes fewer bytes than UTF-16 code units: the length test rejects huge input at once.
    if (input.length > maxBytes || Buffer.byteLength(input, "utf8") > maxBytes) {
      throw new XmlError("TooLarge", `XML larger than ${maxBytes} bytes`);
    }
    if (LONE_SURROGATE.test(input)) throw new XmlError("Encoding", "XML text is not valid Unicode");
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.byteLength > maxBytes) throw new XmlError("TooLarge", `XML larger than ${maxBytes} bytes`);
  const b0 = input[0];
  const b1 = input[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || (b0 === 0 && b1 === 0x3c)) {
    throw new XmlError("Encoding", "XML must be UTF-8 (got UTF-16)");
  }
  if (b0 === 0x3c && b1 === 0) throw new XmlError("Encoding", "XML must be UTF-8 (got UTF-16)");
  try {
    return utf8.decode(input); // also strips a UTF-8 byte order mark
  } catch {
    throw new XmlError("Encoding", "XML bytes are not valid UTF-8");
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Characters XML 1.0 forbids anywhere in a document (tab, LF and CR are allowed).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these characters is the point
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Can XML 1.0 carry this text? False for NUL and the other C0 controls except tab, LF and CR, for
 * U+FFFE/U+FFFF and for lone surrogates — text a message, a tag name or a remark cannot hold.
 */
export function isXmlText(text: string): boolean {
  return !FORBIDDEN_CHAR.test(text) && !LONE_SURROGATE.test(text);
}

function checkDeclaration(text: string): void {
  const start = text.search(/\S/);
  if (!text.startsWith("<?xml", start)) return;
  const end = text.indexOf("?>", start);
  if (end < 0) throw new XmlError("Malformed", "unterminated XML declaration");
  const encoding = /\sencoding\s*=\s*["']([^"']*)["']/.exec(text.slice(start, end))?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    throw new XmlError("Encoding", `unsupported XML encoding "${encoding}" (only UTF-8)`);
  }
}

/**
 * One linear pass over the markup: rejects DOCTYPE/ENTITY declarations and forbidden characters, and
 * tracks element depth so that deep nesting fails at `maxDepth` before any recursive code runs.
 * CDATA sections and comments are skipped, so text such as `<![CDATA[<!DOCTYPE html>]]>` is fine.
 */
function scanMarkup(text: string, maxDepth: number, maxNodes: number): void {
  if (FORBIDDEN_CHAR.test(text))
    throw new XmlError("Malformed", "XML contains a forbidden control character");
  let depth = 0;
  let nodes = 0;
  let textStart = 0; // where the character data since the last markup began
  let i = text.indexOf("<");
  while (i >= 0) {
    if (depth === 0) outsideRoot(text, textStart, i);
    else checkReferences(text, textStart, i);
    if (text.startsWith("<![CDATA[", i)) {
      i = skipPast(text, "]]>", i + 9, "CDATA section");
    } else if (text.startsWith("<!--", i)) {
      i = skipPast(text, "-->", i + 4, "comment");
    } else if (text.startsWith("<!", i)) {
      const word = text.slice(i + 2, i + 9).toUpperCase();
      if (word.startsWith("DOCTYPE")) throw new XmlError("Doctype", "DOCTYPE declarations are not allowed");
      if (word.startsWith("ENTITY")) throw new XmlError("Entity", "ENTITY declarations are not allowed");
      throw new XmlError("Malformed", "unexpected markup declaration");
    } else if (text.startsWith("<?", i)) {
      i = skipPast(text, "?>", i + 2, "processing instruction");
    } else if (text.charCodeAt(i + 1) === 0x2f /* / */) {
      depth--;
      i = skipPast(text, ">", i + 2, "end tag");
    } else {
      const { end, attributes } = endOfStartTag(text, i + 1);
      nodes += 1 + attributes;
      if (nodes > maxNodes)
        throw new XmlError("TooLarge", `XML has more than ${maxNodes} elements and attributes`);
      if (text.charCodeAt(end - 1) !== 0x2f /* self-closing */) {
        depth++;
        if (depth > maxDepth) throw new XmlError("TooDeep", `XML nested deeper than ${maxDepth} elements`);
      }
      i = end + 1;
    }
    textStart = i;
    i = text.indexOf("<", i);
  }
  if (depth === 0) outsideRoot(text, textStart, text.length);
}

/**
 * Entity references in character data: only the five predefined ones and character references exist
 * here (no DTD can declare more), so any other name is refused as an entity before the parser sees it.
 */
function checkReferences(text: string, from: number, to: number): void {
  const segment = text.slice(from, to);
  if (!segment.includes("&")) return;
  const bad = BAD_REFERENCE.exec(segment);
  if (bad === null) return;
  if (/^&[^;&<\s]{0,64};/.test(segment.slice(bad.index, bad.index + 67))) {
    throw new XmlError("Entity", "entity references other than the predefined five are not allowed");
  }
  throw new XmlError("Malformed", "bare '&' in text (escape it as &amp;)");
}

const BAD_REFERENCE = /&(?!(?:lt|gt|amp|quot|apos|#x[0-9a-fA-F]{1,6}|#[0-9]{1,7});)/;

/** Only whitespace may appear outside the root element (the parser would silently drop the rest). */
function outsideRoot(text: string, from: number, to: number): void {
  if (/\S/.test(text.slice(from, to))) throw new XmlError("Malformed", "text outside the root element");
}

function skipPast(text: string, marker: string, from: number, what: string): number {
  const at = text.indexOf(marker, from);
  if (at < 0) throw new XmlError("Malformed", `unterminated ${what}`);
  return at + marker.length;
}

/** Index of the `>` closing a start tag (honouring quoted attribute values) and its attribute count. */
function endOfStartTag(text: string, from: number): { end: number; attributes: number } {
  let quote = 0;
  let attributes = 0;
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3d /* = */) {
      attributes++;
    } else if (c === 0x3e) {
      return { end: j, attributes };
    } else if (c === 0x3c) {
      break;
    }
  }
  throw new XmlError("Malformed", "unterminated start tag");
}

// ---------------------------------------------------------------------------------------------------
// fast-xml-parser's ordered output → XmlRecord

type OrderedNode = Record<string, unknown>;

function toDocument(nodes: unknown): { root: string; children: XmlRecord } {
  let root: { root: string; children: XmlRecord } | undefined;
  for (const node of nodes as OrderedNode[]) {
    const name = elementName(node);
    if (name === XML_TEXT_KEY) {
      if (String(node[XML_TEXT_KEY]).trim() !== "")
        throw new XmlError("Malformed", "text outside the root element");
      continue;
    }
    if (name === undefined || name === CDATA_KEY || root !== undefined) {
      throw new XmlError("Malformed", "XML must have exactly one root element");
    }
    const value = convertElement(node[name] as OrderedNode[]);
    root = { root: name, children: typeof value === "string" ? textOnlyRoot(value) : value };
  }
  if (root === undefined) throw new XmlError("Malformed", "XML has no root element");
  return root;
}

function textOnlyRoot(text: string): XmlRecord {
  return text.trim() === "" ? {} : { [XML_TEXT_KEY]: text };
}

function elementName(node: OrderedNode): string | undefined {
  for (const key in node) if (key !== ":@") return key;
  return undefined;
}

/** Converts one element's children; recursion depth is bounded by the pre-scan. */
function convertElement(children: OrderedNode[]): string | XmlRecord {
  let text = "";
  let record: XmlRecord | undefined;
  for (const child of children) {
    const name = elementName(child);
    if (name === undefined) continue;
    if (name === XML_TEXT_KEY) {
      text += decodeText(String(child[name]));
    } else if (name === CDATA_KEY) {
      for (const part of child[name] as OrderedNode[]) text += String(part[XML_TEXT_KEY] ?? "");
    } else {
      record ??= {};
      addChild(record, name, convertElement(child[name] as OrderedNode[]));
    }
  }
  if (record === undefined) return text;
  // Whitespace between child elements is layout; any other text is mixed content and is kept.
  if (text.trim() !== "") addChild(record, XML_TEXT_KEY, text);
  return record;
}

function addChild(record: XmlRecord, name: string, value: XmlValue): void {
  if (!Object.hasOwn(record, name)) {
    // defineProperty: a key such as "__proto__" must become an own field, never the prototype.
    Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  // Element values are strings or records, so an array here is always one this function made.
  const existing = record[name] as XmlValue;
  if (Array.isArray(existing)) existing.push(value);
  else record[name] = [existing, value];
}

/**
 * Decodes the predefined entities and character references of non-CDATA text; nothing else expands (the
 * pre-scan has already refused every other reference). Native replaceAll passes, `&amp;` last, so that
 * `&amp;lt;` stays `&lt;`.
 */
function decodeText(raw: string): string {
  if (!raw.includes("&")) return raw;
  let text = raw
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'");
  if (text.includes("&#")) {
    text = text.replace(/&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g, (_match, hex?: string, dec?: string) => {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
      if (!isXmlChar(code))
        throw new XmlError("Malformed", `character reference ${_match} is not a legal XML character`);
      return String.fromCodePoint(code);
    });
  }
  return text.replaceAll("&amp;", "&");
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

// ---------------------------------------------------------------------------------------------------
// Building

const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Serialises like real WeChat pushes (crypto.md V7): no declaration, every child element followed by a
 * newline, strings as CDATA (a `]]>` inside is split across two sections), numbers raw, arrays as
 * repeated elements, nested records as nested elements.
 */
export function buildXml(root: XmlBuildRecord, rootName = "xml"): string {
  return element(rootName, root);
}

function element(name: string, value: XmlBuildValue): string {
  if (!XML_NAME.test(name))
    throw new XmlError("Malformed", `"${name.slice(0, 40)}" is not a usable element name`);
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join("");
  if (value === undefined) return "";
  if (typeof value === "string") return `<${name}>${cdata(value)}</${name}>`;
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new XmlError("Malformed", `${name}: ${value} cannot be written to XML`);
    return `<${name}>${value}</${name}>`;
  }
  if (typeof value === "bigint") return `<${name}>${value}</${name}>`;
  if (value instanceof XmlRawText) return `<${name}>${escapeText(value.text)}</${name}>`;
  let body = "";
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (child === undefined) continue;
    if (Array.isArray(child)) for (const item of child) body += `${element(key, item)}\n`;
    else body += `${element(key, child)}\n`;
  }
  return `<${name}>${body}</${name}>`;
}

function checkChars(text: string): void {
  if (FORBIDDEN_CHAR.test(text) || LONE_SURROGATE.test(text)) {
    throw new XmlError("Malformed", "string contains a character XML cannot carry");
  }
}

function escapeText(text: string): string {
  checkChars(text);
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("\r", "&#13;");
}

function cdata(text: string): string {
  checkChars(text);
  // XML parsers turn a raw CR into LF (line-end normalisation), even in CDATA; a reference keeps it.
  if (text.includes("\r")) return text.split("\r").map(cdata).join("&#13;");
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}
