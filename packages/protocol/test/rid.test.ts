/** Request ids in WeChat's shape, and the pooled random digits they end with. */
import { describe, expect, it } from "vitest";
import { randomHex } from "../src/random-hex.js";
import { isRid, newRid, RID_PATTERN } from "../src/rid.js";

describe("rids", () => {
  it("start with the call time in hex and are otherwise random", () => {
    const a = newRid(0x66b5fb8f * 1000);
    const b = newRid(0x66b5fb8f * 1000 + 999);
    expect(a).toMatch(RID_PATTERN);
    expect(a.startsWith("66b5fb8f-")).toBe(true);
    expect(a).not.toBe(b);
    expect(b.startsWith("66b5fb8f-")).toBe(true);
    expect(isRid(a) && !isRid(a.toUpperCase()) && !isRid(`${a}0`)).toBe(true);
  });

  it("count up within a process, so an index of rids grows at its end", () => {
    const [a, b] = [newRid(1_700_000_000_000), newRid(1_700_000_000_000)];
    const counter = (rid: string) => Number.parseInt(rid.split("-")[1] ?? "", 16);
    expect((counter(b) - counter(a)) >>> 0).toBe(1);
  });

  it("draw their random part from a pool of hex digits", () => {
    const digits = Array.from({ length: 2000 }, () => randomHex(8));
    for (const d of digits) expect(d).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(digits).size).toBe(digits.length);
    expect(randomHex(64)).toHaveLength(64);
  });
});
