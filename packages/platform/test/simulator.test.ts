import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordMessage } from "../src/modules/conversations/store.js";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";

const A4 = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };

/** A non-loopback address of this machine, to call the server as a "remote" client. */
const externalIp = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

describe("simulator access rule", () => {
  it("serves loopback callers without a key", async () => {
    const r = await start();
    try {
      expect((await r.get("/_mpstack/health")).body.status).toBe("ok");
    } finally {
      await r.close();
    }
  });

  describe.skipIf(!externalIp)("remote callers (skipped: no non-loopback IPv4 interface)", () => {
    it("refuses non-loopback callers without an admin key (403) but WeChat APIs still answer", async () => {
      const r = await start({ host: "0.0.0.0" });
      try {
        const port = new URL(r.url).port;
        const res = await fetch(`http://${externalIp}:${port}/_mpstack/accounts`);
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
        const api = await fetch(`http://${externalIp}:${port}/cgi-bin/getcallbackip`);
        expect(((await api.json()) as { errcode: number }).errcode).toBe(41001);
      } finally {
        await r.close();
      }
    });
  });

  it("with an admin key, requires it from every caller (header or bearer)", async () => {
    const r = await start({ adminKey: "s3cret-key" });
    try {
      expect((await r.get("/_mpstack/health")).status).toBe(401);
      expect((await r.get("/_mpstack/health", { "x-mpstack-admin-key": "wrong" })).status).toBe(401);
      expect((await r.get("/_mpstack/health", { "x-mpstack-admin-key": "s3cret-key" })).status).toBe(200);
      expect((await r.get("/_mpstack/accounts", { authorization: "Bearer s3cret-key" })).status).toBe(200);
      expect((await r.get("/_mpstack/openapi.json")).status).toBe(401);
      expect((await r.get("/_mpstack/nothing", { authorization: "Bearer s3cret-key" })).status).toBe(404);
    } finally {
      await r.close();
    }
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`simulator API on ${backend.name}`, () => {
    let r: Running;
    beforeAll(async () => {
      r = await start({ pg: backend.pg });
    });
    afterAll(() => r?.close());

    const patch = async (path: string, body: unknown) => {
      const res = await r.raw(path, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it("seeds the demo: four kinds on one open platform", async () => {
      const accounts = (await r.get("/_mpstack/accounts")).body.accounts as Record<string, unknown>[];
      expect(accounts.map((a) => a.kind)).toEqual(["US", "VS", "UV", "VV"]);
      expect(new Set(accounts.map((a) => a.openPlatform))).toEqual(new Set(["demo-open"]));
      expect(accounts[3]).toMatchObject({ appid: A4.appid, secret: A4.secret, grants: ["pay"] });
    });

    it("creates and patches accounts with config-style validation", async () => {
      const bad = await r.post("/_mpstack/accounts", { secret: "short" });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        error: { code: "invalid_request", message: "account.secret: must be 32 hex characters" },
      });
      const made = await r.post("/_mpstack/accounts", {
        appid: "wx00000000000000a1",
        secret: "a".repeat(32),
        type: "subscription",
      });
      expect(made.body).toMatchObject({ appid: "wx00000000000000a1", kind: "US", openPlatform: null });
      expect((await r.post("/_mpstack/accounts", { appid: "wx00000000000000a1" })).status).toBe(409);
      // No server listens there: saved unchecked (the push tests cover the handshake on PATCH).
      const p = await patch("/_mpstack/accounts/wx00000000000000a1?handshake=false", {
        verified: true,
        server: { url: "http://127.0.0.1:9/x", mode: "compatible" },
      });
      expect(p.body).toMatchObject({
        kind: "VS",
        server: { url: "http://127.0.0.1:9/x", mode: "compatible" },
      });
      expect(
        (await patch("/_mpstack/accounts/wx00000000000000a1", { server: { mode: "loud" } })).status,
      ).toBe(400);
      expect((await patch("/_mpstack/accounts/wx00000000000000a1", { openPlatform: "nope" })).body).toEqual({
        error: {
          code: "invalid_request",
          message: 'account.openPlatform: no open platform with id "nope" in openPlatforms',
        },
      });
      expect((await patch("/_mpstack/accounts/wx0000000000000000", {})).status).toBe(404);
      expect((await r.get("/_mpstack/accounts/wx00000000000000a1")).body.kind).toBe("VS");
    });

    it("moves the clock and persists nothing but the offset", async () => {
      const before = (await r.get("/_mpstack/clock")).body;
      const after = (await r.post("/_mpstack/clock", { advanceSeconds: 3600 })).body;
      expect(Number(after.offsetMs)).toBe(Number(before.offsetMs) + 3_600_000);
      expect(Number(after.now) - Number(before.now)).toBeGreaterThanOrEqual(3_600_000);
      expect((await r.post("/_mpstack/clock", { advanceSeconds: "soon" })).status).toBe(400);
      expect((await r.post("/_mpstack/clock", { resetToRealTime: true })).body.offsetMs).toBe(0);
    });

    it("shows conversations written by modules", async () => {
      const f = await r.post("/_mpstack/users/alice/follow", { appid: A4.appid });
      for (const [direction, text] of [
        ["in", "hello"],
        ["out", "hi alice"],
      ] as const) {
        await recordMessage(r.platform, {
          appid: A4.appid,
          userId: "alice",
          openid: String(f.body.openid),
          direction,
          kind: direction === "in" ? "message" : "customer_service",
          msgType: "text",
          payload: { Content: text },
          msgId: direction === "in" ? "9223372036854775807" : null,
        });
      }
      const c = (await r.get(`/_mpstack/users/alice/conversations/${A4.appid}`)).body.messages as Record<
        string,
        unknown
      >[];
      expect(c.map((m) => [m.direction, (m.payload as { Content: string }).Content])).toEqual([
        ["in", "hello"],
        ["out", "hi alice"],
      ]);
      expect(c[0]!.msgId).toBe("9223372036854775807");
      const page = (await r.get(`/_mpstack/users/alice/conversations/${A4.appid}?after=${c[0]!.id}`)).body
        .messages as unknown[];
      expect(page).toHaveLength(1);
    });

    it("exports, resets and imports the whole world", async () => {
      await r.post("/_mpstack/users", { id: "snap" });
      const openid = (await r.post("/_mpstack/users/snap/follow", { appid: A4.appid })).body.openid;
      const token = await tokenFor(r, A4.appid, A4.secret);
      const snapshot = (await r.get("/_mpstack/world")).body;
      expect(snapshot.format).toBe("mpstack-world");
      expect(Object.keys(snapshot.tables as object)).toEqual(
        expect.arrayContaining(["accounts", "users", "follows", "access_tokens", "messages"]),
      );

      const reset = await r.post("/_mpstack/reset", {});
      expect(reset.body).toEqual({ ok: true, accounts: 4 });
      expect((await r.get("/_mpstack/users/snap")).status).toBe(404);
      expect((await r.get(`/cgi-bin/getcallbackip?access_token=${token}`)).body.errcode).toBe(40001);
      expect((await r.get("/_mpstack/accounts/wx00000000000000a1")).status).toBe(404);

      const imported = await r.raw("/_mpstack/world", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(snapshot),
      });
      expect(imported.status).toBe(200);
      expect(((await r.get("/_mpstack/users/snap")).body.follows as { openid: string }[])[0]!.openid).toBe(
        openid,
      );
      expect((await r.get(`/cgi-bin/getcallbackip?access_token=${token}`)).body.ip_list).toBeDefined();
      expect((await r.get("/_mpstack/accounts/wx00000000000000a1")).body.kind).toBe("VS");

      const bad = await r.raw("/_mpstack/world", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ format: "x", version: 1, tables: {} }),
      });
      expect(bad.status).toBe(400);

      expect((await r.post("/_mpstack/reset", { empty: true })).body).toEqual({ ok: true, accounts: 0 });
      expect((await r.post("/_mpstack/reset", {})).body.accounts).toBe(4);
    });
  });
}
