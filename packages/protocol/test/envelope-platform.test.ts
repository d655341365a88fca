/**
 * The envelope from the platform's side (sealing pushes, opening replies), round trips in the three
 * modes, and the fast flat-XML reader agreeing with the full codec.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MessageCrypto } from "../src/crypto.js";
import {
  openInbound,
  openReply,
  readFlatXml,
  type SecurityMode,
  sealInbound,
  sealReply,
} from "../src/envelope.js";
import { computeMsgSignature, computeSignature } from "../src/signature.js";
import { parseXml } from "../src/xml.js";
import { buildXml } from "../src/xml-build.js";
import { errorOf, V3_CRYPTO, V3_ENCRYPT } from "./envelope-vectors.js";

describe("sealInbound / openReply (platform side)", () => {
  const xml =
    "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>\n<FromUserName><![CDATA[oUSER0000000000000000000001]]></FromUserName>\n<CreateTime>1700000000</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>24000000000000001</MsgId>\n</xml>";
  const crypto = new MessageCrypto("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
  const base = {
    xml,
    token: "tok3n",
    crypto,
    timestamp: "1700000000",
    nonce: "1234567890",
    openid: "oUSER0000000000000000000001",
    appId: "wxb11529c136998cb6",
    toUserName: "gh_0123456789ab",
  };

  it("plaintext: signature, timestamp, nonce, openid; body as is", () => {
    const sealed = sealInbound({ ...base, mode: "plain" });
    expect(sealed.body).toBe(xml);
    expect(sealed.query).toEqual({
      signature: computeSignature("tok3n", "1700000000", "1234567890"),
      timestamp: "1700000000",
      nonce: "1234567890",
      openid: "oUSER0000000000000000000001",
    });
  });

  it("safe: only ToUserName and Encrypt, plus encrypt_type and msg_signature", () => {
    const sealed = sealInbound({ ...base, mode: "safe" });
    const envelope = parseXml(sealed.body);
    expect(Object.keys(envelope)).toEqual(["ToUserName", "Encrypt"]);
    expect(envelope.ToUserName).toBe("gh_0123456789ab");
    expect(sealed.query.encrypt_type).toBe("aes");
    expect(sealed.query.signature).toBe(computeSignature("tok3n", "1700000000", "1234567890"));
    expect(sealed.query.msg_signature).toBe(
      computeMsgSignature("tok3n", "1700000000", "1234567890", envelope.Encrypt as string),
    );
    expect(crypto.decrypt(envelope.Encrypt as string).message).toBe(xml);
  });

  it("compatible: the plain fields and Encrypt as the last child", () => {
    const sealed = sealInbound({ ...base, mode: "compatible" });
    const envelope = parseXml(sealed.body);
    expect(Object.keys(envelope)).toEqual([
      "ToUserName",
      "FromUserName",
      "CreateTime",
      "MsgType",
      "Content",
      "MsgId",
      "Encrypt",
    ]);
    expect(sealed.body.startsWith(xml.slice(0, -"</xml>".length))).toBe(true);
    expect(crypto.decrypt(envelope.Encrypt as string).message).toBe(xml);
    expect(sealed.query.encrypt_type).toBe("aes");
  });

  it("the appId input goes into the ciphertext (a wrong one is caught by the SDK)", () => {
    const sealed = sealInbound({ ...base, mode: "safe", appId: "wx0000000000000000" });
    expect(errorOf(() => openInbound({ ...sealed, token: "tok3n", crypto })).code).toBe("AppIdMismatch");
  });

  it("openReply: safe mode requires the encrypted envelope; compatible accepts plain", () => {
    const reply = "<xml><ToUserName><![CDATA[o1]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>";
    expect(errorOf(() => openReply({ body: reply, mode: "safe", token: "tok3n", crypto })).code).toBe(
      "InvalidXml",
    );
    expect(openReply({ body: reply, mode: "compatible", token: "tok3n", crypto })).toEqual({
      xml: reply,
      encrypted: false,
    });
    expect(openReply({ body: "success", mode: "safe", token: "tok3n", crypto })).toEqual({
      xml: "success",
      encrypted: false,
    });
    expect(openReply({ body: "", mode: "safe", token: "tok3n", crypto }).xml).toBe("");
  });

  it("openReply checks MsgSignature and the appid", () => {
    const sealed = sealReply({
      xml: "<xml/>",
      mode: "safe",
      token: "tok3n",
      crypto,
      timestamp: "5",
      nonce: "n",
    });
    expect(errorOf(() => openReply({ body: sealed, mode: "safe", token: "other", crypto })).code).toBe(
      "InvalidSignature",
    );
    const foreign = new MessageCrypto("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxffffffffffffffff");
    const sealedForeign = sealReply({
      xml: "<xml/>",
      mode: "safe",
      token: "tok3n",
      crypto: foreign,
      timestamp: "5",
      nonce: "n",
    });
    expect(errorOf(() => openReply({ body: sealedForeign, mode: "safe", token: "tok3n", crypto })).code).toBe(
      "AppIdMismatch",
    );
    const noSignature = sealed.replace(/<MsgSignature>.*?<\/MsgSignature>/, "");
    expect(errorOf(() => openReply({ body: noSignature, mode: "safe", token: "tok3n", crypto })).code).toBe(
      "InvalidSignature",
    );
  });
});

/** XML 1.0 Char production (what a document may carry at all). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}

describe("round trips in all three modes (properties)", () => {
  const xmlText = fc
    .string({ unit: "grapheme", maxLength: 60 })
    .filter((s) => [...s].every((c) => isXmlChar(c.codePointAt(0) ?? 0)));
  const message = fc
    .record({ FromUserName: xmlText, Content: xmlText, CreateTime: fc.integer({ min: 0, max: 2 ** 31 }) })
    .map((m) => buildXml({ ToUserName: "gh_0123456789ab", ...m, MsgType: "text" }));
  const digits = fc.stringMatching(/^[1-9][0-9]{0,10}$/);
  const mode = fc.constantFrom<SecurityMode>("plain", "compatible", "safe");
  const crypto = new MessageCrypto("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a");
  const token = fc.stringMatching(/^[A-Za-z0-9]{3,32}$/);

  it("sealInbound → openInbound gives back the message and the mode", () => {
    fc.assert(
      fc.property(message, mode, token, digits, digits, (xml, m, tok, timestamp, nonce) => {
        const sealed = sealInbound({
          xml,
          mode: m,
          token: tok,
          crypto,
          timestamp,
          nonce,
          openid: "oUSER",
          appId: crypto.appId,
          toUserName: "gh_0123456789ab",
        });
        const opened = openInbound({ query: sealed.query, body: sealed.body, token: tok, crypto });
        expect(opened).toMatchObject({ mode: m, xml, encrypted: m !== "plain" });
      }),
      { numRuns: 200 },
    );
  });

  it("sealReply → openReply gives back the reply", () => {
    fc.assert(
      fc.property(message, mode, token, digits, xmlText, (xml, m, tok, timestamp, nonce) => {
        const body = sealReply({ xml, mode: m, token: tok, crypto, timestamp, nonce });
        const opened = openReply({ body, mode: m, token: tok, crypto });
        expect(opened).toEqual({ xml, encrypted: m !== "plain" });
      }),
      { numRuns: 200 },
    );
  });
});

describe("readFlatXml (fast path for flat envelopes) agrees with parseXml", () => {
  it("reads the envelopes WeChat and SDKs send", () => {
    const safe = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName>\n<Encrypt><![CDATA[${V3_ENCRYPT}]]></Encrypt>\n</xml>`;
    expect(readFlatXml(safe)).toEqual(parseXml(safe));
    const reply = sealReply({
      xml: "<xml/>",
      mode: "safe",
      token: "t",
      crypto: V3_CRYPTO,
      timestamp: "1",
      nonce: "n",
    });
    expect(readFlatXml(reply)).toEqual(parseXml(reply));
    expect(readFlatXml("  <xml>\t</xml>\n")).toEqual({});
    expect(readFlatXml("<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A></xml>")).toBeUndefined();
    expect(readFlatXml("<xml><A><![CDATA[a]]]></A></xml>")).toEqual({ A: "a]" });
  });

  it.each([
    ["a declaration", '<?xml version="1.0"?><xml><A>1</A></xml>'],
    ["a DOCTYPE", '<!DOCTYPE xml [<!ENTITY e "x">]><xml><A>&e;</A></xml>'],
    ["an entity", "<xml><A>&amp;</A></xml>"],
    ["an attribute", '<xml><A k="v">1</A></xml>'],
    ["nesting", "<xml><A><B>1</B></A></xml>"],
    ["a repeated name", "<xml><A>1</A><A>2</A></xml>"],
    ["__proto__", "<xml><__proto__>1</__proto__></xml>"],
    ["a comment", "<xml><!-- c --><A>1</A></xml>"],
    ["CR", "<xml><A>1\r\n2</A></xml>"],
    ["a control character", "<xml><A>\u0001</A></xml>"],
    ["a lone surrogate", "<xml><A>\uD800</A></xml>"],
    ["trailing garbage", "<xml><A>1</A></xml><x/>"],
    ["an unclosed root", "<xml><A>1</A>"],
    ["a self-closing child", "<xml><A/></xml>"],
    ["mixed text and CDATA", "<xml><A> <![CDATA[1]]></A></xml>"],
    ["a BOM", "\uFEFF<xml></xml>"],
  ])("leaves %s to parseXml", (_why, text) => {
    expect(readFlatXml(text)).toBeUndefined();
  });

  it("property: whenever it answers, parseXml gives the same record", () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    const value = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 30 }),
      fc.stringMatching(/^[A-Za-z0-9+/=\][> ]{0,30}$/),
    );
    const layout = fc.constantFrom("", "\n", " ", "\t\n  ");
    const child = fc
      .tuple(name, value, fc.boolean(), layout)
      .map(([n, v, cdata, ws]) => (cdata ? `${ws}<${n}><![CDATA[${v}]]></${n}>` : `${ws}<${n}>${v}</${n}>`));
    fc.assert(
      fc.property(fc.array(child, { maxLength: 6 }), layout, (children, ws) => {
        const text = `${ws}<xml>${children.join("")}${ws}</xml>${ws}`;
        const flat = readFlatXml(text);
        if (flat === undefined) return;
        expect(flat).toEqual(parseXml(text));
      }),
      { numRuns: 1000 },
    );
  });
});
