/**
 * Web identity: one-time browse links set a signed cookie once; the chooser lists simulated users
 * and sets the cookie for the one picked; a forged or foreign cookie is nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start } from "./helpers.js";

describe("web identity", () => {
  let r: Running;
  beforeAll(async () => {
    r = await start();
  });
  afterAll(() => r?.close());

  const whoami = async (cookie?: string) =>
    (await r.get("/_mpstack/browse/whoami", cookie ? { cookie } : {})).body.user;
  const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

  it("a one-time link sets the cookie once and goes on to next", async () => {
    const made = await r.post("/_mpstack/users/alice/browse-link", { next: "/somewhere?x=1" });
    expect(made.status).toBe(200);
    expect(String(made.body.link)).toBe(`${r.url}${made.body.path}`);
    const first = await r.raw(String(made.body.path), { redirect: "manual" });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/somewhere?x=1");
    expect(first.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    const cookie = cookieOf(first);
    expect(await whoami(cookie)).toBe("alice");
    const again = await r.raw(String(made.body.path), { redirect: "manual" });
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
  });

  it("refuses unknown users and unsafe next URLs", async () => {
    expect((await r.post("/_mpstack/users/nobody/browse-link", {})).status).toBe(404);
    const made = await r.post("/_mpstack/users/bob/browse-link", { next: "javascript:alert(1)" });
    const res = await r.raw(String(made.body.path), { redirect: "manual" });
    expect(res.headers.get("location")).toBe("/");
  });

  it("the chooser lists users (escaped) and picking one sets the cookie", async () => {
    await r.post("/_mpstack/users", { id: "mallory", nickname: "<b>Mallory</b>" });
    const page = await r.raw("/_mpstack/browse?next=/page");
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const text = await page.text();
    expect(text).toContain("&lt;b&gt;Mallory&lt;/b&gt;");
    expect(text).not.toContain("<b>Mallory</b>");
    expect(text).toContain("/_mpstack/browse/as/carol?next=%2Fpage");
    const pick = await r.raw("/_mpstack/browse/as/carol?next=%2Fpage", { redirect: "manual" });
    expect(pick.status).toBe(302);
    expect(await whoami(cookieOf(pick))).toBe("carol");
  });

  it("a forged or tampered cookie is nobody; forget clears it", async () => {
    expect(await whoami("mpstack_user=alice.AAAA")).toBeNull();
    const pick = await r.raw("/_mpstack/browse/as/dave", { redirect: "manual" });
    const cookie = cookieOf(pick);
    expect(await whoami(cookie.replace("dave", "erin"))).toBeNull();
    const forget = await r.raw("/_mpstack/browse/forget", {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
    });
    expect(forget.headers.get("set-cookie")).toMatch(/Max-Age=0/i);
  });

  it("a reset signs everybody out (the key is part of the world)", async () => {
    const pick = await r.raw("/_mpstack/browse/as/erin", { redirect: "manual" });
    const cookie = cookieOf(pick);
    expect(await whoami(cookie)).toBe("erin");
    await r.post("/_mpstack/reset", {});
    expect(await whoami(cookie)).toBeNull();
  });
});
