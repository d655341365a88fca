/**
 * The envelope from the developer's side: URL verification, opening pushes in the three modes,
 * sealing replies.
 */
import { describe, expect, it } from "vitest";
import { MessageCrypto } from "../src/crypto.js";
import { openInbound, sealInbound, sealReply, verifyUrl } from "../src/envelope.js";
import { parseXml } from "../src/xml.js";
import { errorOf, V3_CRYPTO, V3_ENCRYPT, V3_QUERY } from "./envelope-vectors.js";

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
