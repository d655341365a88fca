/**
 * mass-1m: one mass send (`message/mass/sendall`, text, to all) to 1 000 000 followers on SQLite:
 * the time from the call to the last conversation row written and MASSSENDJOBFINISH received by
 * the developer's server, and the platform's peak RSS. The followers are seeded first by the bulk
 * seeder in a separate process (`--seed`); the measured platform is a fresh `mpstack start` on that
 * data folder (the CLI bundled from the sources, as users run it), so its peak RSS is the send's plus
 * start-up. The floor, in the same run: the
 * time SQLite takes to insert the same 1 000 000 conversation rows (same table, same index, same
 * pragmas) in one bare prepared-statement transaction.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPlatform, validateConfig } from "@mpstack/platform";
import Database from "better-sqlite3";
import { build } from "esbuild";
import { Kysely, SqliteDialect } from "kysely";
import { newMessageId } from "../packages/platform/src/modules/conversations/index.js";
import { conversationMigrations } from "../packages/platform/src/modules/conversations/migrations.js";
import { seedFollowers } from "../packages/platform/src/modules/simulated-users/index.js";
import { spawnTsx, stopChild } from "./lib/child.js";

const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 1_000_000);
const APPID = "wx00000000000c0001";
const SECRET = "0123456789abcdef0123456789abcdef";
const TEXT = "Service will be down for maintenance tonight 23:00-24:00.";

const configOf = (serverUrl: string) => ({
  accounts: [
    {
      appid: APPID,
      secret: SECRET,
      name: "bench",
      type: "subscription",
      verified: true,
      server: { url: serverUrl, token: "benchtoken", mode: "plain" },
    },
  ],
});
const config = (serverUrl: string) => validateConfig(configOf(serverUrl));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The CLI bundled from the current sources (as scripts/bundle-cli.mjs does from the build), inside
 * the repository so that its packages resolve from node_modules.
 */
async function bundleCli(): Promise<string> {
  const outfile = join(ROOT, "node_modules/.cache/mpstack-bench", `mass-1m-${process.pid}.mjs`);
  await build({
    entryPoints: [join(ROOT, "packages/platform/src/cli.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    alias: { "@mpstack/protocol": join(ROOT, "packages/protocol/src/index.ts") },
    logLevel: "error",
  });
  return outfile;
}

/** `mpstack start` on `dir`; resolves with the child and its URL once it is ready. */
async function startCli(
  cli: string,
  dir: string,
  configFile: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [cli, "start", "--port", "0", "--data", dir, "--config", configFile],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`mpstack start exited (${code}): ${out}`)));
  });
}

/** Child: seed the followers into `dir`, then exit. */
async function seed(dir: string, serverUrl: string): Promise<void> {
  const platform = await createPlatform({ dataDir: dir, port: 0, config: config(serverUrl) });
  const [account] = await platform.accounts();
  if (!account) throw new Error("no account");
  const started = performance.now();
  await seedFollowers(platform, account, { count: FOLLOWERS, openids: "sequential" });
  process.stderr.write(`seeded ${FOLLOWERS} followers in ${Math.round(performance.now() - started)} ms\n`);
  await platform.close();
  process.stdout.write(`${JSON.stringify({ seeded: FOLLOWERS })}\n`);
}

