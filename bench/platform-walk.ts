/**
 * platform-walk: seed 1 000 000 followers of one account (bulk inserts in large transactions),
 * then walk all of them with `GET /cgi-bin/user/get` and next_openid, 10 000 per page, the way an
 * SDK syncs a follower list. Prints both times (target: under 10 s each). The platform runs in a
 * child process (this file with `--serve`), the walker here.
 *
 * Seeded OpenIDs are numbered by default (see user-api/seed.ts: same shape, every index grows at
 * its end); `BENCH_WALK_OPENIDS=derived` seeds hashed OpenIDs as follows make them (slower to seed;
 * the walk is the same, it pages on follow time).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPlatform, validateConfig } from "@mpstack/platform";
import { seedFollowers } from "../packages/platform/src/modules/simulated-users/index.js";
import { spawnTsx, stopChild } from "./lib/child.js";

const FOLLOWERS = Number(process.env.BENCH_WALK_FOLLOWERS ?? 1_000_000);
const OPENIDS = process.env.BENCH_WALK_OPENIDS === "derived" ? "derived" : "sequential";
const APPID = "wx00000000000b0002";
const SECRET = "0123456789abcdef0123456789abcdef";

async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mpstack-bench-walk-"));
  const config = validateConfig({
    accounts: [{ appid: APPID, secret: SECRET, name: "walk", type: "service", verified: true }],
  });
  const platform = await createPlatform({ dataDir: dir, port: 0, host: "127.0.0.1", config });
  const [account] = await platform.accounts();
  if (!account) throw new Error("no account");
  const started = performance.now();
  await seedFollowers(platform, account, { count: FOLLOWERS, openids: OPENIDS });
  const seedMs = performance.now() - started;
  const url = await platform.listen();
  process.stdout.write(`${JSON.stringify({ url, seedMs })}\n`);
  process.on("SIGTERM", () => {
    void platform.close().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

async function startServer(): Promise<{ child: ChildProcess; url: string; seedMs: number }> {
  const { child, hello } = await spawnTsx<{ url: string; seedMs: number }>(
    fileURLToPath(import.meta.url),
    ["--serve"],
    { label: "platform" },
  );
  return { child, ...hello };
}

interface Page {
  total?: number;
  count?: number;
  data?: { openid: string[] };
  next_openid?: string;
  errcode?: number;
}

async function main(): Promise<void> {
  console.log(
    `platform-walk: ${FOLLOWERS} followers (${OPENIDS} OpenIDs), user/get pages of 10 000, loopback`,
  );
  const server = await startServer();
  try {
    console.log(`seed     ${(server.seedMs / 1000).toFixed(2)} s`);
    const token = (
      (await (
        await fetch(
          `${server.url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`,
        )
      ).json()) as { access_token: string }
    ).access_token;
    const started = performance.now();
    let next = "";
    let seen = 0;
    let pages = 0;
    let last = "";
    const distinct = new Set<string>();
    for (;;) {
      const res = await fetch(`${server.url}/cgi-bin/user/get?access_token=${token}&next_openid=${next}`);
      const page = (await res.json()) as Page;
      if (page.errcode) throw new Error(`user/get failed: ${JSON.stringify(page)}`);
      pages++;
      if (page.total !== FOLLOWERS) throw new Error(`total ${page.total}, expected ${FOLLOWERS}`);
      if (!page.count) break;
      const ids = page.data?.openid ?? [];
      if (ids.length !== page.count || page.next_openid !== ids.at(-1)) throw new Error("inconsistent page");
      for (const id of ids) distinct.add(id);
      seen += ids.length;
      last = ids.at(-1) ?? last;
      next = page.next_openid ?? "";
    }
    const walkMs = performance.now() - started;
    if (seen !== FOLLOWERS || distinct.size !== FOLLOWERS) {
      throw new Error(`walked ${seen} OpenIDs (${distinct.size} distinct), expected ${FOLLOWERS}`);
    }
    console.log(`walk     ${(walkMs / 1000).toFixed(2)} s  (${pages} calls, ${seen} OpenIDs, last ${last})`);
    console.log("target: under 10 s each");
    console.log(
      JSON.stringify({
        bench: "platform-walk",
        unit: "s",
        followers: FOLLOWERS,
        seed: Math.round(server.seedMs / 10) / 100,
        walk: Math.round(walkMs / 10) / 100,
        pages,
      }),
    );
  } finally {
    await stopChild(server.child);
  }
}

if (process.argv[2] === "--serve") await serve();
else await main();
