/**
 * Hostile inputs: every case must end in a clear XmlError, quickly, without expanding an entity or
 * exhausting memory or the stack. Push bodies are attacker-controlled whenever signatures are weak.
 */
import { parseInbound, parseReplyXml, parseXml, XmlError, type XmlErrorCode } from "@mpstack/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const SECRET = "ENTITY-REPLACEMENT-TEXT-MUST-NEVER-APPEAR";

/** Runs `fn`, expects an XmlError, and checks it came back within `ms` milliseconds. */
function rejects(fn: () => unknown, code: XmlErrorCode, ms = 1000): XmlError {
  const started = performance.now();
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  const elapsed = performance.now() - started;
  expect(caught, "expected an XmlError").toBeInstanceOf(XmlError);
  const error = caught as XmlError;
  expect(error.code, error.message).toBe(code);
  expect(elapsed).toBeLessThan(ms);
  expect(error.message).not.toContain(SECRET);
  return error;
}

const push = (content: string) =>
  "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>" +
  "<FromUserName><![CDATA[oTestUser0000000000000000001]]></FromUserName>" +
  `<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${content}</Content>` +
  "<MsgId>23456789012345678</MsgId></xml>";

describe("entities and DOCTYPE", () => {
  it("rejects XXE with a file entity before any parsing", () => {
    const body = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${push("&xxe;")}`;
    rejects(() => parseXml(body), "Doctype");
    rejects(() => parseInbound(body), "Doctype");
  });

  it("rejects XXE with a network entity and with a parameter entity", () => {
    rejects(
      () => parseXml(`<!DOCTYPE xml [<!ENTITY net SYSTEM "http://127.0.0.1:1/steal">]>${push("&net;")}`),
      "Doctype",
    );
    rejects(
      () => parseXml(`<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;]>${push("x")}`),
      "Doctype",
    );
    rejects(() => parseXml(`<!DOCTYPE xml SYSTEM "http://127.0.0.1:1/x.dtd">${push("x")}`), "Doctype");
    rejects(() => parseXml(`<!doctype xml>${push("x")}`), "Doctype");
  });

  it("rejects billion laughs in bounded time, without expanding anything", () => {
    const lol = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i < 10; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const body = `<?xml version="1.0"?><!DOCTYPE lolz [${lol.join("")}]>${push("&lol9;")}`;
    const before = process.memoryUsage().heapUsed;
    rejects(() => parseXml(body), "Doctype", 250);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("rejects a declared entity even with the DOCTYPE missing, and undeclared references", () => {
    rejects(() => parseXml(`<xml><!ENTITY s "${SECRET}"><A>&s;</A></xml>`), "Entity");
    rejects(() => parseXml(push("&xxe;")), "Entity");
    rejects(() => parseXml(push(`&${SECRET};`)), "Entity");
  });

  it("never expands entities inside CDATA or decodes twice", () => {
    const record = parseXml(push(`<![CDATA[&xxe; &amp;]]>`));
    expect(record.Content).toBe("&xxe; &amp;");
    expect(parseXml(push("&amp;amp;")).Content).toBe("&amp;");
  });
});

describe("size and nesting", () => {
  it("fails fast on 10,000-deep nesting, and never overflows the stack even with a raised limit", () => {
    const deep = `${"<a>".repeat(10_000)}x${"</a>".repeat(10_000)}`;
    rejects(() => parseXml(deep), "TooDeep", 250);
    rejects(() => parseXml(`<xml>${"<a>".repeat(10_000)}`), "TooDeep", 250);
    // With the depth check relaxed, the result must still be a value or an XmlError, never a RangeError.
    let outcome: unknown;
    try {
      outcome = parseXml(deep, { maxDepth: 20_000 });
    } catch (error) {
      outcome = error;
    }
    const parsedOrXmlError = outcome instanceof XmlError || !(outcome instanceof Error);
    expect(parsedOrXmlError, String(outcome)).toBe(true);
  });

  it("rejects a 20 MB body before looking at it, as a string and as bytes", () => {
    const body = push("x".repeat(20 * 1024 * 1024));
    const bytes = Buffer.from(body);
    rejects(() => parseXml(body), "TooLarge", 250);
    rejects(() => parseXml(bytes), "TooLarge", 250);
    rejects(() => parseInbound(body), "TooLarge", 250);
    rejects(() => parseReplyXml(body), "TooLarge", 250);
  });

  it("stays fast on the worst shapes that fit in the size limit", () => {
    const limit = 1024 * 1024;
    const shapes = [
      `<xml>${"<a/>".repeat(limit / 4 - 4)}</xml>`,
      `<xml>${"<a>1</a>".repeat(limit / 8 - 2)}</xml>`,
      `<xml><a ${"b='1' ".repeat(limit / 6 - 4)}/></xml>`,
      `<xml>${"<![CDATA[".repeat(limit / 9 - 1)}</xml>`,
      `<xml>${"<!--".repeat(limit / 4 - 2)}</xml>`,
      `<xml><a>${"&amp;".repeat(limit / 5 - 4)}</a></xml>`,
      `<xml><a x="${"<".repeat(limit - 20)}`,
    ];
    for (const body of shapes) {
      const started = performance.now();
      try {
        parseXml(body);
      } catch (error) {
        expect(error).toBeInstanceOf(XmlError);
      }
      expect(performance.now() - started).toBeLessThan(3000);
    }
  });
});

