/**
 * Shared driver of bench/push-plain.ts and bench/push-safe.ts: pushes per second end to end
 * (simulator API call → platform push → developer server's text reply → reply recorded in the
 * conversation) against the same number of push round trips a bare undici client makes straight to
 * the developer server (the floor: the developer side's work and one HTTP exchange, nothing else).
 * The platform and the developer server each run in a child process; the load comes from this one.
 *
 * Child roles (argv): `dev <mode>` (node:http + @mpstack/protocol developer server),
 * `platform <mode> <devUrl> <dataDir>` (the platform with one account pointed at it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildReplyXml,
  MessageCrypto,
  openInbound,
  parseInbound,
  type SecurityMode,
  sealInbound,
  sealReply,
} from "@mpstack/protocol";
import { Pool } from "undici";
import { stopChild } from "./child.js";

type Mode = Extract<SecurityMode, "plain" | "safe">;

const ACCOUNT = {
  appid: "wx0123456789abcdef",
  secret: "0123456789abcdef0123456789abcdef",
  token: "benchtoken",
  encodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  originalId: "gh_0123456789ab",
};
const USERS = 64;
const CONNECTIONS = 32;
const COUNT = Number(process.env.BENCH_PUSHES ?? 6000);
const WARMUP = 500;
/** Each measurement stops here even if COUNT was not reached (bounded run). */
const MAX_SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const REPLY_TEXT = "Thanks, we got your message.";
const SELF = fileURLToPath(import.meta.url);

// ---- children ------------------------------------------------------------------------------------

