/**
 * The client against the real platform (packages/platform), in-process on 127.0.0.1:0 with a
 * temporary SQLite folder and the demo world.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPlatform, demoAppid, demoSecret, type Platform } from "@mpstack/platform";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, WechatApiError } from "../src/index.js";

const redisUrl = process.env.MPSTACK_TEST_REDIS_URL;

let platform: Platform;
let url: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-platform-"));
  platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
  url = await platform.listen();
});
afterAll(async () => {
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await fetch(`${url}/_mpstack/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ resetToRealTime: true }),
  });
});

/** A fetch that counts token requests and records every errcode the platform answers. */
function observedFetch() {
  const seen = { tokenRequests: 0, errcodes: [] as number[] };
  const wrapped: typeof fetch = async (input, init) => {
    const target = new URL(String(input));
    if (target.pathname === "/cgi-bin/token" || target.pathname === "/cgi-bin/stable_token")
      seen.tokenRequests++;
    const res = await fetch(input, init);
    if (res.headers.get("content-type")?.includes("json")) {
      const body = (await res.clone().json()) as { errcode?: number };
      if (body.errcode) seen.errcodes.push(body.errcode);
    }
    return res;
  };
  return { seen, fetch: wrapped };
}

const account = { appId: demoAppid(4), appSecret: demoSecret(4) };

describe("client against the platform", () => {
  it("gets a token and calls getcallbackip", async () => {
    const { seen, fetch } = observedFetch();
    const client = createClient({ ...account, baseUrl: url, fetch });
    const token = await client.getAccessToken();
    expect(token.length).toBeGreaterThan(0);
    const ips = await client.basic.getCallbackIp();
    expect(Array.isArray(ips.ip_list)).toBe(true);
    expect(ips.ip_list.length).toBeGreaterThan(0);
    expect(seen.tokenRequests).toBe(1);
  });

  it("100 concurrent calls make exactly one token request", async () => {
    const { seen, fetch } = observedFetch();
    const client = createClient({ ...account, baseUrl: url, fetch });
    await Promise.all(Array.from({ length: 100 }, () => client.basic.getCallbackIp()));
    expect(seen.tokenRequests).toBe(1);
  });

  it("retries once with a new token after the platform's clock moved 2 hours", async () => {
    const { seen, fetch } = observedFetch();
    const client = createClient({ ...account, baseUrl: url, fetch });
    await client.basic.getCallbackIp();
    const moved = await globalThis.fetch(`${url}/_mpstack/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 7200 }),
    });
    expect(moved.ok).toBe(true);
    const ips = await client.basic.getCallbackIp();
    expect(ips.ip_list.length).toBeGreaterThan(0);
    expect(seen.errcodes).toEqual([42001]);
    expect(seen.tokenRequests).toBe(2);
  });

  it("surfaces platform errors as WechatApiError with a rid, and no secret", async () => {
    const client = createClient({ appId: account.appId, appSecret: "0".repeat(32), baseUrl: url });
    const error = await client.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect([40001, 40125]).toContain((error as WechatApiError).errcode);
    expect((error as WechatApiError).rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(String(error)).not.toContain("0".repeat(32));
  });
});

describe.skipIf(!redisUrl)(
  "4 processes sharing Redis against the platform (skipped: MPSTACK_TEST_REDIS_URL not set)",
  () => {
    it("make exactly one token request", async () => {
      const child = fileURLToPath(new URL("./helpers/token-child.ts", import.meta.url));
      const root = fileURLToPath(new URL("../../../", import.meta.url));
      const env = {
        ...process.env,
        REDIS_URL: redisUrl,
        KEY_PREFIX: `mpstack:test:${randomBytes(6).toString("hex")}:`,
        FAKE_URL: url,
        APP_ID: account.appId,
        APP_SECRET: account.appSecret,
        CALLS: "25",
      };
      const procs: ChildProcess[] = Array.from({ length: 4 }, () =>
        spawn(process.execPath, ["--import", "tsx", child], {
          cwd: root,
          env,
          stdio: ["pipe", "pipe", "inherit"],
        }),
      );
      try {
        const outputs = procs.map((p) => collectLines(p));
        await Promise.all(outputs.map((o) => o.line(0)));
        for (const p of procs) p.stdin?.write("go\n");
        const reports = await Promise.all(
          outputs.map(async (o) => JSON.parse(await o.line(1)) as { tokens: string[]; fetches: number }),
        );
        expect(reports.reduce((sum, r) => sum + r.fetches, 0)).toBe(1);
        expect(new Set(reports.flatMap((r) => r.tokens)).size).toBe(1);
      } finally {
        for (const p of procs) if (p.exitCode === null) p.kill();
      }
    }, 30_000);
  },
);

function collectLines(p: ChildProcess): { line(index: number): Promise<string> } {
  const out: string[] = [];
  let waiters: (() => void)[] = [];
  let buffer = "";
  const wake = () => {
    for (const w of waiters) w();
    waiters = [];
  };
  p.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    out.push(...parts);
    wake();
  });
  p.on("exit", wake);
  return {
    async line(index) {
      while (out.length <= index) {
        if (p.exitCode !== null) throw new Error(`child exited with ${p.exitCode}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      return out[index] as string;
    },
  };
}
