/**
 * URL and message signatures, and the constant-time comparison.
 */
import { describe, expect, it } from "vitest";
import {
  computeMsgSignature,
  computeSignature,
  safeEqual,
  sha1Hex,
  verifyMsgSignature,
  verifySignature,
} from "../src/signature.js";

describe("computeSignature (spec/crypto.md §3.1)", () => {
  it("V1: URL verification GET of the official docs", () => {
    expect(computeSignature("AAAAA", "1714036504", "1514711492")).toBe(
      "f464b24fc39322e44b38aa78f5edd27bd1441696",
    );
    expect(
      verifySignature("AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696"),
    ).toBe(true);
  });

  it("V2: plaintext-mode POST signature", () => {
    expect(computeSignature("AAAAA", "1714037059", "486452656")).toBe(
      "899cf89e464efb63f54ddac96b0a0a235f53aa78",
    );
  });

  it("V3: signature of the safe-mode push", () => {
    expect(computeSignature("AAAAA", "1714112445", "415670741")).toBe(
      "6c5c811b55cc85e0e1b54100749188c20beb3f5d",
    );
  });

  it("V7: signature of the 2014 compatible-mode capture", () => {
    expect(computeSignature("weixin", "1414387151", "917222494")).toBe(
      "e3203b6433eb554dd2fcba78fa48cb948fcb4801",
    );
  });

  it("does not depend on argument order (the parts are sorted)", () => {
    expect(computeSignature("1514711492", "AAAAA", "1714036504")).toBe(
      computeSignature("AAAAA", "1714036504", "1514711492"),
    );
  });

  it("rejects a signature for another nonce, another token, or a truncated one", () => {
    const good = computeSignature("AAAAA", "1714036504", "1514711492");
    expect(verifySignature("AAAAA", "1714036504", "1514711493", good)).toBe(false);
    expect(verifySignature("AAAAB", "1714036504", "1514711492", good)).toBe(false);
    expect(verifySignature("AAAAA", "1714036504", "1514711492", good.slice(0, 39))).toBe(false);
    expect(verifySignature("AAAAA", "1714036504", "1514711492", good.toUpperCase())).toBe(false);
    expect(verifySignature("AAAAA", "1714036504", "1514711492", "")).toBe(false);
  });
});

describe("computeMsgSignature (spec/crypto.md §3.2)", () => {
  it("V4: reply MsgSignature of the official docs", () => {
    const encrypt =
      "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==";
    expect(computeMsgSignature("AAAAA", "1713424427", "415670741", encrypt)).toBe(
      "1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1",
    );
  });

  it("V11: wechat-crypto's signature-only vector", () => {
    expect(computeMsgSignature("RMNlACHlV5ThzfRlVS4D4", "timestamp", "nonce", "encrypt")).toBe(
      "8edac0945683c119ee71c9f6256d76c48aa08a96",
    );
  });

  it("V11: WxJava SHA1Test (two parts sorted and joined)", () => {
    expect(sha1Hex(["345", "123"].sort().join(""))).toBe("9f537aeb751ec72605f57f94a2f6dc3e3958e1dd");
  });

  it("V5: the 'wrong signature' case fails", () => {
    const encrypt =
      "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";
    expect(
      verifyMsgSignature(
        "pamtest",
        "1409304348",
        "xxxxxx",
        encrypt,
        "82c962d39941aa48552f90ef55aa323dc620cc10",
      ),
    ).toBe(true);
    expect(verifyMsgSignature("pamtest", "1409304348", "xxxxxx", encrypt, "12345")).toBe(false);
  });
});

describe("safeEqual", () => {
  it("compares by content", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });

  it("returns false for different lengths (including different UTF-8 byte lengths)", () => {
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("é", "e")).toBe(false);
    expect(safeEqual("中", "abc")).toBe(false);
  });
});
