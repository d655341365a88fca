/**
 * message/custom/typing over real HTTP (customer-service.md §4): the indicator a follower sees, read
 * through the simulator; the window, the 30-second interaction rule, 15 seconds of typing, a send
 * ending it, and the errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };

describe("customer-service typing", () => {
  let r: Running;
  const openids = new Map<string, string>();
  let token = "";

  const openid = async (user: string) => {
    const hit = openids.get(user);
    if (hit) return hit;
    const id = (await r.get(`/_mpstack/users/${user}/conversations/${VV.appid}`)).body.openid;
    if (typeof id !== "string") throw new Error(`${user} has no openid`);
    openids.set(user, id);
    return id;
  };
  const typing = async (user: string, command: unknown) => {
    const body = (
      await r.post(`/cgi-bin/message/custom/typing?access_token=${token}`, {
        touser: await openid(user),
        command,
      })
    ).body;
    if (body.errcode !== 0) expect(body.errmsg).toMatch(RID_SUFFIX);
    return body.errcode;
  };
  const shown = async (user: string) =>
    (await r.get(`/_mpstack/accounts/${VV.appid}/typing/${await openid(user)}`)).body as {
      typing: boolean;
      typingUntil: number | null;
      user: string;
    };
  const say = async (user: string) =>
    expect(
      (await r.post(`/_mpstack/users/${user}/messages`, { appid: VV.appid, type: "text", content: "hi" }))
        .status,
    ).toBe(200);
  const advance = async (seconds: number) =>
    expect((await r.post("/_mpstack/clock", { advanceSeconds: seconds })).status).toBe(200);
  const now = async () => (await r.get("/_mpstack/clock")).body;

  beforeAll(async () => {
    r = await start();
    token = await tokenFor(r, VV.appid, VV.secret);
  });
  afterAll(async () => {
    await r?.close();
  });

  it("needs a window (45015), then shows for 15 seconds; Typing again while shown is 45081", async () => {
    expect(await typing("alice", "Typing")).toBe(45015);
    expect((await shown("alice")).typing).toBe(false);
    await say("alice");
    const before = (await now()).now as number;
    expect(await typing("alice", "Typing")).toBe(0);
    const after = (await now()).now as number;
    const state = await shown("alice");
    expect(state).toMatchObject({ typing: true, user: "alice" });
    expect(state.typingUntil).toBeGreaterThanOrEqual(before + 15_000);
    expect(state.typingUntil).toBeLessThanOrEqual(after + 15_000);
    expect(await typing("alice", "Typing")).toBe(45081);
    await advance(16);
    expect((await shown("alice")).typing).toBe(false);
    // 16 s after the user's message: still inside the 30-second interaction rule.
    expect(await typing("alice", "Typing")).toBe(0);
  });

  it("needs a message either way in the last 30 seconds (45080); a sent message counts", async () => {
    await say("bob");
    await advance(31);
    expect(await typing("bob", "Typing")).toBe(45080);
    const sent = await r.post(`/cgi-bin/message/custom/send?access_token=${token}`, {
      touser: await openid("bob"),
      msgtype: "text",
      text: { content: "one moment" },
    });
    expect(sent.body.errcode).toBe(0);
    expect(await typing("bob", "Typing")).toBe(0);
  });

  it("CancelTyping hides it (and succeeds when nothing shows); sending a message ends it", async () => {
    await say("carol");
    expect(await typing("carol", "CancelTyping")).toBe(0);
    expect(await typing("carol", "Typing")).toBe(0);
    expect(await typing("carol", "CancelTyping")).toBe(0);
    expect((await shown("carol")).typing).toBe(false);
    expect(await typing("carol", "Typing")).toBe(0);
    const sent = await r.post(`/cgi-bin/message/custom/send?access_token=${token}`, {
      touser: await openid("carol"),
      msgtype: "text",
      text: { content: "here you go" },
    });
    expect(sent.body.errcode).toBe(0);
    expect((await shown("carol")).typing).toBe(false);
  });

  it("errors: 45072 bad command, 40003 unknown openid, 45015 after unfollowing; typing uses no message", async () => {
    await say("dave");
    for (const command of ["typing", "", 1, undefined]) expect(await typing("dave", command)).toBe(45072);
    const unknown = await r.post(`/cgi-bin/message/custom/typing?access_token=${token}`, {
      touser: "oNobody00000000000000000000000",
      command: "Typing",
    });
    expect(unknown.body.errcode).toBe(40003);
    expect(await typing("dave", "Typing")).toBe(0);
    const w = (await r.get(`/_mpstack/accounts/${VV.appid}/service-window/${await openid("dave")}`)).body as {
      grants: { used: number }[];
    };
    expect(w.grants[0]?.used).toBe(0);
    expect((await r.post("/_mpstack/users/dave/unfollow", { appid: VV.appid })).status).toBe(200);
    expect(await typing("dave", "Typing")).toBe(45015);
    expect((await r.get(`/_mpstack/accounts/${VV.appid}/typing/oNobody`)).status).toBe(404);
  });
});
