/**
 * The echo bot against the real platform (in-process on 127.0.0.1:0, temporary SQLite folder, demo
 * world), in safe mode: one bot serves the four demo accounts on one URL (saved through the
 * platform's handshake), creates its menu through the API client, echoes, answers "news", greets QR
 * scans and follows, answers menu taps and media.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, demoAppid, demoSecret, type Platform } from "@mpstack/platform";
import type { Reply } from "@mpstack/protocol";
import { createClient } from "@mpstack/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_MENU, type EchoBot, HELP, startEchoBot } from "../src/index.js";

interface PushView {
  status: string;
  reply: Reply | null;
  attempts: { outcome: string; request: { url: string; query: Record<string, string> } }[];
}

interface AccountView {
  appid: string;
  name: string;
  originalId: string;
  server: { url: string; mode: string };
}

let platform: Platform;
let platformUrl: string;
let dir: string;
let bot: EchoBot;
const errors: string[] = [];
const names = new Map<string, string>();

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

const say = (user: string, appid: string, message: Record<string, unknown>) =>
  sim<PushView>("POST", `/users/${user}/messages`, { appid, ...message });

function textOf(push: PushView | null | undefined): string | undefined {
  return push?.reply?.type === "text" ? push.reply.content : undefined;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-echo-bot-"));
  platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
  platformUrl = await platform.listen();
  const { accounts } = await sim<{ accounts: AccountView[] }>("GET", "/accounts");
  for (const a of accounts) names.set(a.appid, a.name);
  bot = await startEchoBot({
    port: 0,
    platformUrl,
    accounts: DEMO_ACCOUNTS.map((a) => ({
      ...a,
      originalId: accounts.find((x) => x.appid === a.appId)?.originalId ?? "",
      name: names.get(a.appId) ?? "",
    })),
    slowReplyMs: 10,
    onError: (error, stage) =>
      errors.push(`${stage}: ${error instanceof Error ? error.message : String(error)}`),
  });
  // Every demo account points at the bot's one URL, in safe mode, through WeChat's handshake.
  for (const a of DEMO_ACCOUNTS) {
    await sim("PUT", `/accounts/${a.appId}/server`, {
      url: bot.serverUrl,
      token: a.token,
      encodingAESKey: a.encodingAESKey,
      mode: "safe",
    });
  }
});

afterAll(async () => {
  await bot?.close();
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("echo bot on the platform (safe mode)", () => {
  it("creates its menu at startup on every account allowed to have one", async () => {
    expect(bot.menus[demoAppid(1)]).toMatchObject({ created: false, errcode: 48001 }); // unverified subscription
    for (const n of [2, 3, 4]) expect(bot.menus[demoAppid(n)]).toEqual({ created: true });
    const client = createClient({ appId: demoAppid(4), appSecret: demoSecret(4), baseUrl: platformUrl });
    const { menu } = await client.menu.get();
    // menu/get adds an empty sub_button to leaves; everything the bot sent is there.
    expect(menu.button).toMatchObject(DEMO_MENU);
  });

  it("echoes text on every account, sealed in safe mode", async () => {
    for (const n of [1, 2, 3, 4]) {
      const appid = demoAppid(n);
      const pushed = await say("alice", appid, { type: "text", content: `hi ${n} <b>&amp;</b> 你好` });
      expect(pushed.status).toBe("replied");
      expect(textOf(pushed)).toBe(`hi ${n} <b>&amp;</b> 你好`);
      expect(pushed.attempts[0]?.request.url).toBe(bot.serverUrl);
      expect(pushed.attempts[0]?.request.query.encrypt_type).toBe("aes");
    }
    expect(textOf(await say("bob", demoAppid(4), { type: "text", content: "help" }))).toBe(HELP);
  });

  it('answers "news" with one article', async () => {
    const pushed = await say("alice", demoAppid(2), { type: "text", content: "News" });
    expect(pushed.reply).toMatchObject({
      type: "news",
      articles: [
        { title: `${names.get(demoAppid(2))}: today's news`, url: "https://mpstack.example.com/news" },
      ],
    });
  });

  it("greets a follow through a QR code, a SCAN by a follower, and a plain follow", async () => {
    const appid = demoAppid(4);
    const client = createClient({ appId: appid, appSecret: demoSecret(4), baseUrl: platformUrl });
    const code = await client.qrcode.create({
      action_name: "QR_LIMIT_STR_SCENE",
      action_info: { scene: { scene_str: "poster-42" } },
    });
    await sim("POST", "/users", { id: "frank", nickname: "Frank" });

    const followed = await sim<{ event: string }>("POST", "/users/frank/scan", { ticket: code.ticket });
    expect(followed.event).toBe("subscribe");
    // The scan answers once the follow is done; the subscribe push it started may still be running.
    let greeting: PushView | undefined;
    for (let i = 0; i < 50 && greeting?.status !== "replied"; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const { pushes } = await sim<{ pushes: (PushView & { event: string })[] }>(
        "GET",
        `/pushes?appid=${appid}&user=frank&limit=1`,
      );
      greeting = pushes.find((p) => p.event === "subscribe");
    }
    expect(textOf(greeting)).toBe(`Welcome to ${names.get(appid)}! You came through the code "poster-42".`);

    const scanned = await sim<{ event: string; push: PushView }>("POST", "/users/frank/scan", {
      ticket: code.ticket,
    });
    expect(scanned.event).toBe("SCAN");
    expect(textOf(scanned.push)).toBe('Welcome back! You scanned the code "poster-42".');

    const plain = await sim<PushView>("POST", "/users/frank/events", {
      appid: demoAppid(2),
      type: "subscribe",
    });
    expect(textOf(plain)).toBe(`Welcome to ${names.get(demoAppid(2))}! ${HELP}`);
  });

  it("answers menu taps", async () => {
    const appid = demoAppid(3);
    const click = (body: Record<string, unknown>) =>
      sim<{ event: string; push: PushView; followUps: PushView[] }>("POST", "/users/alice/events", {
        appid,
        type: "click",
        ...body,
      });
    expect(textOf((await click({ name: "Hello" })).push)).toBe(`Hello from ${names.get(appid)}!`);
    expect((await click({ name: "News" })).push.reply?.type).toBe("news");
    expect(textOf((await click({ name: "Scan a code", scanResult: "ISBN 978" })).push)).toBe(
      "You scanned: ISBN 978",
    );
    const place = await click({
      name: "Share a place",
      location: { latitude: 31.23, longitude: 121.47, label: "Shanghai", poiname: "The Bund" },
    });
    expect(textOf(place.push)).toBe("You picked The Bund.");
    expect(textOf(place.followUps[0])).toBe("You are at Shanghai (31.23, 121.47).");
    const photo = await click({ name: "Send a photo" });
    expect(photo.push.status).toBe("empty");
    expect(textOf(photo.followUps[0])).toMatch(/^Nice picture! \(media .+\)$/);
  });

  it("answers images, voice and locations", async () => {
    const appid = demoAppid(4);
    expect(textOf(await say("carol", appid, { type: "image", mediaId: "M1" }))).toBe(
      "Nice picture! (media M1)",
    );
    expect(textOf(await say("carol", appid, { type: "voice", recognition: "hello" }))).toBe(
      "You said (voice): hello",
    );
    expect(textOf(await say("carol", appid, { type: "voice" }))).toBe("Got your voice message (amr).");
    expect(
      textOf(
        await say("carol", appid, { type: "location", locationX: 22.5, locationY: 114.1, label: "Shenzhen" }),
      ),
    ).toBe("You are at Shenzhen (22.5, 114.1).");
  });

  it("serves an account on its own path too, and refuses unknown accounts", async () => {
    const a = DEMO_ACCOUNTS[2]!;
    await sim("PUT", `/accounts/${a.appId}/server`, {
      url: bot.urlOf(a.appId),
      token: a.token,
      encodingAESKey: a.encodingAESKey,
      mode: "safe",
    });
    const pushed = await say("alice", a.appId, { type: "text", content: "own path" });
    expect(pushed.attempts[0]?.request.url).toBe(bot.urlOf(a.appId));
    expect(textOf(pushed)).toBe("own path");

    expect(
      (await fetch(`${bot.url}/wechat/wx0000000000000bad`, { method: "POST", body: "<xml/>" })).status,
    ).toBe(404);
    const stranger = await fetch(`${bot.serverUrl}?signature=x&timestamp=1&nonce=2`, {
      method: "POST",
      body: "<xml><ToUserName><![CDATA[gh_000000000000]]></ToUserName><Encrypt><![CDATA[x]]></Encrypt></xml>",
    });
    expect(stranger.status).toBe(404);
  });

  it("reported no handler errors", () => {
    expect(errors).toEqual([]);
  });
});
