/**
 * The permission matrix: which account type may call which row, and policy overrides.
 */
import { describe, expect, it } from "vitest";
import { accountKind, mayCall, PERMISSION_IDS, PERMISSIONS } from "../src/permissions.js";

const US = { type: "subscription", verified: false } as const;
const VS = { type: "subscription", verified: true } as const;
const UV = { type: "service", verified: false } as const;
const VV = { type: "service", verified: true } as const;

describe("permission matrix", () => {
  it("names the four kinds", () => {
    expect([US, VS, UV, VV].map(accountKind)).toEqual(["US", "VS", "UV", "VV"]);
  });

  it("holds every row of spec/permissions.md", () => {
    expect(PERMISSION_IDS).toHaveLength(37);
    expect(PERMISSIONS["ui.menu"].seed).toBe("界面丰富-自定义菜单");
  });

  it("answers plain cells", () => {
    expect([US, VS, UV, VV].map((a) => mayCall(a, "ui.menu"))).toEqual([false, true, true, true]);
    expect([US, VS, UV, VV].map((a) => mayCall(a, "send.template"))).toEqual([false, false, false, true]);
    expect([US, VS, UV, VV].map((a) => mayCall(a, "basic.access_token"))).toEqual([true, true, true, true]);
  });

  it("needs the grant for apply cells", () => {
    expect(mayCall(VV, "pay")).toBe(false);
    expect(mayCall({ ...VV, grants: ["pay"] }, "pay")).toBe(true);
    expect(mayCall({ ...UV, grants: ["pay"] }, "pay")).toBe(false);
    expect(mayCall({ ...VS, grants: ["card"] }, "card")).toBe(true);
    expect(mayCall(VV, "jssdk.pay")).toBe(false);
    expect(mayCall({ ...VV, grants: ["pay"] }, "jssdk.pay")).toBe(true);
  });

  it("applies overrides as policy", () => {
    expect(mayCall(VS, "user.remark", { "user.remark": { VS: "no" } })).toBe(false);
    expect(mayCall(US, "user.remark", { "user.remark": { US: "yes" } })).toBe(true);
  });
});