/** The bare insert: the same rows into the same table and index, one prepared statement, one transaction. */
async function floor(dir: string): Promise<number> {
  const database = new Database(join(dir, "floor.db"));
  database.pragma("locking_mode = exclusive");
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  const db = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database }) });
  for (const m of conversationMigrations) await m.up(db, "sqlite");
  const insert = database.prepare(
    "insert into messages (id, appid, user_id, openid, direction, kind, msg_type, payload, msg_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const payload = JSON.stringify({ msg_id: "1000000001", content: TEXT });
  const now = Date.now();
  const prefix = "oC0001";
  const started = performance.now();
  database.transaction(() => {
    for (let i = 0; i < FOLLOWERS; i++) {
      const user = `seed${String(i).padStart(7, "0")}`;
      const openid = prefix + i.toString(36).padStart(22, "0");
      insert.run(newMessageId(now), APPID, user, openid, "out", "mass", "text", payload, "1000000001", now);
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  database.close();
  return seconds;
}

function statusMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function main(): Promise<void> {
  console.log(
    `mass-1m: sendall (text, to all) to ${FOLLOWERS} followers on SQLite, until MASSSENDJOBFINISH arrives`,
  );
  const dir = mkdtempSync(join(tmpdir(), "mpstack-bench-mass-"));
  let finished: (xml: string) => void = () => {};
  const finish = new Promise<string>((resolve) => {
    finished = resolve;
  });
  const dev = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      res.end("success");
      if (body.includes("MASSSENDJOBFINISH")) finished(body);
    });
  });
  await new Promise<void>((resolve) => dev.listen(0, "127.0.0.1", resolve));
  const devUrl = `http://127.0.0.1:${(dev.address() as { port: number }).port}/wx`;
  const self = fileURLToPath(import.meta.url);
  let server: ChildProcess | undefined;
  let cli = "";
  try {
    cli = await bundleCli();
    const configFile = join(dir, "config.json");
    writeFileSync(configFile, JSON.stringify(configOf(devUrl)));
    const data = join(dir, "data");
    const seeding = await spawnTsx<{ seeded: number }>(self, ["--seed", data, devUrl], { label: "seeder" });
    await new Promise((resolve) => seeding.child.once("exit", resolve));
    const started = await startCli(cli, data, configFile);
    server = started.child;
    const { url } = started;
    const pid = server.pid ?? 0;
    console.log(`platform started: RSS ${statusMb(pid, "VmRSS")} MB`);
    const token = (
      (await (
        await fetch(`${url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`)
      ).json()) as { access_token: string }
    ).access_token;
    const t0 = performance.now();
    const answer = (await (
      await fetch(`${url}/cgi-bin/message/mass/sendall?access_token=${token}`, {
        method: "POST",
        body: JSON.stringify({ filter: { is_to_all: true }, msgtype: "text", text: { content: TEXT } }),
      })
    ).json()) as { errcode: number; msg_id?: number };
    if (answer.errcode !== 0) throw new Error(`sendall answered ${JSON.stringify(answer)}`);
    const xml = await finish;
    const ours = (performance.now() - t0) / 1000;
    const sent = Number(/<SentCount>(\d+)<\/SentCount>/.exec(xml)?.[1]);
    const rss = statusMb(pid, "VmHWM");
    console.log(
      `platform memory now: RSS ${statusMb(pid, "VmRSS")} MB = anonymous ${statusMb(pid, "RssAnon")} + file-backed (SQLite's mmap of the database) ${statusMb(pid, "RssFile")}`,
    );
    // The job's counters commit with the rows they count.
    const job = (await (
      await fetch(`${url}/_mpstack/accounts/${APPID}/mass-jobs/${answer.msg_id}`)
    ).json()) as { sentCount: number };
    const rows = job.sentCount;
    if (sent !== FOLLOWERS || rows !== FOLLOWERS)
      throw new Error(`SentCount ${sent}, ${rows} rows: expected ${FOLLOWERS}`);
    await stopChild(server);
    const bare = await floor(dir);
    const round = (x: number) => Math.round(x * 100) / 100;
    console.log(
      `ours  ${ours.toFixed(2)} s  (sendall → ${rows} conversation rows → MASSSENDJOBFINISH), peak RSS ${rss} MB`,
    );
    console.log(`floor ${bare.toFixed(2)} s  (the same rows, one prepared statement, one transaction)`);
    console.log(`ratio ${(ours / bare).toFixed(2)}× (targets: < 10 s, < 512 MB, ≤ 3× the floor)`);
    console.log(
      JSON.stringify({
        bench: "mass-1m",
        unit: "s",
        ours: round(ours),
        floor: round(bare),
        vs_floor: round(ours / bare),
        peak_rss_mb: rss,
      }),
    );
  } finally {
    if (server) await stopChild(server);
    dev.close();
    rmSync(dir, { recursive: true, force: true });
    if (cli) rmSync(cli, { force: true });
  }
}

const [mode, dir, devUrl] = process.argv.slice(2);
if (mode === "--seed" && dir && devUrl) await seed(dir, devUrl);
else await main();
