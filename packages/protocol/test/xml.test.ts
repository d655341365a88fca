/**
 * The safe XML codec: parsing (CDATA, entities, limits) and building.
 */
import { buildXml, parseXml, parseXmlDocument, XmlError, XmlRawText } from "@mpstack/protocol";
import { describe, expect, it } from "vitest";

function xmlError(fn: () => unknown): XmlError {
  try {
    fn();
  } catch (error) {
    if (error instanceof XmlError) return error;
    throw error;
  }
  throw new Error("expected an XmlError");
}

describe("parseXml", () => {
  it("returns the root's children with CDATA unwrapped and every leaf a string", () => {
    const record = parseXml(
      "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>\n<CreateTime>1700000000</CreateTime>\n" +
        "<MsgId>23456789012345678901</MsgId><Scale>020</Scale><Lat>1e5</Lat><Empty></Empty><Self/></xml>",
    );
    expect(record).toEqual({
      ToUserName: "gh_0123456789ab",
      CreateTime: "1700000000",
      MsgId: "23456789012345678901",
      Scale: "020",
      Lat: "1e5",
      Empty: "",
      Self: "",
    });
  });

  it("keeps whitespace inside text and CDATA, drops layout whitespace between elements", () => {
    const record = parseXml(
      "<xml>\n  <A><![CDATA[  two spaces  ]]></A>\n  <B>  plain  </B>\n  <C>\n</C>\n</xml>",
    );
    expect(record).toEqual({ A: "  two spaces  ", B: "  plain  ", C: "\n" });
  });

  it("decodes the predefined entities and character references, and nothing inside CDATA", () => {
    const record = parseXml(
      "<xml><A>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#20013;&#x6587; &#x1F600;</A>" +
        "<B><![CDATA[&amp; stays &lt;]]></B><C>&amp;lt;</C></xml>",
    );
    expect(record).toEqual({ A: "a & b <c> \"d\" 'e' 中文 😀", B: "&amp; stays &lt;", C: "&lt;" });
  });

  it("joins split CDATA sections and mixed text/CDATA in document order", () => {
    expect(parseXml("<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><B>t<![CDATA[<c>]]>u</B></xml>")).toEqual({
      A: "x]]>y",
      B: "t<c>u",
    });
  });

  it("turns repeated elements into arrays and nests records", () => {
    const record = parseXml(
      "<xml><PicList><item><PicMd5Sum>a</PicMd5Sum></item><item><PicMd5Sum>b</PicMd5Sum></item></PicList>" +
        "<One><item><X>1</X></item></One></xml>",
    );
    expect(record).toEqual({
      PicList: { item: [{ PicMd5Sum: "a" }, { PicMd5Sum: "b" }] },
      One: { item: { X: "1" } },
    });
  });

  it("ignores attributes, comments, processing instructions and a UTF-8 declaration", () => {
    const record = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- push --><xml a="1"><?pi x?><A b=\'>\'>v</A><!-- c --></xml>',
    );
    expect(record).toEqual({ A: "v" });
  });

  it("keeps text next to child elements under #text", () => {
    expect(parseXml("<xml><A>lead<B>1</B></A></xml>")).toEqual({ A: { B: "1", "#text": "lead" } });
  });

  it("accepts UTF-8 bytes, with or without a byte order mark, and a BOM in strings", () => {
    const body = "<xml><Content><![CDATA[你好 😀]]></Content></xml>";
    expect(parseXml(Buffer.from(body))).toEqual({ Content: "你好 😀" });
    expect(parseXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]))).toEqual({
      Content: "你好 😀",
    });
    expect(parseXml(`\uFEFF${body}`)).toEqual({ Content: "你好 😀" });
  });

  it("allows markup-looking text inside CDATA (a user may send '<!DOCTYPE html>')", () => {
    expect(parseXml("<xml><Content><![CDATA[<!DOCTYPE html><!ENTITY x>]]></Content></xml>")).toEqual({
      Content: "<!DOCTYPE html><!ENTITY x>",
    });
  });

  it("stores an element named __proto__ as an own field, never as the prototype", () => {
    // fast-xml-parser refuses the name outright; either way nothing reaches Object.prototype.
    const error = xmlError(() => parseXml("<xml><__proto__><polluted>1</polluted></__proto__></xml>"));
    expect(error.code).toBe("Malformed");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports the root element's name through parseXmlDocument", () => {
    expect(parseXmlDocument("<root><A>1</A></root>")).toEqual({ root: "root", children: { A: "1" } });
    expect(parseXmlDocument("<xml/>")).toEqual({ root: "xml", children: {} });
  });

  it("enforces maxDepth exactly (root = depth 1) and maxBytes in UTF-8 bytes", () => {
    const nested = (depth: number) => "<a>".repeat(depth) + "x" + "</a>".repeat(depth);
    expect(() => parseXml(nested(32))).not.toThrow();
    expect(xmlError(() => parseXml(nested(33))).code).toBe("TooDeep");
    expect(() => parseXml(nested(5), { maxDepth: 5 })).not.toThrow();
    expect(xmlError(() => parseXml(nested(6), { maxDepth: 5 })).code).toBe("TooDeep");
    const doc = "<xml><A>中</A></xml>"; // 19 characters, 21 bytes
    expect(() => parseXml(doc, { maxBytes: 21 })).not.toThrow();
    expect(xmlError(() => parseXml(doc, { maxBytes: 20 })).code).toBe("TooLarge");
    expect(xmlError(() => parseXml(Buffer.from(doc), { maxBytes: 20 })).code).toBe("TooLarge");
  });

  it("bounds the number of elements plus attributes (maxNodes, default 10,000)", () => {
    const flat = (n: number) => `<xml>${"<a/>".repeat(n - 1)}</xml>`;
    expect(() => parseXml(flat(10_000))).not.toThrow();
    expect(xmlError(() => parseXml(flat(10_001))).code).toBe("TooLarge");
    expect(() => parseXml('<xml><a b="1" c="2"/></xml>', { maxNodes: 4 })).not.toThrow();
    expect(xmlError(() => parseXml('<xml><a b="1" c="2"/></xml>', { maxNodes: 3 })).code).toBe("TooLarge");
  });

  it("rejects documents that are not exactly one root element", () => {
    for (const bad of [
      "<a/><b/>",
      "text<xml/>",
      "<xml/>text",
      "<xml><a>1</b></xml>",
      "<xml><a>1 < 2</a></xml>",
    ]) {
      expect(xmlError(() => parseXml(bad)).code).toBe("Malformed");
    }
  });

  it("rejects a bare ampersand and illegal character references", () => {
    expect(xmlError(() => parseXml("<xml><A>a & b</A></xml>")).code).toBe("Malformed");
    expect(xmlError(() => parseXml("<xml><A>&#0;</A></xml>")).code).toBe("Malformed");
    expect(xmlError(() => parseXml("<xml><A>&#xD800;</A></xml>")).code).toBe("Malformed");
    expect(xmlError(() => parseXml("<xml><A>&nbsp;</A></xml>")).code).toBe("Entity");
  });
});

