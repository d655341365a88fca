/**
 * Bad input answered, never stored: a bounded clock (400 naming the range, and a stored offset out
 * of range is dropped on start), JSON nesting bounded where it enters both APIs, unknown fields
 * refused by the simulator's settings routes, and text XML cannot carry refused (400 naming the
 * field on the simulator; tag names, group names and remarks as WeChat refuses invalid text).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start, tempDir, tokenFor } from "./helpers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };

const send = (r: Running, method: string, path: string, body: unknown) =>
  r.raw(path, {
    method,
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function simError(res: Response): Promise<{ status: number; message: string }> {
  const body = (await res.json()) as { error?: { message?: string } };
  return { status: res.status, message: String(body.error?.message) };
}

describe("a bounded clock", () => {
  it("refuses moves outside 2000–2099 with a 400 naming the range, and keeps serving", async () => {
    const r = await start();
    try {
      for (const body of [
        { advanceSeconds: 1e300 },
        { advanceSeconds: -1e300 },
        { offsetMs: 9e15 },
        { offsetMs: -9e15 },
        { advanceSeconds: 100 * 365 * 86400 },
      ]) {
        const res = await simError(await send(r, "POST", "/_mpstack/clock", body));
        expect(res.status, JSON.stringify(body)).toBe(400);
        // Numbers no clock can hold are refused with the others; the rest with the clock's range.
        expect(res.message).toMatch(
          Math.abs(Object.values(body)[0]!) > Number.MAX_SAFE_INTEGER ? /between/ : /2000-01-01.*2099-12-31/,
        );
      }
      const clock = await r.get("/_mpstack/clock");
      expect(clock.status).toBe(200);
      expect(clock.body.offsetMs).toBe(0);
      const token = await r.get(
        `/cgi-bin/token?grant_type=client_credential&appid=${VV.appid}&secret=${VV.secret}`,
      );
      expect(token.body.expires_in).toBe(7200);
      const moved = await send(r, "POST", "/_mpstack/clock", { advanceSeconds: 30 * 86400 });
      expect(moved.status).toBe(200);
    } finally {
      await r.close();
    }
  });

  it("starts at real time when the stored offset is out of range", async () => {
    const dir = tempDir();
    const first = await start({ dataDir: dir });
    await first.platform.db
      .insertInto("clock_state")
      .values({ id: "clock", offset_ms: 1e300 })
      .onConflict((oc) => oc.column("id").doUpdateSet({ offset_ms: 1e300 }))
      .execute();
    await first.close();
    const again = await start({ dataDir: dir });
    try {
      const clock = await again.get("/_mpstack/clock");
      expect(clock.status).toBe(200);
      expect(clock.body.offsetMs).toBe(0);
    } finally {
      await again.close();
    }
  });
});

describe("nesting, unknown fields and text", () => {
  let r: Running;
  let token: string;
  beforeAll(async () => {
    r = await start();
    token = await tokenFor(r, VV.appid, VV.secret);
  });
  afterAll(() => r?.close());

  const api = async (path: string, body: unknown) =>
    (await r.post(`${path}?access_token=${token}`, body)).body as { errcode: number; errmsg: string };

  it("answers a 10,000-level body 47001 on the WeChat API and 400 on the simulator", async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const card = `{"touser":"x","msgtype":"wxcard","wxcard":{"card_id":"c","card_ext":${deep}}}`;
    expect((await api("/cgi-bin/message/custom/send", card)).errcode).toBe(47001);
    expect(
      (await api("/cgi-bin/menu/create", `{"button":${"[".repeat(5000)}${"]".repeat(5000)}}`)).errcode,
    ).toBe(47001);
    const sim = await simError(await send(r, "POST", "/_mpstack/users", `{"id":"deep","x":${deep}}`));
    expect(sim).toEqual({ status: 400, message: "body: nested deeper than 32 levels" });
    // Nesting within the bound still reaches validation (and its own answer).
    const shallow = await simError(
      await send(r, "POST", "/_mpstack/users", { id: "ok", x: { y: { z: 1 } } }),
    );
    // The users route names its body "user", as config errors do.
    expect(shallow).toEqual({ status: 400, message: "unknown field: user.x" });
  });

  it("refuses unknown fields in the settings routes, naming them, and stores nothing", async () => {
    const cases: [string, string, unknown, string][] = [
      ["PUT", "/_mpstack/push-policy", { timeoutMs: 4000, bogus: { deep: [1] } }, "body.bogus"],
      [
        "PATCH",
        `/_mpstack/accounts/${VV.appid}/menu-settings`,
        { clientTtlSeconds: 0, x: 1, y: 2 },
        "body.x, body.y",
      ],
      [
        "PATCH",
        `/_mpstack/accounts/${VV.appid}/qrcode-settings`,
        { strictExpire: true, foo: "bar" },
        "body.foo",
      ],
      ["PUT", "/_mpstack/customer-service-policy", { nope: true }, "body.nope"],
    ];
    const before = await Promise.all(
      [
        "/_mpstack/push-policy",
        `/_mpstack/accounts/${VV.appid}/menu-settings`,
        `/_mpstack/accounts/${VV.appid}/qrcode-settings`,
        "/_mpstack/customer-service-policy",
      ].map(async (p) => JSON.stringify((await r.get(p)).body)),
    );
    for (const [method, path, body, named] of cases) {
      const res = await simError(await send(r, method, path, body));
      expect(res.status, path).toBe(400);
      expect(res.message, path).toBe(`unknown field${named.includes(",") ? "s" : ""}: ${named}`);
    }
    const after = await Promise.all(
      [
        "/_mpstack/push-policy",
        `/_mpstack/accounts/${VV.appid}/menu-settings`,
        `/_mpstack/accounts/${VV.appid}/qrcode-settings`,
        "/_mpstack/customer-service-policy",
      ].map(async (p) => JSON.stringify((await r.get(p)).body)),
    );
    expect(after).toEqual(before);
  });

  it("answers a simulated message with text XML cannot carry 400 naming the field", async () => {
    for (const content of ["a\u0000b", "bell\u0007", "\ud800lone", "lone\udc00", "\ufffe", "end\uffff"]) {
      const res = await simError(
        await send(r, "POST", "/_mpstack/users/alice/messages", { appid: VV.appid, type: "text", content }),
      );
      expect(res.status, JSON.stringify(content)).toBe(400);
      expect(res.message).toMatch(/^body\.content: /);
    }
    const nested = await simError(
      await send(r, "POST", "/_mpstack/users", { id: "ok\u0000", nickname: "N" }),
    );
    expect(nested.status).toBe(400);
    expect(nested.message).toMatch(/^user\.id: /);
    // Tab, newline and emoji are text.
    const fine = await send(r, "POST", "/_mpstack/users/alice/messages", {
      appid: VV.appid,
      type: "text",
      content: "a\tb\nc 😀",
    });
    expect(fine.status).toBe(200);
  });

  it("refuses tag names, group names and remarks that are not valid text, as WeChat does", async () => {
    for (const name of ["a\u0000b", "\ud800x", "x\u001f"]) {
      expect((await api("/cgi-bin/tags/create", { tag: { name } })).errcode).toBe(45157);
      expect((await api("/cgi-bin/groups/create", { group: { name } })).errcode).toBe(40051);
    }
    const created = (await api("/cgi-bin/tags/create", { tag: { name: "valid" } })) as unknown as {
      tag: { id: number };
    };
    expect(
      (await api("/cgi-bin/tags/update", { tag: { id: created.tag.id, name: "v\u0000" } })).errcode,
    ).toBe(45157);
    const follow = await r.post("/_mpstack/users/bob/follow", { appid: VV.appid });
    const openid = String(follow.body.openid);
    expect((await api("/cgi-bin/user/info/updateremark", { openid, remark: "r\u0000" })).errcode).toBe(40092);
    expect((await api("/cgi-bin/user/info/updateremark", { openid, remark: "\udfffr" })).errcode).toBe(40092);
    expect((await api("/cgi-bin/user/info/updateremark", { openid, remark: "ok 😀" })).errcode).toBe(0);
    // Any other field holding such text is an invalid value of it (openid → 40003); query junk
    // beside the declared parameters is ignored, as WeChat ignores it.
    expect((await r.get(`/cgi-bin/user/info?access_token=${token}&openid=%00`)).body.errcode).toBe(40003);
    expect((await r.get(`/cgi-bin/getcallbackip?access_token=${token}&junk=%00`)).body.ip_list).toEqual([
      "127.0.0.1",
    ]);
  });
});
