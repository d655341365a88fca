/**
 * Message crypto under attack: bad Base64, truncated or tampered ciphertext, wrong keys and AppIDs,
 * forged padding and length fields — each refused with the official sample library's code.
 */
import { createCipheriv } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeEncodingAESKey,
  MessageCrypto,
  MessageCryptoError,
  type MessageCryptoErrorCode,
} from "../src/crypto.js";
import { openInbound, openReply, sealInbound, sealReply, verifyUrl } from "../src/envelope.js";
import { computeMsgSignature, computeSignature } from "../src/signature.js";

const KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APPID = "wxb11529c136998cb6";
const TOKEN = "pamtest";
const crypto = new MessageCrypto(KEY, APPID);

/** Runs `fn`, expects a MessageCryptoError with one of `codes`, and that it took under `ms`. */
function expectFailure(
  fn: () => unknown,
  codes: MessageCryptoErrorCode | MessageCryptoErrorCode[],
  ms = 1000,
) {
  const allowed = Array.isArray(codes) ? codes : [codes];
  const started = performance.now();
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  const elapsed = performance.now() - started;
  expect(caught, "expected a MessageCryptoError").toBeInstanceOf(MessageCryptoError);
  const error = caught as MessageCryptoError;
  expect(allowed).toContain(error.code);
  expect(error.officialCode).toBeLessThanOrEqual(-40001);
  expect(error.officialCode).toBeGreaterThanOrEqual(-40011);
  expect(elapsed).toBeLessThan(ms);
  return error;
}

/** AES-256-CBC over hand-made plaintext (no padding added): forges frames only the key holder could make. */
function forge(plain: Buffer, encodingAESKey = KEY): string {
  const key = decodeEncodingAESKey(encodingAESKey);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
}

/** A well-formed frame, optionally with a lying length field and a custom pad. */
function frame(message: string, opts: { length?: number; appId?: string; pad?: number[] } = {}): Buffer {
  const msg = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(opts.length ?? msg.length);
  const body = Buffer.concat([Buffer.alloc(16, 0x61), len, msg, Buffer.from(opts.appId ?? APPID)]);
  if (opts.pad !== undefined) return Buffer.concat([body, Buffer.from(opts.pad)]);
  const n = 32 - (body.length % 32);
  return Buffer.concat([body, Buffer.alloc(n, n)]);
}

function flipBit(encrypted: string, byteIndex: number, bit = 0x80): string {
  const bytes = Buffer.from(encrypted, "base64");
  bytes[byteIndex] = (bytes[byteIndex] ?? 0) ^ bit;
  return bytes.toString("base64");
}

describe("invalid Base64 → InvalidBase64 (-40010)", () => {
  const valid = crypto.encrypt("hello");
  it.each([
    ["a non-alphabet character", `${valid.slice(0, -4)}!!!!`],
    [
      "URL-safe alphabet",
      valid
        .replaceAll("+", "-")
        .replaceAll("/", "_")
        .replace(/^[^-_]*$/, "-___"),
    ],
    ["a line break", `${valid.slice(0, 8)}\n${valid.slice(8)}`],
    ["a space", ` ${valid}`],
    ["length not a multiple of 4", valid.slice(0, -1)],
    ["padding in the middle", `AA==${valid}`],
    ["three padding characters", "A==="],
    ["non-ASCII", "中文中文"],
  ])("rejects %s", (_why, input) => {
    const error = expectFailure(() => crypto.decrypt(input), "InvalidBase64");
    expect(error.officialCode).toBe(-40010);
  });

  it("rejects 8 MB of garbage quickly", () => {
    expectFailure(() => crypto.decrypt("!".repeat(8 * 1024 * 1024)), "InvalidBase64", 2000);
  });

  it("rejects non-string input at runtime", () => {
    expectFailure(() => crypto.decrypt(undefined as unknown as string), "InvalidBase64");
    expectFailure(() => crypto.decrypt({ length: 4 } as unknown as string), "InvalidBase64");
  });
});

