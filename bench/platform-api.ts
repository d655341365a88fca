/**
 * platform-api: authenticated `GET /cgi-bin/user/info` per second against a world of 100 000
 * followers, vs a bare node:http server answering a constant JSON body of the same shape (the
 * ceiling). Each server runs in its own child process (this file with `--serve KIND`); the load
 * tool (autocannon) runs here and visits them in interleaved rounds (lib/rounds.ts), so background
 * noise hits all alike; the ratio is the median of the per-round ratios (totals printed too).
 * Every request asks for another follower (round robin over all 100 000).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPlatform, validateConfig } from "@mpstack/platform";
import { openidFor } from "../packages/platform/src/modules/simulated-users/ids.js";
import { seedFollowers } from "../packages/platform/src/modules/simulated-users/index.js";
import { askChild, notifyChild, spawnTsx, stopChild } from "./lib/child.js";
import { interleave, pairedRatio, round2 } from "./lib/rounds.js";

type Kind = "ours" | "ceiling";

const FOLLOWERS = 100_000;
const APPID = "wx00000000000b0001";
const SECRET = "0123456789abcdef0123456789abcdef";
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = 8;
const WARMUP_SECONDS = 1;

const CONFIG = validateConfig({
  openPlatforms: [{ id: "bench-op", name: "bench" }],
  accounts: [
    {
      appid: APPID,
      secret: SECRET,
      name: "bench",
      type: "service",
      verified: true,
      openPlatform: "bench-op",
    },
  ],
  // Quotas stay out of the measurement (5 000 000 a day would not be reached anyway).
  policies: { dailyQuotas: { "/cgi-bin/user/info": null } },
});

/** The ids seedFollowers gives its users (default prefix, 7-digit index). */
const userId = (i: number) => `seed${String(i).padStart(7, "0")}`;

/** The ceiling's body: what user/info answers for a follower, constant. */
const CONSTANT_BODY = JSON.stringify({
  subscribe: 1,
  openid: openidFor(APPID, userId(0)),
  language: "zh_CN",
  subscribe_time: 1717200000,
  unionid: "o7Bg90cziVH7hEhfeXX07YXDFDSC",
  remark: "",
  groupid: 0,
  tagid_list: [],
  subscribe_scene: "ADD_SCENE_OTHERS",
  qr_scene: 0,
  qr_scene_str: "",
});

async function serve(kind: Kind): Promise<void> {
  let port: number;
  let close: () => Promise<void>;
  if (kind === "ceiling") {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json; encoding=utf-8" });
      res.end(CONSTANT_BODY);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  } else {
    const dir = mkdtempSync(join(tmpdir(), "mpstack-bench-api-"));
    const platform = await createPlatform({ dataDir: dir, port: 0, host: "127.0.0.1", config: CONFIG });
    const [account] = await platform.accounts();
    if (!account) throw new Error("no account");
    const seeded = performance.now();
    await seedFollowers(platform, account, { count: FOLLOWERS });
    process.stderr.write(
      `ours: seeded ${FOLLOWERS} followers in ${Math.round(performance.now() - seeded)} ms\n`,
    );
    const url = await platform.listen();
    port = Number(new URL(url).port);
    close = async () => {
      await platform.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  let cpu = process.cpuUsage();
  process.on("message", (m) => {
    if (m === "reset") cpu = process.cpuUsage();
    else if (m === "cpu") {
      const used = process.cpuUsage(cpu);
      process.send?.({ cpuMs: (used.user + used.system) / 1000 });
    }
  });
  process.on("SIGTERM", () => {
    void close().then(() => process.exit(0));
  });
}

interface AutocannonResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: { setupRequest: (r: { path?: string }) => { path?: string } }[];
}) => Promise<AutocannonResult>;

async function startServer(kind: Kind): Promise<{ child: ChildProcess; port: number }> {
  const { child, hello } = await spawnTsx<{ port: number }>(
    fileURLToPath(import.meta.url),
    ["--serve", kind],
    {
      ipc: true,
      label: `${kind} server`,
    },
  );
  return { child, port: hello.port };
}

const cpuOf = async (child: ChildProcess) => (await askChild<{ cpuMs: number }>(child, "cpu")).cpuMs;

