/**
 * The simulator scope's access rule against a browser's reach: DNS rebinding (a foreign Host on a
 * loopback connection), cross-site writes (foreign Origin, requests a page sends without a
 * preflight), and what stays open (GET pages, the one-time browse link, admin-key callers).
 */
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostNameOf, isLoopbackName } from "../src/http/simulator-guard.js";
import { type Running, start } from "./helpers.js";

async function call(
  r: Running,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; text: string }> {
  const res = await request(r.url + path, {
    method: method as "GET",
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.statusCode, text: await res.body.text() };
}

describe("host names", () => {
  it("parses Host headers and knows loopback names", () => {
    expect(hostNameOf("127.0.0.1:7700")).toBe("127.0.0.1");
    expect(hostNameOf("LocalHost")).toBe("localhost");
    expect(hostNameOf("[::1]:80")).toBe("::1");
    expect(hostNameOf("localhost.:7700")).toBe("localhost");
    expect(hostNameOf("a:b:c")).toBeNull();
    expect(hostNameOf("[::1")).toBeNull();
    expect(hostNameOf("")).toBeNull();
    for (const n of ["localhost", "app.localhost", "127.0.0.1", "127.8.9.10", "::1"])
      expect(isLoopbackName(n)).toBe(true);
    for (const n of ["attacker.example", "localhost.example", "10.0.0.1", "127.0.0.1.nip.io"])
      expect(isLoopbackName(n)).toBe(false);
  });
});

describe("simulator guard without an admin key", () => {
  let r: Running;
  let port: string;
  beforeAll(async () => {
    r = await start({ allowedHosts: ["mpstack.test"] });
    port = new URL(r.url).port;
  });
  afterAll(() => r?.close());

  it("answers loopback host names and allowed names, refuses any other Host (DNS rebinding)", async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      "localhost",
      `mpstack.test:${port}`,
    ]) {
      const res = await call(r, "GET", "/_mpstack/world", { host });
      expect(res.status, host).toBe(200);
    }
    for (const host of [
      `attacker.example:${port}`,
      "attacker.example",
      `localhost.attacker.example:${port}`,
      "x:y:z",
    ]) {
      const res = await call(r, "GET", "/_mpstack/world", { host });
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.text).error.code).toBe("forbidden");
      expect(res.text).not.toContain("d0000000000000000000000000000004");
    }
    // The WeChat API itself answers whatever the Host (SDKs may call it by any name).
    const api = await call(r, "GET", "/cgi-bin/getcallbackip", { host: "attacker.example" });
    expect(JSON.parse(api.text).errcode).toBe(41001);
  });

  it("refuses writes a page could send without a preflight, and foreign origins", async () => {
    const before = (await r.get("/_mpstack/accounts")).body.accounts as unknown[];
    await r.post("/_mpstack/users", { id: "guard-probe", nickname: "Probe" });
    const refused: [string, string, Record<string, string>, string?][] = [
      ["POST", "/_mpstack/reset", {}],
      ["POST", "/_mpstack/reset", { origin: "http://evil.example" }],
      ["POST", "/_mpstack/reset", { "content-type": "text/plain" }, "{}"],
      ["POST", "/_mpstack/reset", { "content-type": "application/x-www-form-urlencoded" }, "empty=1"],
      ["POST", "/_mpstack/reset", { "content-type": "multipart/form-data; boundary=x" }, "--x--"],
      [
        "POST",
        "/_mpstack/reset",
        { "content-type": "application/json", origin: "http://evil.example" },
        "{}",
      ],
      ["POST", "/_mpstack/reset", { "content-type": "application/json", origin: "null" }, "{}"],
      ["POST", "/_mpstack/location/tick", {}],
      [
        "PUT",
        "/_mpstack/push-policy",
        { "content-type": "application/json", origin: "https://evil.example" },
        "{}",
      ],
      ["DELETE", "/_mpstack/users/guard-probe", { origin: "http://evil.example" }],
    ];
    for (const [method, path, headers, body] of refused) {
      const res = await call(r, method, path, headers, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
      expect(JSON.parse(res.text).error.code).toBe("forbidden");
    }
    // Nothing happened: the probe user and the accounts are still there.
    expect((await r.get("/_mpstack/users/guard-probe")).status).toBe(200);
    expect(((await r.get("/_mpstack/accounts")).body.accounts as unknown[]).length).toBe(before.length);
  });

  it("accepts JSON or an X-Mpstack header, from no origin, its own origin or a loopback one", async () => {
    const ok: Record<string, string>[] = [
      { "content-type": "application/json" },
      { "content-type": "application/json; charset=utf-8", origin: r.url },
      { "x-mpstack-request": "1" },
      { "content-type": "application/json", origin: "http://localhost:5173" },
      { "content-type": "application/json", origin: `http://mpstack.test:${port}` },
    ];
    for (const headers of ok) {
      const res = await call(r, "POST", "/_mpstack/clock", headers, headers["content-type"] ? "" : undefined);
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
    // A JSON write under another allowed name, from that name's origin (the browser's view).
    const res = await call(
      r,
      "POST",
      "/_mpstack/clock",
      {
        host: `mpstack.test:${port}`,
        origin: `http://mpstack.test:${port}`,
        "content-type": "application/json",
      },
      "{}",
    );
    expect(res.status).toBe(200);
  });

  it("keeps GET pages and the one-time browse link plain links", async () => {
    expect((await call(r, "GET", "/_mpstack/browse", { origin: "http://evil.example" })).status).toBe(200);
    const { body } = await r.post("/_mpstack/users/alice/browse-link", { next: "/" });
    const link = await call(r, "GET", String(body.path), { host: "attacker.example" });
    expect(link.status).toBe(302);
  });
});

describe("simulator guard with an admin key", () => {
  let r: Running;
  beforeAll(async () => {
    r = await start({ adminKey: "guard-key" });
  });
  afterAll(() => r?.close());

  it("serves any host name to a caller with the key, still refuses foreign origins", async () => {
    const key = { "x-mpstack-admin-key": "guard-key" };
    expect((await call(r, "GET", "/_mpstack/health", { ...key, host: "mpstack.lan:7700" })).status).toBe(200);
    expect((await call(r, "GET", "/_mpstack/health", { host: "mpstack.lan:7700" })).status).toBe(401);
    expect((await call(r, "POST", "/_mpstack/clock", { ...key })).status).toBe(200);
    expect(
      (
        await call(r, "POST", "/_mpstack/clock", {
          ...key,
          host: "mpstack.lan",
          origin: "http://mpstack.lan",
        })
      ).status,
    ).toBe(200);
    expect((await call(r, "POST", "/_mpstack/clock", { ...key, origin: "http://evil.example" })).status).toBe(
      403,
    );
  });
});
