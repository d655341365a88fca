/**
 * The envelope of pushes and replies in the three modes, from both sides: URL verification,
 * opening and sealing, and the fast flat-XML reader agreeing with the full codec.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MessageCrypto, MessageCryptoError } from "../src/crypto.js";
import {
  openInbound,
  openReply,
  readFlatXml,
  type SecurityMode,
  sealInbound,
  sealReply,
  verifyUrl,
} from "../src/envelope.js";
import { computeMsgSignature, computeSignature } from "../src/signature.js";
import { parseXml } from "../src/xml.js";
import { buildXml } from "../src/xml-build.js";

function errorOf(fn: () => unknown): MessageCryptoError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MessageCryptoError) return error;
    throw new Error(`expected a MessageCryptoError, got ${String(error)}`);
  }
  throw new Error("expected a MessageCryptoError, nothing was thrown");
}

const V3_ENCRYPT =
  "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
const V3_QUERY = {
  signature: "6c5c811b55cc85e0e1b54100749188c20beb3f5d",
  timestamp: "1714112445",
  nonce: "415670741",
  openid: "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
  encrypt_type: "aes",
  msg_signature: "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3",
};
const V3_CRYPTO = new MessageCrypto("A".repeat(43), "wxba5fad812f8e6fb9");

describe("verifyUrl (callback.md §2)", () => {
  const query = {
    signature: "f464b24fc39322e44b38aa78f5edd27bd1441696",
    echostr: "4375120948345356249",
    timestamp: "1714036504",
    nonce: "1514711492",
  };

  it("V1: answers echostr verbatim when the signature is valid", () => {
    expect(verifyUrl({ query, token: "AAAAA" })).toBe("4375120948345356249");
  });

  it("rejects a wrong signature, a wrong token and missing parameters", () => {
    expect(
      errorOf(() => verifyUrl({ query: { ...query, signature: "0".repeat(40) }, token: "AAAAA" })).code,
    ).toBe("InvalidSignature");
    expect(errorOf(() => verifyUrl({ query, token: "BBBBB" })).officialCode).toBe(-40001);
    for (const name of ["signature", "timestamp", "nonce", "echostr"] as const) {
      const partial: Record<string, string | undefined> = { ...query, [name]: undefined };
      expect(errorOf(() => verifyUrl({ query: partial, token: "AAAAA" })).code).toBe("InvalidSignature");
    }
  });

  it("the GET is plain in safe mode too: a configured key does not change the MP handshake", () => {
    expect(verifyUrl({ query, token: "AAAAA", crypto: V3_CRYPTO })).toBe("4375120948345356249");
  });

  it("V9a: WeCom-style encrypted echostr with msg_signature (optional path)", () => {
    const crypto = new MessageCrypto("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a");
    const wecom = {
      msg_signature: "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
      timestamp: "1411443780",
      nonce: "437374425",
      echostr: "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==",
    };
    expect(verifyUrl({ query: wecom, token: "123456", crypto })).toBe("5927782489442352469");
    expect(
      errorOf(() => verifyUrl({ query: { ...wecom, nonce: "437374424" }, token: "123456", crypto })).code,
    ).toBe("InvalidSignature");
    // without a key the WeCom form is not accepted (no `signature`)
    expect(errorOf(() => verifyUrl({ query: wecom, token: "123456" })).code).toBe("InvalidSignature");
  });

  it("optional timestamp window", () => {
    const now = 1714036504_000;
    expect(verifyUrl({ query, token: "AAAAA", timestampWindowSeconds: 300, now: now + 299_000 })).toBe(
      "4375120948345356249",
    );
    expect(
      errorOf(() => verifyUrl({ query, token: "AAAAA", timestampWindowSeconds: 300, now: now + 301_000 }))
        .code,
    ).toBe("InvalidSignature");
  });
});

describe("openInbound (developer side)", () => {
  it("V3: official safe-mode push", () => {
    const body = `<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[${V3_ENCRYPT}]]></Encrypt></xml>`;
    const opened = openInbound({ query: V3_QUERY, body, token: "AAAAA", crypto: V3_CRYPTO });
    expect(opened.mode).toBe("safe");
    expect(opened.encrypted).toBe(true);
    expect(opened.xml).toContain('"debug_str":"hello world"');
    expect(opened.crypto).toBe(V3_CRYPTO);
  });

  it("V7: 2014 compatible-mode capture (plain fields, then Encrypt)", () => {
    const encrypt =
      "2gUBUpAeuPFKBS+gkcvrR1cBq1VjTOQluB7+FQF00VnybRpYR3xko4S4wh0qD+64cWmJfF93ZNLm+HLZBexjHLAdJBs5RBG2rP1AJnU0/1vQU/Ac9Q1Nq7vfC4l3ciF8YwhQW0o/GE4MYWWakgdwnp0hQ7aVVwqMLd67A5bsURQHJiFY/cH0fVlsKe6J3aazGhRXFCxceOq2VTJ2Eulc8aBDVSM5/lAIUA/JPq5Z2RzomM0+aoa5XIfGyAtAdlBXD0ADTemxgfYAKI5EMfKtH5za3dKV2UWbGAlJQZ0fwrwPx6Rs8MsoEtyxeQ52gO94gafA+/kIVjamKTVLSgudLLz5rAdGneKkBVhXyfyfousm1DoDRjQdAdqMWpwbeG5hanoJyJiH+humW/1q8PAAiaEfA+BOuvBk/a5xL0Q2l2k=";
    const body =
      "<xml><ToUserName><![CDATA[gh_a96a4a619366]]></ToUserName>\n<FromUserName><![CDATA[olPjZjsXuQPJoV0HlruZkNzKc91E]]></FromUserName>\n<CreateTime>1414387151</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[你好]]></Content>\n<MsgId>6074746557628292943</MsgId>\n" +
      `<Encrypt><![CDATA[${encrypt}]]></Encrypt>\n</xml>`;
    const query = {
      signature: "e3203b6433eb554dd2fcba78fa48cb948fcb4801",
      timestamp: "1414387151",
      nonce: "917222494",
      encrypt_type: "aes",
      msg_signature: "ae70d4e343d946fc0477a5c760b95be0947fddbb",
    };
    const crypto = new MessageCrypto("mNnY5GekpChwqhy2c4NBH90g3hND6GeI4gii2YCvKLY", "wx669ef95216eef885");
    const opened = openInbound({ query, body, token: "weixin", crypto });
    expect(opened.mode).toBe("compatible");
    const message = parseXml(opened.xml);
    expect(message.Content).toBe("你好");
    expect(message.MsgId).toBe("6074746557628292943");
    // the plain part of the body says the same as the ciphertext
    const { Encrypt: _, ...plainPart } = parseXml(body);
    expect(plainPart).toEqual(message);
  });

  it("V2: plaintext push; encrypt_type raw is plaintext too", () => {
    const query = {
      signature: "899cf89e464efb63f54ddac96b0a0a235f53aa78",
      timestamp: "1714037059",
      nonce: "486452656",
    };
    const body = "<xml><MsgType><![CDATA[text]]></MsgType></xml>";
    expect(openInbound({ query, body, token: "AAAAA" })).toEqual({
      mode: "plain",
      xml: body,
      encrypted: false,
    });
    expect(openInbound({ query: { ...query, encrypt_type: "raw" }, body, token: "AAAAA" }).mode).toBe(
      "plain",
    );
    expect(errorOf(() => openInbound({ query, body, token: "AAAAB" })).code).toBe("InvalidSignature");
  });

  it("checks signature even in aes mode, and needs a key there", () => {
    const body = `<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[${V3_ENCRYPT}]]></Encrypt></xml>`;
    const badSignature = { ...V3_QUERY, signature: "6c5c811b55cc85e0e1b54100749188c20beb3f5e" };
    expect(
      errorOf(() => openInbound({ query: badSignature, body, token: "AAAAA", crypto: V3_CRYPTO })).code,
    ).toBe("InvalidSignature");
    expect(errorOf(() => openInbound({ query: V3_QUERY, body, token: "AAAAA" })).code).toBe("InvalidKey");
    expect(
      errorOf(() =>
        openInbound({ query: { ...V3_QUERY, encrypt_type: "sm4" }, body, token: "AAAAA", crypto: V3_CRYPTO }),
      ).code,
    ).toBe("DecryptFailed");
  });

  it("tries the previous key after a rotation and reports which key worked", () => {
    const oldKey = new MessageCrypto("B".repeat(43), "wx1234567890abcdef");
    const newKey = new MessageCrypto("C".repeat(43), "wx1234567890abcdef");
    const sealed = sealInbound({
      xml: "<xml><Content><![CDATA[hi]]></Content></xml>",
      mode: "safe",
      token: "tok",
      crypto: oldKey,
      timestamp: "1700000000",
      nonce: "42",
      appId: "wx1234567890abcdef",
      toUserName: "gh_0123456789ab",
    });
    const opened = openInbound({ ...sealed, token: "tok", crypto: newKey, previousCrypto: oldKey });
    expect(opened.crypto).toBe(oldKey);
    expect(opened.xml).toBe("<xml><Content><![CDATA[hi]]></Content></xml>");
    expect(errorOf(() => openInbound({ ...sealed, token: "tok", crypto: newKey })).code).toMatch(
      /InvalidPadding|InvalidBuffer|AppIdMismatch/,
    );
  });
});

describe("sealReply (developer side)", () => {
  it("V4: reply envelope with the official random, timestamp and nonce", () => {
    const sealed = sealReply({
      xml: '{"demo_resp":"good luck"}',
      mode: "safe",
      token: "AAAAA",
      crypto: V3_CRYPTO,
      timestamp: "1713424427",
      nonce: "415670741",
      random16: Buffer.from("707722b803182950"),
    });
    expect(sealed).toBe(
      "<xml><Encrypt><![CDATA[ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==]]></Encrypt>\n" +
        "<MsgSignature><![CDATA[1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1]]></MsgSignature>\n" +
        "<TimeStamp>1713424427</TimeStamp>\n<Nonce><![CDATA[415670741]]></Nonce>\n</xml>",
    );
  });

  it("passes plaintext replies and bare acknowledgements through", () => {
    const base = { token: "AAAAA", crypto: V3_CRYPTO, timestamp: "1", nonce: "2" };
    expect(sealReply({ ...base, xml: "<xml/>", mode: "plain" })).toBe("<xml/>");
    for (const mode of ["plain", "compatible", "safe"] as const) {
      expect(sealReply({ ...base, xml: "success", mode })).toBe("success");
      expect(sealReply({ ...base, xml: "", mode })).toBe("");
    }
    expect(errorOf(() => sealReply({ ...base, crypto: undefined, xml: "<xml/>", mode: "safe" })).code).toBe(
      "InvalidKey",
    );
  });
});

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
