/** The journal's query redaction: URLSearchParams' encoding exactly, with secret values as `***`. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactQuery } from "../src/http/redact.js";

const SECRET = ["access_token", "secret", "appsecret", "component_access_token", "component_appsecret"];

function reference(query: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v]) p.append(k, SECRET.includes(k.toLowerCase()) ? "***" : one);
  }
  return p.toString();
}

describe("redactQuery", () => {
  it("hides every secret value", () => {
    expect(redactQuery({ access_token: "TOKEN", secret: "S", appid: "wx1", openid: "o_x-1.2" })).toBe(
      "access_token=***&secret=***&appid=wx1&openid=o_x-1.2",
    );
    // Keys in any case (a careless client's `Secret=`).
    expect(redactQuery({ Secret: "S", ACCESS_TOKEN: "T" })).toBe("Secret=***&ACCESS_TOKEN=***");
  });

  it("encodes keys and values as URLSearchParams does (any text, repeated keys)", () => {
    const key = fc.oneof(
      fc.constantFrom(...SECRET, "Secret", "ACCESS_TOKEN", "openid", "lang"),
      fc.string({ unit: "grapheme" }),
    );
    const value = fc.string({ unit: "grapheme" });
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(value, fc.array(value, { maxLength: 3 }))), (query) => {
        expect(redactQuery(query)).toBe(reference(query));
      }),
      { numRuns: 2000 },
    );
  });
});