describe("truncated and tampered ciphertext", () => {
  const valid = crypto.encrypt(
    "<xml><Content><![CDATA[hello]]></Content></xml>",
    Buffer.from("0123456789abcdef"),
  );
  const bytes = Buffer.from(valid, "base64");

  it("empty → InvalidLength", () => {
    expectFailure(() => crypto.decrypt(""), "InvalidLength");
  });

  it("not a multiple of 16 bytes → InvalidLength", () => {
    for (const n of [1, 8, 15, 17, 20, bytes.length - 1]) {
      expectFailure(() => crypto.decrypt(bytes.subarray(0, n).toString("base64")), "InvalidLength");
    }
  });

  it("cut by whole blocks → a padding or buffer error, never the message", () => {
    for (let n = 16; n < bytes.length; n += 16) {
      expectFailure(
        () => crypto.decrypt(bytes.subarray(0, n).toString("base64")),
        ["InvalidPadding", "InvalidBuffer", "AppIdMismatch"],
      );
    }
  });

  it("a flipped bit in block 0 corrupts the length field → InvalidBuffer (-40008)", () => {
    const error = expectFailure(() => crypto.decrypt(flipBit(valid, 0)), "InvalidBuffer");
    expect(error.officialCode).toBe(-40008);
  });

  it("a flipped bit before the last block corrupts the pad byte → InvalidPadding", () => {
    expectFailure(() => crypto.decrypt(flipBit(valid, bytes.length - 17)), "InvalidPadding");
  });

  it("any single-byte change never crashes", () => {
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const tampered = flipBit(valid, at, mask);
        try {
          crypto.decrypt(tampered);
        } catch (error) {
          expect(error).toBeInstanceOf(MessageCryptoError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("random Base64 never crashes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (random) => {
        try {
          crypto.decrypt(Buffer.from(random).toString("base64"));
        } catch (error) {
          expect(error).toBeInstanceOf(MessageCryptoError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("random strings (and Base64-alphabet strings) never crash", () => {
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 100 }),
      fc.stringMatching(/^[A-Za-z0-9+/]{0,200}={0,2}$/),
    );
    fc.assert(
      fc.property(text, (text) => {
        try {
          crypto.decrypt(text);
        } catch (error) {
          expect(error).toBeInstanceOf(MessageCryptoError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("wrong key and wrong appid", () => {
  const valid = crypto.encrypt("<xml/>", Buffer.from("0123456789abcdef"));

  it("another key → padding/buffer error", () => {
    const other = new MessageCrypto("A".repeat(43), APPID);
    expectFailure(() => other.decrypt(valid), ["InvalidPadding", "InvalidBuffer", "AppIdMismatch"]);
  });

  it("another appid → AppIdMismatch (-40005)", () => {
    const error = expectFailure(
      () => new MessageCrypto(KEY, "wx0000000000000000").decrypt(valid),
      "AppIdMismatch",
    );
    expect(error.officialCode).toBe(-40005);
    // an appid that is a prefix or an extension of the real one is still a mismatch
    expectFailure(() => new MessageCrypto(KEY, APPID.slice(0, -1)).decrypt(valid), "AppIdMismatch");
    expectFailure(() => new MessageCrypto(KEY, `${APPID}x`).decrypt(valid), "AppIdMismatch");
    expectFailure(() => new MessageCrypto(KEY, "").decrypt(valid), "AppIdMismatch");
  });

  it("bad keys and appids at construction → InvalidKey (-40004)", () => {
    for (const key of ["", "short", `${KEY}A`, `${KEY.slice(0, 42)}/`, `${KEY.slice(0, 42)} `]) {
      expectFailure(() => new MessageCrypto(key, APPID), "InvalidKey");
    }
    expectFailure(() => new MessageCrypto(undefined as unknown as string, APPID), "InvalidKey");
    expectFailure(() => new MessageCrypto(KEY, undefined as unknown as string), "InvalidKey");
  });

  it("bad encrypt inputs → EncryptFailed", () => {
    expectFailure(() => crypto.encrypt(42 as unknown as string), "EncryptFailed");
    expectFailure(() => crypto.encrypt("x", Buffer.alloc(17)), "EncryptFailed");
    expectFailure(() => crypto.encrypt("x", undefined, 7 as unknown as string), "EncryptFailed");
  });
});

describe("bad padding and length fields (forged with the right key)", () => {
  it("the forged well-formed frame decrypts (the forge helper is right)", () => {
    expect(crypto.decrypt(forge(frame("ok"))).message).toBe("ok");
  });

  it.each([
    ["0", 0],
    ["33", 33],
    ["255", 255],
  ])("pad byte %s → InvalidPadding", (_name, value) => {
    const body = frame("x", { pad: [] }); // 16 + 4 + 1 + 18 = 39 bytes
    const plain = Buffer.concat([body, Buffer.alloc(64 - body.length, value)]);
    expectFailure(() => crypto.decrypt(forge(plain)), "InvalidPadding");
  });

  it("pad bytes that disagree → InvalidPadding", () => {
    const body = frame("x", { pad: [] });
    const pad = Buffer.alloc(64 - body.length, 64 - body.length);
    pad[0] = 1;
    expectFailure(() => crypto.decrypt(forge(Buffer.concat([body, pad]))), "InvalidPadding");
  });

  it("a block of pure padding leaves nothing → InvalidBuffer", () => {
    expectFailure(() => crypto.decrypt(forge(Buffer.alloc(32, 32))), "InvalidBuffer");
  });

  it("a frame shorter than its 20-byte header → InvalidBuffer", () => {
    const plain = Buffer.concat([Buffer.alloc(10, 0x61), Buffer.alloc(22, 22)]);
    expectFailure(() => crypto.decrypt(forge(plain)), "InvalidBuffer");
  });

  it.each([
    ["0xFFFFFFFF", 0xffffffff],
    ["2^31", 2 ** 31],
    ["one byte more than the data", 2 + APPID.length + 1],
  ])("length field %s → InvalidBuffer", (_name, length) => {
    expectFailure(() => crypto.decrypt(forge(frame("hi", { length }))), "InvalidBuffer");
  });

  it("a length field that swallows the appid → AppIdMismatch", () => {
    expectFailure(() => crypto.decrypt(forge(frame("hi", { length: 2 + APPID.length }))), "AppIdMismatch");
  });

  it("16-byte-aligned ciphertext with a pad above 16 still opens (pad is per 32)", () => {
    // 48 bytes: valid multiple of 16; pad 20 in 1..32 → accepted like the official library
    const body = frame("", { pad: [] }); // 16 + 4 + 0 + 18 = 38 → cut to fit 48 with pad 10
    const plain = Buffer.concat([body, Buffer.alloc(48 - body.length, 48 - body.length)]);
    expect(crypto.decrypt(forge(plain)).message).toBe("");
  });
});

describe("envelope attacks", () => {
  const timestamp = "1409304348";
  const nonce = "xxxxxx";
  const xml = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Content><![CDATA[hi]]></Content></xml>";
  const sealed = sealInbound({
    xml,
    mode: "safe",
    token: TOKEN,
    crypto,
    timestamp,
    nonce,
    appId: APPID,
    toUserName: "gh_1",
  });
  const open = (query: Record<string, string | undefined>, body = sealed.body) =>
    openInbound({ query, body, token: TOKEN, crypto });

  it("the untouched push opens", () => {
    expect(open(sealed.query).xml).toBe(xml);
  });

  it("wrong signatures → InvalidSignature (-40001)", () => {
    const good = sealed.query.msg_signature!;
    for (const msgSignature of ["12345", good.toUpperCase(), `${good}0`, good.slice(1), "", "g".repeat(40)]) {
      const error = expectFailure(
        () => open({ ...sealed.query, msg_signature: msgSignature }),
        "InvalidSignature",
      );
      expect(error.officialCode).toBe(-40001);
    }
    expectFailure(() => open({ ...sealed.query, signature: sealed.query.msg_signature }), "InvalidSignature");
    // the documented mistake: passing signature where msg_signature belongs
    expectFailure(() => open({ ...sealed.query, msg_signature: sealed.query.signature }), "InvalidSignature");
    expectFailure(
      () => openInbound({ query: sealed.query, body: sealed.body, token: "other", crypto }),
      "InvalidSignature",
    );
  });

  it("missing query parameters → InvalidSignature", () => {
    for (const name of ["signature", "timestamp", "nonce", "msg_signature"]) {
      expectFailure(() => open({ ...sealed.query, [name]: undefined }), "InvalidSignature");
    }
    expectFailure(() => open({}), "InvalidSignature");
    expectFailure(() => verifyUrl({ query: {}, token: TOKEN }), "InvalidSignature");
  });

  it("query values of the wrong runtime type (duplicated parameters) count as missing", () => {
    const duplicated = { ...sealed.query, signature: [sealed.query.signature, "x"] } as unknown as Record<
      string,
      string
    >;
    expectFailure(() => open(duplicated), "InvalidSignature");
  });

  it("a ciphertext moved into a body it was not signed for → InvalidSignature", () => {
    const other = sealInbound({
      xml,
      mode: "safe",
      token: TOKEN,
      crypto,
      timestamp,
      nonce,
      appId: APPID,
      toUserName: "gh_1",
    });
    expectFailure(() => open(sealed.query, other.body), "InvalidSignature");
  });

  it("XXE, entity expansion, oversized and malformed envelopes → InvalidXml (-40002)", () => {
    const doctype = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>`;
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><Encrypt>&lol2;</Encrypt></xml>`;
    const bodies = [
      doctype,
      laughs,
      `<xml><Encrypt>${"A".repeat(2 * 1024 * 1024)}</Encrypt></xml>`,
      `${"<a>".repeat(10_000)}`,
      "<xml><Encrypt>unterminated",
      "not xml at all",
      "",
      "<xml><ToUserName>gh_1</ToUserName></xml>",
      "<xml><Encrypt><Inner>x</Inner></Encrypt></xml>",
      "<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>",
    ];
    for (const body of bodies) {
      const error = expectFailure(() => open(sealed.query, body), "InvalidXml");
      expect(error.officialCode).toBe(-40002);
    }
  });

  it("an encrypted push without a configured key → InvalidKey, not a crash", () => {
    expectFailure(() => openInbound({ query: sealed.query, body: sealed.body, token: TOKEN }), "InvalidKey");
  });

  it("stale timestamps are refused when a window is set", () => {
    expectFailure(
      () => openInbound({ ...sealed, token: TOKEN, crypto, timestampWindowSeconds: 300, now: Date.now() }),
      "InvalidSignature",
    );
    const fresh = openInbound({
      ...sealed,
      token: TOKEN,
      crypto,
      timestampWindowSeconds: 300,
      now: 1409304348_000,
    });
    expect(fresh.xml).toBe(xml);
  });

  it("replies: wrong MsgSignature, tampered Encrypt, XXE → typed errors", () => {
    const reply = sealReply({ xml: "<xml/>", mode: "safe", token: TOKEN, crypto, timestamp, nonce });
    expectFailure(
      () =>
        openReply({
          body: reply.replace(/[0-9a-f]{40}/, "0".repeat(40)),
          mode: "safe",
          token: TOKEN,
          crypto,
        }),
      "InvalidSignature",
    );
    const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]>/.exec(reply)?.[1] ?? "";
    const tampered = flipBit(encrypt, 0);
    const resigned = reply
      .replace(encrypt, tampered)
      .replace(/[0-9a-f]{40}/, computeMsgSignature(TOKEN, timestamp, nonce, tampered));
    expectFailure(
      () => openReply({ body: resigned, mode: "safe", token: TOKEN, crypto }),
      ["InvalidBuffer", "InvalidPadding", "AppIdMismatch"],
    );
    expectFailure(
      () =>
        openReply({
          body: `<!DOCTYPE x [<!ENTITY e "e">]><xml><Encrypt>&e;</Encrypt></xml>`,
          mode: "safe",
          token: TOKEN,
          crypto,
        }),
      "InvalidXml",
    );
    expectFailure(() => openReply({ body: reply, mode: "safe", token: TOKEN }), "InvalidKey");
  });

  it("signature checks compare in constant time over equal lengths only (sanity: right signature passes)", () => {
    expect(computeSignature(TOKEN, timestamp, nonce)).toBe(sealed.query.signature);
  });
});