describe("broken documents", () => {
  it("rejects every truncation of a real push as Malformed", () => {
    const body = push("<![CDATA[你好]]>");
    for (let n = 0; n < body.length; n++) rejects(() => parseXml(body.slice(0, n)), "Malformed");
  });

  it("rejects empty and whitespace-only input", () => {
    rejects(() => parseXml(""), "Malformed");
    rejects(() => parseXml(new Uint8Array(0)), "Malformed");
    rejects(() => parseXml(" \n\t "), "Malformed");
  });

  it("rejects wrong encodings: UTF-16 with and without BOM, GBK and Latin-1 declarations, invalid UTF-8", () => {
    const body = push("<![CDATA[你好]]>");
    const utf16le = Buffer.from(body, "utf16le");
    const utf16be = Buffer.from(utf16le).swap16();
    rejects(() => parseXml(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le])), "Encoding");
    rejects(() => parseXml(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])), "Encoding");
    rejects(() => parseXml(utf16le), "Encoding");
    rejects(() => parseXml(utf16be), "Encoding");
    rejects(() => parseXml(`<?xml version="1.0" encoding="GBK"?>${body}`), "Encoding");
    rejects(() => parseXml(Buffer.from(`<?xml version='1.0' encoding='gb2312'?>${body}`)), "Encoding");
    rejects(() => parseXml(`<?xml version="1.0" encoding="ISO-8859-1"?>${body}`), "Encoding");
    // "你好" in GBK is C4 E3 BA C3: not valid UTF-8.
    const gbkBytes = Buffer.concat([
      Buffer.from(body.slice(0, body.indexOf("你"))),
      Buffer.from([0xc4, 0xe3, 0xba, 0xc3]),
      Buffer.from(body.slice(body.indexOf("好") + 1)),
    ]);
    rejects(() => parseXml(gbkBytes), "Encoding");
    rejects(
      () =>
        parseXml(Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e])),
      "Encoding",
    );
    rejects(
      () => parseXml(Buffer.from([0x3c, 0x78, 0x3e, 0xed, 0xa0, 0x80, 0x3c, 0x2f, 0x78, 0x3e])),
      "Encoding",
    );
    rejects(() => parseXml("<xml><A>\uDC00</A></xml>"), "Encoding");
  });

  it("rejects control characters that XML forbids", () => {
    rejects(() => parseXml(push("a\u0000b")), "Malformed");
    rejects(() => parseXml(push("<![CDATA[\u0007]]>")), "Malformed");
  });

  it("answers binary garbage and random strings with an XmlError and nothing else", () => {
    // Any UTF-16 code units, lone surrogates and control characters included.
    const utf16Garbage = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 256 })
      .map((units) => String.fromCharCode(...units));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          parseXml(bytes);
        } catch (error) {
          return error instanceof XmlError;
        }
        return true;
      }),
      { numRuns: 250 },
    );
    fc.assert(
      fc.property(utf16Garbage, (text) => {
        try {
          parseXml(text);
        } catch (error) {
          return error instanceof XmlError;
        }
        return true;
      }),
      { numRuns: 250 },
    );
  });

  it("answers random mutations of a valid push with a record or an XmlError", () => {
    const body = push("<![CDATA[a]]>");
    const alphabet = fc.constantFrom(
      "<",
      ">",
      "/",
      "!",
      "[",
      "]",
      "&",
      ";",
      "?",
      '"',
      "'",
      "-",
      "x",
      " ",
      "\u0000",
      "é",
    );
    const edit = fc.tuple(fc.nat(body.length), fc.nat(3), fc.array(alphabet, { maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let mutated = body;
        for (const [at, remove, insert] of edits) {
          mutated = mutated.slice(0, at) + insert.join("") + mutated.slice(at + remove);
        }
        try {
          const record = parseXml(mutated);
          return typeof record === "object" && record !== null;
        } catch (error) {
          return error instanceof XmlError;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