async function main(): Promise<void> {
  const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
  console.log(
    `platform-api: GET /cgi-bin/user/info over ${FOLLOWERS} followers; ${CONNECTIONS} connections, ${SECONDS} s each in ${ROUNDS} turns, loopback`,
  );
  const servers = await Promise.all((["ours", "ceiling"] as const).map(startServer));
  const [ours, ceiling] = servers as [
    { child: ChildProcess; port: number },
    { child: ChildProcess; port: number },
  ];
  try {
    const base = `http://127.0.0.1:${ours.port}`;
    const tokenRes = (await (
      await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`)
    ).json()) as { access_token?: string };
    const token = tokenRes.access_token;
    if (!token) throw new Error(`no token: ${JSON.stringify(tokenRes)}`);
    const paths = Array.from(
      { length: FOLLOWERS },
      (_, i) => `/cgi-bin/user/info?access_token=${token}&openid=${openidFor(APPID, userId(i))}&lang=zh_CN`,
    );
    // One real answer first: the follower's info, not an error.
    const sample = (await (await fetch(base + paths[123])).json()) as Record<string, unknown>;
    if (sample.subscribe !== 1 || sample.openid !== openidFor(APPID, userId(123)) || !sample.unionid) {
      throw new Error(`unexpected user/info answer ${JSON.stringify(sample)}`);
    }
    const ipPaths = paths.map((_, i) => `/cgi-bin/getcallbackip?access_token=${token}&n=${i}`);
    let next = 0;
    const load = (port: number, seconds: number, pool: string[]) =>
      autocannon({
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            setupRequest: (r) => {
              r.path = pool[next++ % FOLLOWERS];
              return r;
            },
          },
        ],
      });
    // "floor": the same platform answering getcallbackip (no storage): what the API pipeline
    // itself costs, to tell the pipeline's share from user/info's own.
    const runs = [
      { kind: "ours", port: ours.port, pool: paths },
      { kind: "floor", port: ours.port, pool: ipPaths },
      { kind: "ceiling", port: ceiling.port, pool: paths },
    ] as const;
    for (const run of runs) await load(run.port, WARMUP_SECONDS, run.pool);
    await notifyChild(ours.child, "reset");
    await notifyChild(ceiling.child, "reset");
    const slice = SECONDS / ROUNDS;
    const measured = await interleave(
      runs.map((r) => r.kind),
      ROUNDS,
      slice,
      async (kind) => {
        const run = runs.find((r) => r.kind === kind)!;
        const r = await load(run.port, slice, run.pool);
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${kind}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        return r.requests.total;
      },
    );
    const totals = measured.totals;
    // The answers stayed right under load (a 200 with an errcode would count as a request).
    const after = (await (await fetch(base + paths[FOLLOWERS - 1])).json()) as Record<string, unknown>;
    if (after.subscribe !== 1) throw new Error(`unexpected answer after load ${JSON.stringify(after)}`);
    const oursCpu = await cpuOf(ours.child);
    const ceilingCpu = await cpuOf(ceiling.child);
    const rate = {
      ours: Math.round(totals.ours / SECONDS),
      floor: Math.round(totals.floor / SECONDS),
      ceiling: Math.round(totals.ceiling / SECONDS),
    };
    for (const kind of ["ours", "floor", "ceiling"] as const) {
      console.log(`${kind.padEnd(8)} ${String(rate[kind]).padStart(7)} req/s  (${totals[kind]} requests)`);
    }
    const perRequest = (ms: number, n: number) => ((ms * 1000) / Math.max(1, n)).toFixed(1);
    console.log(
      `server CPU per request: platform ${perRequest(oursCpu, totals.ours + totals.floor)} µs (user/info and getcallbackip mixed), bare ${perRequest(ceilingCpu, totals.ceiling)} µs`,
    );
    const vsCeiling = round2(pairedRatio(measured, "ours", "ceiling"));
    const floorVsCeiling = round2(pairedRatio(measured, "floor", "ceiling"));
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    console.log(
      `user/info/ceiling ${pct(vsCeiling)} (median of ${ROUNDS} rounds; totals ${pct(rate.ours / rate.ceiling)}; target ≥ 40%); getcallbackip/ceiling ${pct(floorVsCeiling)}`,
    );
    console.log(
      JSON.stringify({
        bench: "platform-api",
        unit: "req/s",
        ours: rate.ours,
        ceiling: rate.ceiling,
        vs_ceiling: vsCeiling,
        vs_ceiling_totals: round2(rate.ours / rate.ceiling),
        floor: rate.floor,
        floor_vs_ceiling: floorVsCeiling,
      }),
    );
  } finally {
    await Promise.all(servers.map((s) => stopChild(s.child)));
  }
}

if (process.argv[2] === "--serve") await serve(process.argv[3] as Kind);
else await main();