async function devServer(mode: Mode): Promise<void> {
  const crypto = new MessageCrypto(ACCOUNT.encodingAESKey, ACCOUNT.appid);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const query = Object.fromEntries(url.searchParams);
      if (req.method === "GET") {
        res.end(query.echostr ?? "");
        return;
      }
      try {
        const opened = openInbound({
          query,
          body: Buffer.concat(chunks).toString("utf8"),
          token: ACCOUNT.token,
          crypto,
        });
        const m = parseInbound(opened.xml);
        const xml = buildReplyXml(
          { type: "text", content: REPLY_TEXT },
          {
            toUserName: m.FromUserName,
            fromUserName: m.ToUserName,
            createTime: Math.floor(Date.now() / 1000),
          },
        );
        res.writeHead(200, { "content-type": "application/xml; charset=utf-8" });
        res.end(
          sealReply({
            xml,
            mode,
            token: ACCOUNT.token,
            crypto,
            timestamp: query.timestamp ?? "",
            nonce: query.nonce ?? "",
          }),
        );
      } catch (err) {
        res.writeHead(401);
        res.end(String(err));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wx` }));
  });
}

async function platformServer(mode: Mode, devUrl: string, dataDir: string): Promise<void> {
  const { createPlatform, validateConfig } = await import("@mpstack/platform");
  const users = Array.from({ length: USERS }, (_, i) => ({ id: `u${i}` }));
  const config = validateConfig({
    accounts: [
      {
        appid: ACCOUNT.appid,
        secret: ACCOUNT.secret,
        type: "service",
        verified: true,
        originalId: ACCOUNT.originalId,
        server: { url: devUrl, token: ACCOUNT.token, encodingAESKey: ACCOUNT.encodingAESKey, mode },
      },
    ],
    users,
    follows: users.map((u) => ({ user: u.id, account: ACCOUNT.appid })),
  });
  const platform = await createPlatform({ dataDir, port: 0, config });
  const url = await platform.listen();
  console.log(JSON.stringify({ url }));
  // CPU time on request (SIGUSR2), for the parent: a per-push cost that other load disturbs less.
  process.on("SIGUSR2", () => console.log(JSON.stringify({ cpu: process.cpuUsage() })));
  process.on("SIGTERM", () => {
    platform.close().then(() => process.exit(0));
  });
}

// ---- driver --------------------------------------------------------------------------------------

interface Child {
  proc: ChildProcess;
  url: string;
  /** Lines the child printed after its first one. */
  lines: string[];
}

/** The child's CPU time so far (µs, user + system). */
async function cpuOf(c: Child): Promise<number> {
  const before = c.lines.length;
  c.proc.kill("SIGUSR2");
  const deadline = Date.now() + 5000;
  while (c.lines.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const { cpu } = JSON.parse(c.lines.at(-1) ?? "{}") as { cpu?: { user: number; system: number } };
  if (!cpu) throw new Error("the platform did not report its CPU time");
  return cpu.user + cpu.system;
}

function child(args: string[]): Promise<Child> {
  const prof =
    process.env.BENCH_CPU_PROF && args[0] === "platform"
      ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF]
      : [];
  const proc = spawn(process.execPath, [...prof, "--import", "tsx", SELF, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let started: Child | undefined;
    proc.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split("\n");
      out = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        if (started) started.lines.push(line);
        else {
          started = { proc, url: (JSON.parse(line) as { url: string }).url, lines: [] };
          resolve(started);
        }
      }
    });
    proc.once("exit", (code) => reject(new Error(`${args[0]} exited (${code})`)));
  });
}

/** Runs `count` requests over `CONNECTIONS` concurrent lanes; returns requests per second. */
async function drive(
  count: number,
  one: (i: number) => Promise<void>,
): Promise<{ rate: number; done: number }> {
  const started = performance.now();
  const deadline = started + MAX_SECONDS * 1000;
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      await one(i);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { rate: Math.round(done / seconds), done };
}

async function ours(platform: Child): Promise<{ rate: number; done: number; cpuUsPerPush: number }> {
  const pool = new Pool(platform.url, { connections: CONNECTIONS, pipelining: 1 });
  const one = async (i: number) => {
    const res = await pool.request({
      method: "POST",
      path: `/_mpstack/users/u${i % USERS}/messages`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ appid: ACCOUNT.appid, type: "text", content: `hello ${i}` }),
    });
    const answer = (await res.body.json()) as { status?: string; reply?: { content?: string } };
    if (res.statusCode !== 200 || answer.status !== "replied" || answer.reply?.content !== REPLY_TEXT)
      throw new Error(`unexpected answer ${res.statusCode} ${JSON.stringify(answer).slice(0, 300)}`);
  };
  try {
    await drive(WARMUP, one);
    const cpu0 = await cpuOf(platform);
    const r = await drive(COUNT, one);
    const cpuUsPerPush = Math.round((await cpuOf(platform)) - cpu0) / r.done;
    return { ...r, cpuUsPerPush: Math.round(cpuUsPerPush) };
  } finally {
    await pool.close();
  }
}

async function floor(mode: Mode, devUrl: string): Promise<{ rate: number; done: number }> {
  const crypto = new MessageCrypto(ACCOUNT.encodingAESKey, ACCOUNT.appid);
  const now = Math.floor(Date.now() / 1000);
  const target = new URL(devUrl);
  const pushes = Array.from({ length: COUNT + WARMUP }, (_, i) => {
    const xml =
      `<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName><FromUserName><![CDATA[oBenchUser${String(i % USERS).padStart(18, "0")}]]></FromUserName>` +
      `<CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello ${i}]]></Content><MsgId>${24_000_000_000_000_000n + BigInt(i)}</MsgId></xml>`;
    const sealed = sealInbound({
      xml,
      mode,
      token: ACCOUNT.token,
      crypto,
      timestamp: String(now),
      nonce: String(100_000_000 + i),
      openid: `oBenchUser${i}`,
      appId: ACCOUNT.appid,
      toUserName: ACCOUNT.originalId,
    });
    return { path: `${target.pathname}?${new URLSearchParams(sealed.query)}`, body: sealed.body };
  });
  const pool = new Pool(target.origin, { connections: CONNECTIONS, pipelining: 1 });
  let offset = 0;
  const one = async (i: number) => {
    const push = pushes[offset + i]!;
    const res = await pool.request({
      method: "POST",
      path: push.path,
      headers: { "content-type": "text/xml; charset=utf-8" },
      body: push.body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.length === 0)
      throw new Error(`floor: ${res.statusCode} ${text.slice(0, 200)}`);
  };
  try {
    await drive(WARMUP, one);
    offset = WARMUP;
    return await drive(COUNT, one);
  } finally {
    await pool.close();
  }
}

export async function runPushBench(mode: Mode): Promise<void> {
  const bench = `push-${mode}`;
  console.log(
    `${bench}: ${COUNT} text messages from ${USERS} users, ${CONNECTIONS} concurrent, end to end (API call → push → reply recorded), at most ${MAX_SECONDS} s each`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), "mpstack-bench-push-"));
  const dev = await child(["dev", mode]);
  let platform: Child | undefined;
  try {
    platform = await child(["platform", mode, dev.url, dataDir]);
    const o = await ours(platform);
    await stopChild(platform.proc);
    platform = undefined;
    console.log(
      `ours    ${String(o.rate).padStart(7)} pushes/s  (${o.done} pushes; platform CPU ${o.cpuUsPerPush} µs per push)`,
    );
    const f = await floor(mode, dev.url);
    console.log(
      `floor   ${String(f.rate).padStart(7)} round trips/s  (${f.done} bare undici → developer server)`,
    );
    const vsFloor = Math.round((o.rate / f.rate) * 100) / 100;
    console.log(`ours/floor ${Math.round(vsFloor * 100)}%`);
    console.log(
      JSON.stringify({
        bench,
        unit: "pushes/s",
        ours: o.rate,
        floor: f.rate,
        vs_floor: vsFloor,
        platform_cpu_us_per_push: o.cpuUsPerPush,
      }),
    );
  } finally {
    if (platform) await stopChild(platform.proc);
    await stopChild(dev.proc);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const [role, ...rest] = process.argv.slice(2);
if (role === "dev") await devServer(rest[0] as Mode);
else if (role === "platform") await platformServer(rest[0] as Mode, rest[1]!, rest[2]!);
