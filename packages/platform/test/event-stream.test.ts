/**
 * The live event stream (GET /_mpstack/events): every platform event reaches a connected browser,
 * resumes with Last-Event-ID, filters by type, and a slow reader never grows the platform's memory.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventHub } from "../src/modules/event-stream/index.js";
import { type Running, start } from "./helpers.js";

interface SseEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE frames from a fetch body; `next(pred)` waits for the first matching event. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  const res = await fetch(url, { headers, signal: ac.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const seen: SseEvent[] = [];
  const read = async (): Promise<SseEvent> => {
    for (;;) {
      const end = buf.indexOf("\n\n");
      if (end !== -1) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const e: SseEvent = { id: "", event: "message", data: {} };
        let isComment = true;
        for (const line of frame.split("\n")) {
          if (line.startsWith(":")) continue;
          isComment = false;
          const [k, ...rest] = line.split(": ");
          const v = rest.join(": ");
          if (k === "id") e.id = v;
          else if (k === "event") e.event = v;
          else if (k === "data") e.data = JSON.parse(v) as Record<string, unknown>;
        }
        if (!isComment) return e;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended");
      buf += decoder.decode(value, { stream: true });
    }
  };
  return {
    res,
    seen,
    async next(pred: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`timeout; seen ${seen.map((e) => e.event).join(",")}`);
        const e = await read();
        seen.push(e);
        if (pred(e)) return e;
      }
    },
    close: () => ac.abort(),
  };
}

describe("event stream", () => {
  let r: Running;
  beforeAll(async () => {
    r = await start();
  });
  afterAll(() => r?.close());

  it("says hello, then forwards messages, pushes, API calls, follows and clock moves", async () => {
    const s = await openStream(`${r.url}/_mpstack/events`);
    expect(s.res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const hello = await s.next(() => true);
    expect(hello.event).toBe("hello");
    expect(hello.id).toMatch(/^[0-9a-f]{8}-\d+$/);

    const sent = await r.post("/_mpstack/users/alice/messages", {
      appid: "wxd000000000000004",
      type: "text",
      content: "hello stream",
    });
    expect(sent.status).toBe(200);
    const msg = await s.next((e) => e.event === "conversation.message");
    expect(msg.data).toMatchObject({ userId: "alice", direction: "in", msgType: "text" });
    expect(msg.data.payload).toMatchObject({ Content: "hello stream" });
    const created = await s.next((e) => e.event === "push.created");
    expect(created.data).toMatchObject({
      pushId: sent.body.pushId,
      appid: "wxd000000000000004",
      user: "alice",
    });
    await s.next((e) => e.event === "push.finished" && e.data.pushId === sent.body.pushId);

    await r.get("/cgi-bin/token?grant_type=client_credential&appid=wxd000000000000004&secret=bad");
    const call = await s.next((e) => e.event === "api.call");
    expect(call.data).toMatchObject({ path: "/cgi-bin/token", appid: "wxd000000000000004" });
    expect(call.data.errcode).not.toBe(0);
    expect(String(call.data.errmsg)).toMatch(/rid: /);
    expect(call.data).not.toHaveProperty("query"); // bodies stay in the journal

    await r.post("/_mpstack/users/bob/unfollow", { appid: "wxd000000000000002" });
    expect((await s.next((e) => e.event === "user.unfollowed")).data).toMatchObject({ userId: "bob" });

    await r.post("/_mpstack/clock", { advanceSeconds: 3600 });
    const moved = await s.next((e) => e.event === "clock.moved");
    expect(moved.data.movedMs).toBe(3_600_000);
    await r.post("/_mpstack/clock", { resetToRealTime: true });
    // ids increase
    const ids = s.seen.map((e) => Number(e.id.split("-")[1]));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    s.close();
  });

  it("resumes after Last-Event-ID with what was missed; an unknown id gets reset", async () => {
    const s = await openStream(`${r.url}/_mpstack/events`);
    const hello = await s.next(() => true);
    s.close();
    for (const content of ["one", "two", "three"])
      await r.post("/_mpstack/users/carol/messages", { appid: "wxd000000000000004", type: "text", content });
    const again = await openStream(`${r.url}/_mpstack/events`, { "last-event-id": hello.id });
    expect((await again.next(() => true)).event).toBe("hello");
    const contents: unknown[] = [];
    while (contents.length < 3) {
      const e = await again.next((x) => x.event === "conversation.message");
      contents.push((e.data.payload as { Content: string }).Content);
    }
    expect(contents).toEqual(["one", "two", "three"]);
    again.close();

    const stale = await openStream(`${r.url}/_mpstack/events?lastEventId=00000000-5`);
    expect((await stale.next(() => true)).event).toBe("reset");
    stale.close();
  });

  it("filters by type", async () => {
    const s = await openStream(`${r.url}/_mpstack/events?types=clock.*`);
    await s.next(() => true);
    await r.post("/_mpstack/users/alice/messages", {
      appid: "wxd000000000000004",
      type: "text",
      content: "x",
    });
    await r.post("/_mpstack/clock", { advanceSeconds: 1 });
    const e = await s.next(() => true);
    expect(e.event).toBe("clock.moved");
    s.close();
    await r.post("/_mpstack/clock", { resetToRealTime: true });
  });
});

/** A socket that accepts `capacity` writes, then reports a full buffer until `drainNow()`. */
class SlowSocket extends Writable {
  frames: string[] = [];
  full = false;
  constructor(private capacity: number) {
    super({ highWaterMark: 1 });
  }
  override write(chunk: string): boolean {
    this.frames.push(chunk);
    if (this.frames.length >= this.capacity) this.full = true;
    return !this.full;
  }
  drainNow(more: number) {
    this.capacity = this.frames.length + more;
    this.full = false;
    this.emit("drain");
  }
}

describe("event hub memory bound", () => {
  it("keeps a fixed ring and a cursor per slow reader; a reader left behind gets reset", () => {
    const hub = new EventHub({ maxEvents: 100, maxBytes: 1 << 20 });
    const sock = new SlowSocket(5);
    hub.attach(sock as never, undefined, () => true);
    for (let i = 0; i < 10_000; i++) hub.publish("test.event", { i, text: "x".repeat(100) });
    // the slow reader got hello + 4 events, and nothing was queued for it beyond that
    expect(sock.frames).toHaveLength(5);
    sock.drainNow(1000);
    const names = sock.frames.slice(5).map((f) => /event: (\S+)/.exec(f)?.[1]);
    expect(names[0]).toBe("reset");
    expect(names.slice(1)).toEqual([]); // continued from the newest: nothing more to send yet
    hub.publish("test.event", { i: 10_000 });
    expect(sock.frames.at(-1)).toContain('"i":10000');
  });

  it("cuts oversized payloads to their scalar fields", () => {
    const hub = new EventHub({ maxEventBytes: 1000 });
    const sock = new SlowSocket(100);
    hub.attach(sock as never, undefined, () => true);
    hub.publish("big", { id: "a", n: 1, blob: "y".repeat(5000) });
    const data = JSON.parse(/data: (.*)\n/.exec(sock.frames.at(-1)!)![1]!);
    expect(data).toMatchObject({ truncated: true, id: "a", n: 1 });
    expect(data).not.toHaveProperty("blob");
  });
});
