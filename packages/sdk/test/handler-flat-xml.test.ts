import { parseXml } from "@mpstack/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFlatXml } from "../src/handler/flat-xml.js";

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/);
const space = fc.stringMatching(/^[ \t\r\n]{0,3}$/);
const plainText = fc.string({ unit: "binary", maxLength: 20 }).filter((s) => !/[<>&]/.test(s));
const cdataText = fc.string({ unit: "binary", maxLength: 20 }).filter((s) => !s.includes("]]>"));
const content = fc.array(
  fc.oneof(
    plainText,
    cdataText.map((s) => `<![CDATA[${s}]]>`),
  ),
  { maxLength: 3 },
);

/** Flat documents as pushes are written, with arbitrary spacing and text/CDATA mixes. */
const flatDocument = fc
  .tuple(fc.uniqueArray(fc.tuple(name, content, space), { selector: ([n]) => n, maxLength: 8 }), space, space)
  .map(
    ([fields, lead, tail]) =>
      `${lead}<xml>${fields.map(([n, parts, s]) => `${s}<${n}>${parts.join("")}</${n}>`).join("")}</xml>${tail}`,
  );

function protocolParse(text: string): unknown {
  try {
    return parseXml(text);
  } catch (error) {
    return { threw: (error as Error).name };
  }
}

describe("parseFlatXml (the handler's fast path)", () => {
  it("yields exactly what the protocol's parseXml yields for flat documents", () => {
    fc.assert(
      fc.property(flatDocument, (text) => {
        const fast = parseFlatXml(text);
        if (fast !== undefined) expect(fast).toEqual(protocolParse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("takes the common push forms (CDATA and bare numbers, one element per line)", () => {
    const push =
      "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>\n<FromUserName><![CDATA[oUser]]></FromUserName>\n" +
      "<CreateTime>1700000000</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[a < b & c]]></Content>\n" +
      "<MsgId>24000000000000001</MsgId>\n</xml>";
    expect(parseFlatXml(push)).toEqual(parseXml(push));
    expect(parseFlatXml(push)?.Content).toBe("a < b & c");
  });

  it("leaves everything else to the full parser (never a different answer)", () => {
    const others = [
      '<!DOCTYPE xml [<!ENTITY x "y">]><xml><A>&x;</A></xml>',
      "<xml><A>&amp;</A></xml>",
      "<xml><A><B>1</B></A></xml>",
      "<xml><A>1</A><A>2</A></xml>",
      '<xml><A x="1">1</A></xml>',
      "<xml><!-- c --><A>1</A></xml>",
      '<?xml version="1.0"?><xml><A>1</A></xml>',
      "<xml><A/></xml>",
      "<xml><A>1</B></xml>",
      "<xml><A>1</A>text</xml>",
      "<root><A>1</A></root>",
      "<xml><A>\u0001</A></xml>",
      "<xml><A>1</A></xml><xml/>",
      "<xml><__proto__>1</__proto__></xml>",
      "<xml><A>]]></A></xml>",
      "<xml><A>\uD800</A></xml>",
    ];
    for (const text of others) expect(parseFlatXml(text), text).toBeUndefined();
  });

  it("agrees with the protocol or defers on arbitrary mutations of a push", () => {
    const base =
      "<xml><ToUserName><![CDATA[gh]]></ToUserName><CreateTime>1</CreateTime><Content>hi</Content></xml>";
    fc.assert(
      fc.property(
        fc.nat(base.length),
        fc.nat(base.length),
        fc.string({ maxLength: 4 }),
        (at, cut, insert) => {
          const text = base.slice(0, at) + insert + base.slice(Math.min(base.length, at + (cut % 5)));
          const fast = parseFlatXml(text);
          if (fast !== undefined) expect(fast).toEqual(protocolParse(text));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
