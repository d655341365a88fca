import { Type } from "@sinclair/typebox";
import { describe, expect, it } from "vitest";
import { WechatApiError } from "../src/http/errors.js";
import { compileValidator } from "../src/http/parse.js";

const codeOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof WechatApiError) return err.errcode;
    throw err;
  }
  return undefined;
};

describe("request validation codes", () => {
  const schema = Type.Object({ scene: Type.Integer(), note: Type.Optional(Type.String()) });

  it("answers a body that fails the schema with the endpoint's schemaErrcode, 47001 by default", () => {
    expect(codeOf(() => compileValidator(schema).check({ scene: "x" }, false))).toBe(47001);
    expect(codeOf(() => compileValidator(schema, {}, 40097).check({ scene: "x" }, false))).toBe(40097);
  });

  it("prefers a field's own code over the fallback", () => {
    const v = compileValidator(schema, { invalid: { scene: 40098 } }, 40097);
    expect(codeOf(() => v.check({ scene: "x" }, false))).toBe(40098);
    expect(codeOf(() => v.check({ scene: 1, note: 2 }, false))).toBe(40097);
    expect(v.check({ scene: 1 }, false)).toEqual({ scene: 1 });
  });
});
