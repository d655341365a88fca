/**
 * The XML writer of the codec: replies and pushes written the way WeChat writes them (no declaration,
 * CDATA strings, bare numbers), refusing what XML cannot carry rather than writing a broken document.
 */
import { XmlError } from "./xml.js";
import { FORBIDDEN_CHAR, LONE_SURROGATE } from "./xml-chars.js";

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
