/**
 * Shared driver of bench/handler-plain.ts and bench/handler-safe.ts: one server per child process
 * (ours, the node-webot `wechat` peer on Express, a bare node:http ceiling), loaded in turn from this
 * process with autocannon over loopback, each with distinct signed pushes.
 */
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { MessageCrypto, openReply, parseReplyXml } from "@mpstack/protocol";
import { askChild, notifyChild, spawnTsx, stopChild } from "./child.js";
import { ACCOUNT, type BenchMode, pushPool, REPLY_TEXT } from "./handler-fixtures.js";
import { interleave, pairedRatio, type Rounds, round2 } from "./rounds.js";

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
const WARMUP_SECONDS = 1;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = 8;
// More distinct pushes than the default in-memory dedupe store keeps (10,000): no run is skipped.
const POOL = 25_000;

async function start(kind: Kind, mode: BenchMode): Promise<{ child: ChildProcess; port: number }> {
  const { child, hello } = await spawnTsx<{ port: number }>(SERVER, [kind, mode], {
    ipc: true,
    label: `${kind} server`,
  });
  return { child, port: hello.port };
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

const KINDS: readonly Kind[] = ["ours", "peer", "ceiling"];

/**
 * All three servers run side by side (idle unless loaded); the load visits them in interleaved
 * rounds (lib/rounds.ts), so that a change in the machine's background load hits all three alike.
 */
async function measureAll(mode: BenchMode): Promise<Rounds<Kind>> {
  const servers = await Promise.all(KINDS.map((kind) => start(kind, mode)));
  try {
    for (const [i, kind] of KINDS.entries()) {
      await check(servers[i]!.port, mode, kind);
      await load(servers[i]!.port, mode, WARMUP_SECONDS);
      await notifyChild(servers[i]!.child, "reset");
    }
    const slice = SECONDS / ROUNDS;
    const measured = await interleave(KINDS, ROUNDS, slice, async (kind) => {
      const result = await load(servers[KINDS.indexOf(kind)]!.port, mode, slice);
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`${kind}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      }
      return result.requests.total;
    });
    const totals = measured.totals;
    const rates = { ours: 0, peer: 0, ceiling: 0 };
    for (const [i, kind] of KINDS.entries()) {
      rates[kind] = Math.round(totals[kind] / SECONDS);
      const cpu = (await askChild<{ cpuMicrosPerRequest: number }>(servers[i]!.child, "stats"))
        .cpuMicrosPerRequest;
      console.log(
        `${kind.padEnd(8)} ${String(rates[kind]).padStart(7)} req/s  (${totals[kind]} requests, ${cpu.toFixed(1)} µs server CPU per request)`,
      );
    }
    return measured;
  } finally {
    await Promise.all(servers.map((s) => stopChild(s.child)));
  }
}

export async function runHandlerBench(mode: BenchMode): Promise<void> {
  const bench = `handler-${mode}`;
  console.log(
    `${bench}: text in, text reply out; ${CONNECTIONS} connections, ${SECONDS} s each in ${ROUNDS} turns, loopback`,
  );
  const measured = await measureAll(mode);
  const rate = (k: Kind) => Math.round(measured.totals[k] / SECONDS);
  const [ours, peer, ceiling] = [rate("ours"), rate("peer"), rate("ceiling")];
  const vsPeer = round2(pairedRatio(measured, "ours", "peer"));
  const vsCeiling = round2(pairedRatio(measured, "ours", "ceiling"));
  console.log(
    `ours/peer ${vsPeer}x   ours/ceiling ${Math.round(vsCeiling * 100)}%   (medians of ${ROUNDS} rounds; totals ${round2(ours / peer)}x, ${Math.round((ours / ceiling) * 100)}%)`,
  );
  console.log(
    JSON.stringify({
      bench,
      unit: "req/s",
      ours,
      peer,
      ceiling,
      vs_peer: vsPeer,
      vs_ceiling: vsCeiling,
      vs_peer_totals: round2(ours / peer),
      vs_ceiling_totals: round2(ours / ceiling),
    }),
  );
}
