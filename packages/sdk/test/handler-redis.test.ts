/**
 * The Redis dedupe store (runs when MPSTACK_TEST_REDIS_URL is set).
 */
import { createServer } from "node:http";
import { createHandler, type MessageHandler, RedisDedupeStore, reply, toNodeHttp } from "@mpstack/sdk";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, close, listen, post, sleep, textXml } from "./handler-fixtures.js";

const url = process.env.MPSTACK_TEST_REDIS_URL;

describe.skipIf(!url)(`RedisDedupeStore${url ? "" : " (skipped: MPSTACK_TEST_REDIS_URL not set)"}`, () => {
  let redis: Redis;
  const prefix = `mpstack:test:${process.pid}:${Date.now()}:`;
  const servers: ReturnType<typeof createServer>[] = [];

  beforeAll(() => {
    redis = new Redis(url!);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  /** One "process": its own handler and server, sharing only Redis with the others. */
  async function instance(name: string, runs: string[], delayMs = 0): Promise<string> {
    const handler: MessageHandler = createHandler({
      token: ACCOUNT.token,
      appId: ACCOUNT.appId,
      encodingAESKey: ACCOUNT.encodingAESKey,
      dedupe: new RedisDedupeStore(redis, { prefix }),
      budgetMs: 1000,
    });
    handler.on("text", async (m) => {
      runs.push(name);
      await sleep(delayMs);
      return `${name} answered ${m.Content}`;
    });
    const server = createServer(toNodeHttp(handler));
    servers.push(server);
    return listen(server);
  }

  it("claims once (SET NX EX), stores the answer, expires", async () => {
    const store = new RedisDedupeStore(redis, { prefix });
    expect(await store.claim("k1", 1)).toEqual({ status: "new" });
    expect(await store.claim("k1", 1)).toEqual({ status: "pending" });
    expect(await store.lookup("k1")).toBeUndefined();
    await store.complete("k1", "<xml>answer</xml>", 1);
    expect(await store.claim("k1", 1)).toEqual({ status: "done", answer: "<xml>answer</xml>" });
    expect(await store.lookup("k1")).toBe("<xml>answer</xml>");
    expect(await redis.ttl(`${prefix}k1`)).toBeGreaterThan(0);
    await store.complete("k2", "", 1);
    expect(await store.claim("k2", 1)).toEqual({ status: "done", answer: "" });
  });

  it("a push retried to two processes runs once; both answer the same reply", async () => {
    const runs: string[] = [];
    const a = await instance("A", runs);
    const b = await instance("B", runs);
    const xml = textXml("shared");
    const first = await post(a, "safe", xml);
    const retry = await post(b, "safe", xml);
    expect(runs).toEqual(["A"]);
    expect(first.reply).toEqual(reply.text("A answered shared"));
    expect(retry.reply).toEqual(first.reply);
  });

  it("a retry reaching another process while the first run is in flight waits for its reply", async () => {
    const runs: string[] = [];
    const a = await instance("A", runs, 250);
    const b = await instance("B", runs, 250);
    const xml = textXml("in flight");
    const first = post(a, "plain", xml);
    await sleep(60);
    const [answerA, answerB] = await Promise.all([first, post(b, "compatible", xml)]);
    expect(runs).toEqual(["A"]);
    expect(answerA.reply).toEqual(reply.text("A answered in flight"));
    expect(answerB.reply).toEqual(answerA.reply);
  });
});
