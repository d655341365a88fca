/**
 * Location reporting: the account switch (entry / periodic / off, verified service accounts only),
 * LOCATION on entering the conversation with Latitude/Longitude/Precision, nothing when disabled or
 * without consent, periodic reports by the platform clock, and the events route.
 */
import type { InboundMessage } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start } from "./helpers.js";
import { type DevAccount, type DevServer, protocolReplier, startDevServer } from "./push-servers.js";

const VV: DevAccount = {
  appid: "wxd000000000000004",
  token: "mpstackdemo",
  encodingAESKey: `mpstackDemoEncodingAESKey${"4".padStart(18, "0")}`,
};
const VS = "wxd000000000000002";

interface Outcome {
  entered?: boolean;
  push: { status: string; reply?: unknown } | null;
  skipped: string | null;
  position: { latitude: number; longitude: number; precision: number } | null;
}

async function until<T>(fn: () => T | undefined, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("location reporting", () => {
  let r: Running;
  let dev: DevServer;
  const messages: InboundMessage[] = [];
  const locations = (openid: string) =>
    messages.filter((m) => m.kind === "event" && m.Event === "LOCATION" && m.FromUserName === openid);

  const put = (path: string, body: unknown) =>
    r.raw(path, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const setMode = (mode: string, appid = VV.appid, extra: Record<string, unknown> = {}) =>
    put(`/_mpstack/accounts/${appid}/location-settings`, { mode, ...extra });
  const enter = async (user: string, body: Record<string, unknown> = {}) => {
    const res = await r.post(`/_mpstack/users/${user}/enter`, { appid: VV.appid, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as unknown as Outcome;
  };
  const openid = async (user: string) => {
    const u = (await r.get(`/_mpstack/users/${user}`)).body as {
      follows: { appid: string; openid: string }[];
    };
    return u.follows.find((f) => f.appid === VV.appid)?.openid ?? "";
  };

  beforeAll(async () => {
    dev = await startDevServer(
      protocolReplier(VV, (m) => (m.kind === "event" ? "success" : "success"), messages),
    );
    r = await start({ demoBotUrl: dev.url });
  });
  afterAll(async () => {
    await r?.close();
    await dev?.close();
  });

  it("is off by default: entering pushes nothing", async () => {
    expect((await r.get(`/_mpstack/accounts/${VV.appid}/location-settings`)).body).toEqual({
      mode: "off",
      intervalSeconds: 5,
    });
    const before = messages.length;
    const out = await enter("alice", { latitude: 31.230416, longitude: 121.473701 });
    expect(out).toMatchObject({ entered: true, push: null, skipped: "off" });
    expect(messages.length).toBe(before);
    // the position is kept
    expect((await r.get("/_mpstack/users/alice/location")).body).toEqual({
      position: { latitude: 31.230416, longitude: 121.473701, precision: 65 },
    });
  });

  it("only verified service accounts may turn it on", async () => {
    const res = await setMode("entry", VS);
    expect(res.status).toBe(409);
    expect((await setMode("off", VS)).status).toBe(200);
    expect((await setMode("sometimes")).status).toBe(400);
  });

  it("entry mode: LOCATION with Latitude, Longitude, Precision on each entry", async () => {
    expect((await setMode("entry")).status).toBe(200);
    const id = await openid("alice");
    const out = await enter("alice", { latitude: 23.137466, longitude: 113.352425, precision: 119.38504 });
    expect(out.skipped).toBeNull();
    expect(out.push?.status).toBe("empty");
    const m = locations(id).at(-1);
    expect(m).toMatchObject({
      MsgType: "event",
      Event: "LOCATION",
      Latitude: 23.137466,
      Longitude: 113.352425,
      Precision: 119.38504,
      ToUserName: expect.stringMatching(/^gh_/),
    });
    expect(Object.keys(m?.raw ?? {})).toEqual([
      "ToUserName",
      "FromUserName",
      "CreateTime",
      "MsgType",
      "Event",
      "Latitude",
      "Longitude",
      "Precision",
    ]);
    // entering again without coordinates reports the last known position
    await enter("alice");
    expect(locations(id)).toHaveLength(2);
    expect(locations(id)[1]).toMatchObject({ Latitude: 23.137466 });
    // entry mode does not keep reporting
    await r.post("/_mpstack/clock", { advanceSeconds: 30 });
    expect((await r.post("/_mpstack/location/tick", {})).body).toEqual({ pushed: 0 });
    expect(locations(id)).toHaveLength(2);
  });

  it("no report without consent, without a position, or for non-followers", async () => {
    await put("/_mpstack/users/bob/location-consent", { appid: VV.appid, allowed: false });
    expect((await enter("bob", { latitude: 39.9, longitude: 116.4 })).skipped).toBe("no_consent");
    await put("/_mpstack/users/bob/location-consent", { appid: VV.appid, allowed: true });
    expect((await enter("bob")).push?.status).toBe("empty");
    expect((await enter("carol")).skipped).toBe("no_position");
    await r.post("/_mpstack/users", { id: "jack" });
    const notFollowing = await r.post("/_mpstack/users/jack/enter", { appid: VV.appid });
    expect(notFollowing.status).toBe(409);
    expect((await r.post("/_mpstack/users/dave/enter", { appid: VV.appid, latitude: 1 })).status).toBe(400);
  });

  it("reports on demand through /location and the events route", async () => {
    const id = await openid("dave");
    const res = await r.post("/_mpstack/users/dave/location", {
      appid: VV.appid,
      latitude: 30.5,
      longitude: 114.3,
      precision: 10,
    });
    expect(res.status).toBe(200);
    expect(locations(id).at(-1)).toMatchObject({ Latitude: 30.5, Longitude: 114.3, Precision: 10 });
    const viaEvents = await r.post("/_mpstack/users/dave/events", {
      appid: VV.appid,
      type: "location",
      latitude: 30.6,
      longitude: 114.4,
    });
    expect(viaEvents.status, JSON.stringify(viaEvents.body)).toBe(200);
    expect(locations(id).at(-1)).toMatchObject({ Latitude: 30.6, Precision: 65 });
    const enterEvent = await r.post("/_mpstack/users/dave/events", { appid: VV.appid, type: "enter" });
    expect((enterEvent.body as unknown as Outcome).push?.status).toBe("empty");
    expect(locations(id)).toHaveLength(3);
    await r.post("/_mpstack/users/dave/events", { appid: VV.appid, type: "leave" });
  });

  it("periodic mode: on entry, then every interval by the platform clock until leave", async () => {
    // users still in the conversation from the tests above would report too
    for (const u of ["alice", "bob", "carol", "dave"])
      await r.post(`/_mpstack/users/${u}/leave`, { appid: VV.appid });
    expect((await setMode("periodic", VV.appid, { intervalSeconds: 5 })).status).toBe(200);
    const id = await openid("erin");
    await enter("erin", { latitude: 30.67, longitude: 104.06 });
    expect(locations(id)).toHaveLength(1);
    // moving the platform clock makes a report due; the timer or a tick sends it (one per check)
    await r.post("/_mpstack/clock", { advanceSeconds: 5 });
    await r.post("/_mpstack/location/tick", {});
    await until(() => (locations(id).length >= 2 ? true : undefined));
    expect(locations(id)).toHaveLength(2);
    // the position may change while in the conversation
    await r.post("/_mpstack/users/erin/location", { appid: VV.appid, latitude: 30.7, longitude: 104.1 });
    expect(locations(id)).toHaveLength(3);
    await r.post("/_mpstack/clock", { advanceSeconds: 6 });
    await r.post("/_mpstack/location/tick", {});
    await until(() => (locations(id).length >= 4 ? true : undefined));
    expect(locations(id).at(-1)).toMatchObject({ Latitude: 30.7, Longitude: 104.1 });
    // after leaving, nothing more
    expect((await r.post("/_mpstack/users/erin/leave", { appid: VV.appid })).body).toEqual({ left: true });
    const count = locations(id).length;
    await r.post("/_mpstack/clock", { advanceSeconds: 10 });
    await r.post("/_mpstack/location/tick", {});
    expect(locations(id)).toHaveLength(count);
  });

  it("periodic mode reports in real time too (every interval seconds while in the conversation)", async () => {
    await setMode("periodic", VV.appid, { intervalSeconds: 1 });
    const id = await openid("carol");
    await enter("carol", { latitude: 22.54, longitude: 114.06 });
    await until(() => (locations(id).length >= 2 ? true : undefined), 5000);
    await r.post("/_mpstack/users/carol/leave", { appid: VV.appid });
    // unfollowing also ends the session
    await enter("bob");
    await r.post("/_mpstack/users/bob/unfollow", { appid: VV.appid });
    const bobId = await openid("bob");
    const n = locations(bobId).length;
    await r.post("/_mpstack/clock", { advanceSeconds: 5 });
    await r.post("/_mpstack/location/tick", {});
    expect(locations(bobId)).toHaveLength(n);
    await setMode("off");
  });
});
