/**
 * Retried pushes: the routes run once per push, a retry gets the first answer (waiting for it if
 * needed), and the in-memory dedupe store.
 */
import type { Reply } from "@mpstack/protocol";
import { type CustomerMessageSender, MemoryDedupeStore, reply } from "@mpstack/sdk";
import { describe, expect, it } from "vitest";
import { ACCOUNT, createTime, MODES, OPENID, post, sleep, textXml } from "./handler-fixtures.js";
import { handlerHarness } from "./handler-harness.js";

const serve = handlerHarness();

describe("de-duplication of retried pushes", () => {
  for (const mode of MODES) {
    it(`${mode}: the same MsgId three times runs the route once and answers the same reply three times`, async () => {
      let runs = 0;
      const { base } = await serve({}, (h) => h.on("text", () => `run ${++runs}`));
      const xml = textXml("retry me");
      // WeChat may re-sign a retry with new timestamp/nonce: each answer is sealed for its own request.
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await post(base, mode, xml, { nonce: String(1000 + i) }));
      expect(runs).toBe(1);
      expect(answers.map((a) => a.reply)).toEqual([
        reply.text("run 1"),
        reply.text("run 1"),
        reply.text("run 1"),
      ]);
      // A different message still runs.
      expect((await post(base, mode, textXml("retry me"))).reply).toEqual(reply.text("run 2"));
    });
  }

  it("de-duplicates events on FromUserName + CreateTime + Event, keeping distinct events apart", async () => {
    let runs = 0;
    const { base } = await serve({}, (h) => h.event("CLICK", (m) => `${m.EventKey} ${++runs}`));
    const time = createTime();
    const click = (key: string) =>
      `<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>${time}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[${key}]]></EventKey></xml>`;
    expect((await post(base, "safe", click("A"))).reply).toEqual(reply.text("A 1"));
    expect((await post(base, "safe", click("A"))).reply).toEqual(reply.text("A 1"));
    expect((await post(base, "safe", click("B"))).reply).toEqual(reply.text("B 2"));
    expect(runs).toBe(2);
  });

  it("a retry arriving while the first run is in flight waits for that run's reply", async () => {
    let runs = 0;
    const { base } = await serve({}, (h) =>
      h.on("text", async () => {
        runs++;
        await sleep(200);
        return "slow but in time";
      }),
    );
    const xml = textXml("concurrent");
    const first = post(base, "safe", xml);
    await sleep(50);
    const retries = [post(base, "safe", xml), post(base, "compatible", xml)];
    const answers = await Promise.all([first, ...retries]);
    expect(runs).toBe(1);
    expect(answers.map((a) => a.reply)).toEqual(Array(3).fill(reply.text("slow but in time")));
  });

  it("a retry in flight past the budget answers success; the reply goes out once through the fallback", async () => {
    let runs = 0;
    const sent: [string, Reply][] = [];
    const fallback: CustomerMessageSender = {
      sendCustomerMessage: async (openid, r) => void sent.push([openid, r]),
    };
    const { base } = await serve({ budgetMs: 150, fallback }, (h) =>
      h.on("text", async () => {
        runs++;
        await sleep(400);
        return "late";
      }),
    );
    const xml = textXml("very slow");
    const first = post(base, "plain", xml);
    await sleep(50);
    const answers = await Promise.all([first, post(base, "plain", xml)]);
    expect(answers.map((a) => a.body)).toEqual(["success", "success"]);
    // After the budget, a further retry is answered from the store at once.
    expect((await post(base, "plain", xml)).body).toBe("success");
    await sleep(450);
    expect(runs).toBe(1);
    expect(sent).toEqual([[OPENID, reply.text("late")]]);
  });

  it("runs every delivery when dedupe is off", async () => {
    let runs = 0;
    const { base } = await serve({ dedupe: false }, (h) => h.on("text", () => void runs++));
    const xml = textXml("twice");
    await post(base, "plain", xml);
    await post(base, "plain", xml);
    expect(runs).toBe(2);
  });
});

describe("MemoryDedupeStore", () => {
  it("claims once, remembers answers for the TTL and keeps at most maxEntries keys", () => {
    let now = 0;
    const store = new MemoryDedupeStore({ maxEntries: 4, now: () => now });
    expect(store.claim("a", 10)).toEqual({ status: "new" });
    expect(store.claim("a", 10)).toEqual({ status: "pending" });
    store.complete("a", "<xml/>", 10);
    expect(store.claim("a", 10)).toEqual({ status: "done", answer: "<xml/>" });
    expect(store.lookup("a")).toBe("<xml/>");
    now = 10_001;
    expect(store.lookup("a")).toBeUndefined();
    expect(store.claim("a", 10)).toEqual({ status: "new" });
    for (const key of ["b", "c", "d", "e", "f"]) expect(store.claim(key, 100)).toEqual({ status: "new" });
    expect(store.size).toBeLessThanOrEqual(4);
    expect(store.claim("f", 100)).toEqual({ status: "pending" }); // the newest stay
    expect(store.claim("b", 100)).toEqual({ status: "new" }); // the oldest went first
  });
});
