/** Test helpers: a platform on 127.0.0.1:0 with a fresh SQLite folder (or PostgreSQL schema). */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoSecrets } from "../../../scripts/vitest-secret-scan.js";
import { createPlatform, type Platform, type PlatformOptions } from "../src/index.js";

export const PG_URL = process.env.MPSTACK_TEST_DATABASE_URL;
export const PG_SKIP_REASON = "(skipped: MPSTACK_TEST_DATABASE_URL not set)";

/** The storage backends DB-dependent suites run against: SQLite always, PostgreSQL when configured. */
export const BACKENDS: { name: string; pg: boolean }[] = [
  { name: "sqlite", pg: false },
  { name: PG_URL ? "postgres" : `postgres ${PG_SKIP_REASON}`, pg: true },
];

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mpstack-test-"));
}

/** A PostgreSQL URL with a schema of its own, so concurrent runs never collide. */
export function pgUrlWithFreshSchema(): string {
  if (!PG_URL) throw new Error("MPSTACK_TEST_DATABASE_URL not set");
  const u = new URL(PG_URL);
  u.searchParams.set("schema", `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`);
  return u.toString();
}

export interface Running {
  platform: Platform;
  url: string;
  dir: string;
  close(): Promise<void>;
  /** GET/POST helpers returning parsed JSON and the status. */
  get(
    path: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  raw(path: string, init?: RequestInit): Promise<Response>;
}

export async function start(opts: PlatformOptions & { pg?: boolean } = {}): Promise<Running> {
  const dir = opts.dataDir ?? tempDir();
  const { pg, ...rest } = opts;
  const platform = await createPlatform({
    dataDir: dir,
    port: 0,
    // What `mpstack start` logs (warnings and errors, to stdout), so the run's secret scan sees it.
    logger: { level: "warn" },
    ...(pg ? { databaseUrl: pgUrlWithFreshSchema() } : {}),
    ...rest,
  });
  const url = await platform.listen();
  const raw = (path: string, init?: RequestInit) => fetch(url + path, init);
  const json = async (res: Response) => {
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      throw new Error(`not JSON (${res.status}): ${text.slice(0, 200)}`);
    }
  };
  return {
    platform,
    url,
    dir,
    raw,
    get: async (path, headers) => json(await raw(path, { headers })),
    post: async (path, body, headers) =>
      json(
        await raw(path, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
      ),
    async close() {
      try {
        await checkJournal(platform, opts.adminKey);
      } finally {
        await platform.close();
      }
      if (!opts.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** No secret of the demo world may be in the journal (checked when every test platform closes). */
async function checkJournal(platform: Platform, adminKey: string | undefined): Promise<void> {
  let rows: Record<string, unknown>[];
  try {
    // Listing the journal writes what is buffered first.
    await platform.app.inject({
      url: "/_mpstack/journal?limit=1",
      headers: adminKey ? { "x-mpstack-admin-key": adminKey } : {},
    });
    rows = await platform.db.selectFrom("journal").selectAll().execute();
  } catch {
    return; // a platform the test closed itself: nothing left to read
  }
  const secrets = demoSecrets();
  for (const row of rows) {
    const text = JSON.stringify(row);
    const leaked = secrets.find((s) => text.includes(s));
    if (leaked)
      throw new Error(`a demo secret (${leaked.slice(0, 3)}…) is in the journal: rid ${row.rid} ${row.path}`);
  }
}

/** Get a basic token for an account. */
export async function tokenFor(r: Running, appid: string, secret: string): Promise<string> {
  const res = await r.get(`/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`);
  const token = res.body.access_token;
  if (typeof token !== "string") throw new Error(`no token: ${JSON.stringify(res.body)}`);
  return token;
}

export const RID_SUFFIX = / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;
