/**
 * JS-SDK signatures: the page signature and the card signatures, against the spec's examples.
 */
import { describe, expect, it } from "vitest";
import {
  cardExtSignature,
  cardSignature,
  chooseCardSignature,
  jssdkSignature,
  jssdkSignedUrl,
} from "../src/jssdk.js";

const TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";

describe("jssdkSignature (spec/jssdk.md §3)", () => {
  it("official vector", () => {
    expect(
      jssdkSignature({
        jsapiTicket: TICKET,
        nonceStr: "Wm3WZYTPz0wzccnW",
        timestamp: 1414587457,
        url: "http://mp.weixin.qq.com?params=value",
      }),
    ).toBe("0f9de62fce790f9a083d5c99e95740ceb90c27ed");
  });

  it("removes the #fragment before signing", () => {
    const input = { jsapiTicket: TICKET, nonceStr: "abc123", timestamp: "1700000000" };
    expect(jssdkSignature({ ...input, url: "https://example.com/page?a=1&b=2#/route" })).toBe(
      "78e429d13440bf11f29c894eb874038392a49d56",
    );
    expect(jssdkSignature({ ...input, url: "https://example.com/page?a=1&b=2" })).toBe(
      "78e429d13440bf11f29c894eb874038392a49d56",
    );
    expect(jssdkSignedUrl("https://e.com/#a#b")).toBe("https://e.com/");
  });

  it("changes with any input (the query string is part of the URL)", () => {
    const input = { jsapiTicket: TICKET, nonceStr: "abc123", timestamp: "1700000000" };
    expect(jssdkSignature({ ...input, url: "https://example.com/page?a=1" })).not.toBe(
      "78e429d13440bf11f29c894eb874038392a49d56",
    );
  });
});

describe("card signatures (spec/jssdk.md §6)", () => {
  const base = {
    apiTicket: TICKET,
    nonceStr: "Wm3WZYTPz0wzccnW",
    timestamp: "1414587457",
    cardId: "random_card_id",
  };

  it.each([
    [undefined, undefined, "22dce6bad4db532d4a2ef82ca2ca7bbe1e10ef28"],
    ["random_code", undefined, "2e9c6d12952246e071717d7baeab20c30420b5cd"],
    [undefined, "random_openid", "ded860a5dd4467312764bd86e544ad0579cbfad0"],
    ["random_code", "random_openid", "950dc1842852457ea573d4d6af34879c1ec093c8"],
  ])("cardExt signature with code %s and openid %s (wechatpy vectors)", (code, openid, expected) => {
    expect(cardExtSignature({ ...base, code, openid })).toBe(expected);
  });

  it("documented example, space-free concatenation", () => {
    expect(
      cardSignature([
        "1404896688",
        "jonyqin",
        "jonyqin_1434008071",
        "ojZ8YtyVyr30HheH3CM73y7h4jJE",
        "pjZ8Yt1XGILfi-FUsewpnnolGgZk",
      ]),
    ).toBe("2b4d29b5f60fa4be37522ddfd9583c329446d3e3");
  });

  it("cardSign for chooseCard includes app_id", () => {
    expect(
      chooseCardSignature({
        apiTicket: TICKET,
        appId: "wx2421b1c4370ec43b",
        locationId: "",
        timestamp: 1414587457,
        nonceStr: "Wm3WZYTPz0wzccnW",
        cardType: "GROUPON",
      }),
    ).toBe("1d28bc9a3b0b5c2e511c2b270c99f2432a302b24");
  });

  it("does not reorder the caller's array", () => {
    const values = ["b", "a"];
    cardSignature(values);
    expect(values).toEqual(["b", "a"]);
  });
});
