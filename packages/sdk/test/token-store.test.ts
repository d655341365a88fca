/**
 * Token stores: the in-memory store and the Redis store (when MPSTACK_TEST_REDIS_URL is set).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, MemoryTokenStore, RedisTokenStore, type TokenStore } from "../src/index.js";
import { type FakeWechat, startFakeWechat } from "./helpers/fake-wechat.js";

const redisUrl = process.env.MPSTACK_TEST_REDIS_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function storeSemantics(name: string, make: () => TokenStore) {
  describe(`${name} semantics`, () => {
    const key = () => `t:${randomBytes(6).toString("hex")}`;

    it("stores, reads and expires tokens", async () => {
      const store = make();
      const k = key();
      expect(await store.get(k)).toBeNull();
      const expiresAt = Date.now() + 60_000;
      await store.set(k, { value: "A", expiresAt });
      const got = await store.get(k);
      expect(got?.value).toBe("A");
      expect(Math.abs((got?.expiresAt ?? 0) - expiresAt)).toBeLessThan(1000);
      await store.set(k, { value: "B", expiresAt: Date.now() + 150 });
      expect((await store.get(k))?.value).toBe("B");
      await sleep(250);
      expect(await store.get(k)).toBeNull();
    });

    it("compare-and-delete removes only the token it names", async () => {
      const store = make();
      const k = key();
      await store.set(k, { value: "new", expiresAt: Date.now() + 60_000 });
      expect(await store.deleteIf(k, "old")).toBe(false);
      expect((await store.get(k))?.value).toBe("new");
      expect(await store.deleteIf(k, "new")).toBe(true);
      expect(await store.get(k)).toBeNull();
      expect(await store.deleteIf(k, "new")).toBe(false);
    });

    it("the lock has one holder, expires, and a stale holder cannot release a newer lock", async () => {
      const store = make();
      const k = key();
      const first = await store.tryLock(k, 150);
      expect(first).not.toBeNull();
      expect(await store.tryLock(k, 150)).toBeNull();
      await sleep(250);
      const second = await store.tryLock(k, 5_000);
      expect(second).not.toBeNull();
      await first?.release(); // expired owner: must not free the second holder's lock
      expect(await store.tryLock(k, 5_000)).toBeNull();
      await second?.release();
      const third = await store.tryLock(k, 5_000);
      expect(third).not.toBeNull();
      await third?.release();
    });

    it("concurrent lock attempts: exactly one wins", async () => {
      const store = make();
      const k = key();
      const locks = await Promise.all(Array.from({ length: 20 }, () => store.tryLock(k, 5_000)));
      expect(locks.filter((l) => l !== null)).toHaveLength(1);
    });
  });
}

storeSemantics("MemoryTokenStore", () => new MemoryTokenStore());

describe.skipIf(!redisUrl)("RedisTokenStore (skipped: MPSTACK_TEST_REDIS_URL not set)", () => {
  const prefix = `mpstack:test:${randomBytes(6).toString("hex")}:`;
  let redis: Redis;
  const stores: RedisTokenStore[] = [];
  let fake: FakeWechat;

  beforeAll(async () => {
    redis = new Redis(redisUrl ?? "");
    fake = await startFakeWechat({ tokenDelayMs: 150 });
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await fake.close();
  });

  storeSemantics("RedisTokenStore", () => new RedisTokenStore(redis, { keyPrefix: prefix }));

  it("does not show the Redis URL or tokens when printed", () => {
    const store = new RedisTokenStore(redis, { keyPrefix: prefix });
    expect(inspect(store)).toBe(`RedisTokenStore { prefix: ${JSON.stringify(prefix)} }`);
  });

  it("two clients sharing Redis in one process: one token request", async () => {
    const a = new RedisTokenStore(redisUrl ?? "", { keyPrefix: `${prefix}shared1:` });
    const b = new RedisTokenStore(redisUrl ?? "", { keyPrefix: `${prefix}shared1:` });
    stores.push(a, b);
    const options = {
      appId: fake.appId,
      appSecret: fake.appSecret,
      baseUrl: fake.url,
      tokenPollIntervalMs: 20,
    };
    const before = fake.tokenRequests;
    const clients = [
      createClient({ ...options, tokenStore: a }),
      createClient({ ...options, tokenStore: b }),
    ];
    const tokens = await Promise.all(
      clients.flatMap((c) => Array.from({ length: 50 }, () => c.getAccessToken())),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(fake.tokenRequests - before).toBe(1);
  });

  it("4 processes sharing one Redis make exactly one token request", async () => {
    const before = fake.tokenRequests;
    const child = fileURLToPath(new URL("./helpers/token-child.ts", import.meta.url));
    const root = fileURLToPath(new URL("../../../", import.meta.url));
    const env = {
      ...process.env,
      REDIS_URL: redisUrl,
      KEY_PREFIX: `${prefix}procs:`,
      FAKE_URL: fake.url,
      APP_ID: fake.appId,
      APP_SECRET: fake.appSecret,
      CALLS: "25",
    };
    const procs: ChildProcess[] = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ["--import", "tsx", child], {
        cwd: root,
        env,
        stdio: ["pipe", "pipe", "inherit"],
      }),
    );
    const lines = procs.map((p) => {
      const out: string[] = [];
      let waiters: (() => void)[] = [];
      let buffer = "";
      p.stdout?.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        out.push(...parts);
        for (const w of waiters) w();
        waiters = [];
      });
      return async (index: number): Promise<string> => {
        while (out.length <= index) {
          if (p.exitCode !== null) throw new Error(`child exited with ${p.exitCode}`);
          await new Promise<void>((resolve) => waiters.push(resolve));
        }
        return out[index] as string;
      };
    });
    try {
      expect(await Promise.all(lines.map((line) => line(0)))).toEqual(["ready", "ready", "ready", "ready"]);
      for (const p of procs) p.stdin?.write("go\n");
      const reports = (await Promise.all(lines.map((line) => line(1)))).map(
        (text) => JSON.parse(text) as { tokens: string[]; fetches: number },
      );
      expect(fake.tokenRequests - before).toBe(1);
      expect(reports.reduce((sum, r) => sum + r.fetches, 0)).toBe(1);
      const tokens = new Set(reports.flatMap((r) => r.tokens));
      expect(tokens.size).toBe(1);
      expect(fake.validTokens.has([...tokens][0] ?? "")).toBe(true);
    } finally {
      for (const p of procs) if (p.exitCode === null) p.kill();
    }
  }, 30_000);
});
