/**
 * The SDK's reliability features against the real platform, over real HTTP (the platform
 * in-process on 127.0.0.1:0 with a temporary SQLite folder and the demo world; developer servers
 * built with `createHandler` on node:http):
 * - the time budget: a slow route's reply reaches the user as a customer-service message;
 * - de-duplication: the platform retries a slow push (short push timeout policy), the route runs once;
 * - token single flight: 100 concurrent calls, one token request (counted in the platform's journal);
 * - the retry on an expired token after the platform's clock moved 2 hours.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, demoAppid, demoSecret, type Platform } from "@mpstack/platform";
import type { Reply } from "@mpstack/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  createHandler,
  customerMessageSender,
  type HandlerErrorInfo,
  type MessageHandler,
  toNodeHttp,
} from "../src/index.js";

const TOKEN = "reliabilityToken";
const AES_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";

interface PushView {
  status: string;
  reply: Reply | null;
  notice: string | null;
  attempts: { outcome: string; latencyMs: number; request: { body: string } }[];
}

interface ConversationView {
  openid: string;
  messages: { direction: string; kind: string; msgType: string; payload: unknown; createdAt: number }[];
}

let platform: Platform;
let platformUrl: string;
let dir: string;
const servers: Server[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-reliability-"));
  platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
  platformUrl = await platform.listen();
});

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
});

afterAll(async () => {
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sim<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${platformUrl}/_mpstack${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const parsed = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

/** Serves `handler` on 127.0.0.1:0 and saves it as the account's server (safe mode, with the handshake). */
async function serve(appid: string, handler: MessageHandler): Promise<void> {
  const server = createServer(toNodeHttp(handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`;
  await sim("PUT", `/accounts/${appid}/server`, { url, token: TOKEN, encodingAESKey: AES_KEY, mode: "safe" });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface JournalCall {
  appid: string | null;
  path: string;
  errcode: number;
}

/** The platform's API journal, oldest first: the account's calls, or the latest `limit` calls of all. */
async function journal(appid: string | undefined, limit = 1000): Promise<JournalCall[]> {
  const query = appid ? `appid=${appid}&limit=${limit}` : `limit=${limit}`;
  const { calls } = await sim<{ calls: JournalCall[] }>("GET", `/journal?${query}`);
  return calls.reverse();
}

describe("time budget", () => {
  const appid = demoAppid(4); // verified service account: may send customer-service messages

  it("a route slower than the budget: the user first sees nothing, then the reply as a customer-service message", async () => {
    const client = createClient({ appId: appid, appSecret: demoSecret(4), baseUrl: platformUrl });
    const errors: { error: unknown; info: HandlerErrorInfo }[] = [];
    const handler = createHandler({
      appId: appid,
      token: TOKEN,
      encodingAESKey: AES_KEY,
      budgetMs: 300,
      fallback: customerMessageSender(client),
      onError: (error, info) => errors.push({ error, info }),
    });
    let finished = 0;
    handler.text("slow", async () => {
      await sleep(900);
      finished = Date.now();
      return "worth the wait";
    });
    await serve(appid, handler);

    const started = Date.now();
    const pushed = await sim<PushView>("POST", "/users/bob/messages", {
      appid,
      type: "text",
      content: "slow",
    });
    // The handler answered "success" within its budget, well before the platform's 5 s timeout.
    expect(pushed.status).toBe("empty");
    expect(pushed.reply).toBeNull();
    expect(pushed.notice).toBeNull();
    expect(pushed.attempts).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(800);

    const conversation = () => sim<ConversationView>("GET", `/users/bob/conversations/${appid}`);
    const before = await conversation();
    const lastIn = before.messages.at(-1);
    expect(lastIn).toMatchObject({ direction: "in", msgType: "text" });
    expect(JSON.stringify(lastIn?.payload)).toContain("slow");

    // Then the late reply arrives in the conversation, sent through message/custom/send.
    let outgoing: ConversationView["messages"][number] | undefined;
    for (let i = 0; i < 60 && !outgoing; i++) {
      await sleep(100);
      const now = await conversation();
      outgoing = now.messages.slice(before.messages.length).find((m) => m.direction === "out");
    }
    expect(errors).toEqual([]);
    expect(finished).toBeGreaterThan(0);
    expect(outgoing).toBeDefined();
    expect(JSON.stringify(outgoing?.payload)).toContain("worth the wait");
    const calls = await journal(appid);
    expect(calls.filter((c) => c.path === "/cgi-bin/message/custom/send")).toEqual([
      expect.objectContaining({ errcode: 0 }),
    ]);
  });
});

describe("de-duplication under the platform's retries", () => {
  const appid = demoAppid(3);

  afterEach(async () => {
    await sim("PUT", "/push-policy", { appid, timeoutMs: null, attempts: null, retryDelayMs: null });
  });

  function countingHandler(delayMs: number) {
    const runs: string[] = [];
    const handler = createHandler({ appId: appid, token: TOKEN, encodingAESKey: AES_KEY });
    handler.on("text", async (m) => {
      runs.push(m.Content);
      await sleep(delayMs);
      return `ran once: ${m.Content}`;
    });
    handler.click(/.*/, async (m) => {
      runs.push(m.EventKey);
      await sleep(delayMs);
      return `clicked once: ${m.EventKey}`;
    });
    return { runs, handler };
  }

  it("retries arriving while the route runs wait for its answer (MsgId)", async () => {
    // Each attempt waits 500 ms; the route needs 1200 ms: attempts 1 and 2 time out, the third gets the answer.
    await sim("PUT", "/push-policy", { appid, timeoutMs: 500, attempts: 3, retryDelayMs: 0 });
    const { runs, handler } = countingHandler(1200);
    await serve(appid, handler);

    const pushed = await sim<PushView>("POST", "/users/alice/messages", {
      appid,
      type: "text",
      content: "dup",
    });
    expect(pushed.attempts.map((a) => a.outcome)).toEqual(["timeout", "timeout", "replied"]);
    expect(pushed.status).toBe("replied");
    expect(pushed.reply).toEqual({ type: "text", content: "ran once: dup" });
    expect(runs).toEqual(["dup"]);
  });

  it("a retry after the route finished gets the remembered answer", async () => {
    await sim("PUT", "/push-policy", { appid, timeoutMs: 300, attempts: 3, retryDelayMs: 400 });
    const { runs, handler } = countingHandler(450);
    await serve(appid, handler);

    const pushed = await sim<PushView>("POST", "/users/bob/messages", {
      appid,
      type: "text",
      content: "again",
    });
    expect(pushed.attempts.map((a) => a.outcome)).toEqual(["timeout", "replied"]);
    expect(pushed.reply).toEqual({ type: "text", content: "ran once: again" });
    expect(runs).toEqual(["again"]);
  });

  it("events are recognised by FromUserName + CreateTime", async () => {
    await sim("PUT", "/push-policy", { appid, timeoutMs: 300, attempts: 3, retryDelayMs: 0 });
    const { runs, handler } = countingHandler(750);
    await serve(appid, handler);
    const client = createClient({ appId: appid, appSecret: demoSecret(3), baseUrl: platformUrl });
    await client.menu.create({ button: [{ type: "click", name: "Tap", key: "TAP" }] });

    const tapped = await sim<{ push: PushView }>("POST", "/users/alice/events", {
      appid,
      type: "click",
      key: "TAP",
    });
    expect(tapped.push.attempts.map((a) => a.outcome)).toEqual(["timeout", "timeout", "replied"]);
    expect(tapped.push.reply).toEqual({ type: "text", content: "clicked once: TAP" });
    expect(runs).toEqual(["TAP"]);
  });
});

describe("access tokens against the platform", () => {
  afterEach(async () => {
    await sim("POST", "/clock", { resetToRealTime: true });
  });

  it("100 concurrent calls make exactly one token request", async () => {
    const appid = demoAppid(2);
    const client = createClient({ appId: appid, appSecret: demoSecret(2), baseUrl: platformUrl });
    const answers = await Promise.all(Array.from({ length: 100 }, () => client.basic.getCallbackIp()));
    expect(answers.every((a) => a.ip_list.length > 0)).toBe(true);

    const calls = await journal(appid);
    expect(calls.filter((c) => c.path === "/cgi-bin/token")).toHaveLength(1);
    expect(calls.filter((c) => c.path === "/cgi-bin/getcallbackip" && c.errcode === 0)).toHaveLength(100);
    expect(client.tokenFetchCount).toBe(1);
  });

  it("after the platform's clock moved 2 hours: 42001, one refresh, one retry", async () => {
    const appid = demoAppid(1);
    const client = createClient({ appId: appid, appSecret: demoSecret(1), baseUrl: platformUrl });
    const before = await client.getAccessToken();
    await client.basic.getCallbackIp();

    await sim("POST", "/clock", { advanceSeconds: 7200 });
    const after = await client.basic.getCallbackIp();
    expect(after.ip_list.length).toBeGreaterThan(0);
    expect(await client.getAccessToken()).not.toBe(before);

    // The latest calls of all accounts (the platform files a call with a stale token under no account).
    const latest = await journal(undefined, 5);
    expect(latest.every((c) => c.appid === appid || c.appid === null)).toBe(true);
    const calls = latest.map((c) => `${c.path} ${c.errcode}`);
    expect(calls).toEqual([
      "/cgi-bin/token 0",
      "/cgi-bin/getcallbackip 0",
      "/cgi-bin/getcallbackip 42001",
      "/cgi-bin/token 0",
      "/cgi-bin/getcallbackip 0",
    ]);
  });
});