describe("buildXml", () => {
  it("writes WeChat's layout: no declaration, strings as CDATA, numbers bare, one element per line", () => {
    const xml = buildXml({
      ToUserName: "gh_a96a4a619366",
      FromUserName: "olPjZjsXuQPJoV0HlruZkNzKc91E",
      CreateTime: 1414387151,
      MsgType: "text",
      Content: "你好",
      MsgId: 6074746557628292943n,
    });
    expect(xml).toBe(
      "<xml><ToUserName><![CDATA[gh_a96a4a619366]]></ToUserName>\n" +
        "<FromUserName><![CDATA[olPjZjsXuQPJoV0HlruZkNzKc91E]]></FromUserName>\n" +
        "<CreateTime>1414387151</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n" +
        "<Content><![CDATA[你好]]></Content>\n<MsgId>6074746557628292943</MsgId>\n</xml>",
    );
  });

  it("splits ]]> across CDATA sections so the text survives", () => {
    const xml = buildXml({ A: "a]]>b]]>]]>" });
    expect(xml).toBe("<xml><A><![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]]]><![CDATA[>]]></A>\n</xml>");
    expect(parseXml(xml)).toEqual({ A: "a]]>b]]>]]>" });
  });

  it("keeps a carriage return, which parsers would otherwise normalise to a line feed", () => {
    const xml = buildXml({ A: "a\r\nb\r", B: new XmlRawText("x\ry") });
    expect(xml).toBe(
      "<xml><A><![CDATA[a]]>&#13;<![CDATA[\nb]]>&#13;<![CDATA[]]></A>\n<B>x&#13;y</B>\n</xml>",
    );
    expect(parseXml(xml)).toEqual({ A: "a\r\nb\r", B: "x\ry" });
  });

  it("writes arrays as repeated elements, nested records as elements, skips undefined", () => {
    const xml = buildXml(
      { L: ["1", 2], R: { S: "", T: undefined, Raw: new XmlRawText("a<&>b") }, U: undefined },
      "root",
    );
    expect(xml).toBe(
      "<root><L><![CDATA[1]]></L>\n<L>2</L>\n<R><S><![CDATA[]]></S>\n<Raw>a&lt;&amp;&gt;b</Raw>\n</R>\n</root>",
    );
    expect(parseXmlDocument(xml)).toEqual({
      root: "root",
      children: { L: ["1", "2"], R: { S: "", Raw: "a<&>b" } },
    });
  });

  it("refuses what XML cannot carry instead of writing a broken document", () => {
    expect(xmlError(() => buildXml({ A: "nul\u0000" })).code).toBe("Malformed");
    expect(xmlError(() => buildXml({ A: "\uD800" })).code).toBe("Malformed");
    expect(xmlError(() => buildXml({ "bad name": "x" })).code).toBe("Malformed");
    expect(xmlError(() => buildXml({ N: Number.NaN })).code).toBe("Malformed");
  });
});
