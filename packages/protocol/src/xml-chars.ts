/** The characters XML 1.0 can carry: for the codec's checks, and `isXmlText` for whoever stores text that may end up in XML. */

/** A UTF-16 surrogate without its pair: not a character at all. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Characters XML 1.0 forbids anywhere in a document (tab, LF and CR are allowed).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these characters is the point
export const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Can XML 1.0 carry this text? False for NUL and the other C0 controls except tab, LF and CR, for
 * U+FFFE/U+FFFF and for lone surrogates — text a message, a tag name or a remark cannot hold.
 */
export function isXmlText(text: string): boolean {
  return !FORBIDDEN_CHAR.test(text) && !LONE_SURROGATE.test(text);
}
