/**
 * Shared driver of bench/handler-plain.ts and bench/handler-safe.ts: one server per child process
 * (ours, the node-webot `wechat` peer on Express, a bare node:http ceiling), loaded in turn from this
 * process with autocannon over loopback, each with distinct signed pushes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { MessageCrypto, openReply, parseReplyXml } from "@mpstack/protocol";
import { ACCOUNT, type BenchMode, pushPool, REPLY_TEXT } from "./handler-fixtures.js";

type Kind = "ours" | "peer" | "ceiling";

interface AutocannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  method: string;
  headers: Record<string, string>;
  requests: { setupRequest: (request: AutocannonRequest) => AutocannonRequest }[];
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
const SERVER = fileURLToPath(new URL("./handler-servers.ts", import.meta.url));
const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
// More distinct pushes than the default in-memory dedupe store keeps (10,000): no run is skipped.
const POOL = 25_000;

function start(kind: Kind, mode: BenchMode): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", SERVER, kind, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.once("exit", (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** One real exchange before the load: the answer must be the expected, correctly sealed reply. */
async function check(port: number, mode: BenchMode, kind: Kind): Promise<void> {
  const [push] = pushPool(mode, 1);
  const response = await fetch(`http://127.0.0.1:${port}${push!.path}`, {
    method: "POST",
    headers: { "content-type": "text/xml" },
    body: push!.body,
  });
  const body = await response.text();
  const crypto = new MessageCrypto(ACCOUNT.encodingAESKey, ACCOUNT.appId);
  const { xml } = openReply({ body, mode, token: ACCOUNT.token, crypto });
  const { reply } = parseReplyXml(xml);
  if (response.status !== 200 || reply.type !== "text" || reply.content !== REPLY_TEXT) {
    throw new Error(`${kind}: unexpected answer ${response.status} ${body.slice(0, 200)}`);
  }
}

async function load(port: number, mode: BenchMode, seconds: number): Promise<AutocannonResult> {
  const pool = pushPool(mode, POOL);
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "text/xml; charset=utf-8" },
    requests: [
      {
        setupRequest: (request) => {
          const push = pool[next++ % POOL]!;
          request.path = push.path;
          request.body = push.body;
          return request;
        },
      },
    ],
  });
}

async function measure(kind: Kind, mode: BenchMode): Promise<number> {
  const { child, port } = await start(kind, mode);
  try {
    await check(port, mode, kind);
    await load(port, mode, WARMUP_SECONDS);
    const result = await load(port, mode, SECONDS);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${kind}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
    const rate = Math.round(result.requests.total / SECONDS);
    console.log(`${kind.padEnd(8)} ${String(rate).padStart(7)} req/s  (${result.requests.total} requests)`);
    return rate;
  } finally {
    await stop(child);
  }
}

export async function runHandlerBench(mode: BenchMode): Promise<void> {
  const bench = `handler-${mode}`;
  console.log(`${bench}: text in, text reply out; ${CONNECTIONS} connections, ${SECONDS} s each, loopback`);
  const ours = await measure("ours", mode);
  const peer = await measure("peer", mode);
  const ceiling = await measure("ceiling", mode);
  const vsPeer = Math.round((ours / peer) * 100) / 100;
  const vsCeiling = Math.round((ours / ceiling) * 100) / 100;
  console.log(`ours/peer ${vsPeer}x   ours/ceiling ${Math.round(vsCeiling * 100)}%`);
  console.log(
    JSON.stringify({ bench, unit: "req/s", ours, peer, ceiling, vs_peer: vsPeer, vs_ceiling: vsCeiling }),
  );
}
