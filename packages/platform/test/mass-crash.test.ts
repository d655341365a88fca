/**
 * A mass job survives kill -9 (spec/mass-send.md §12; issue: "exactly once per follower, the finish
 * event pushed once"): the `mpstack` CLI is killed in the middle of a delivery, started again on the
 * same world, and finishes the job — every follower has the message once; then killed again while
 * MASSSENDJOBFINISH is in flight, and the one push resumes (sent again, as WeChat retries) instead
 * of a second one being made. SQLite and PostgreSQL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, pgUrlWithFreshSchema, tempDir } from "./helpers.js";
import { type DevServer, startDevServer } from "./push-servers.js";

const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const CLI = join(ROOT, "node_modules/.cache/mpstack-cli-test", `mass-crash-${process.pid}.mjs`);
const APPID = "wx00000000000d0001";
const SECRET = "0123456789abcdef0123456789abcdef";
const USERS = Array.from({ length: 40 }, (_, i) => `crash${String(i).padStart(3, "0")}`);

const dirs: string[] = [];
const children: ChildProcess[] = [];
beforeAll(async () => {
  await build({
    entryPoints: [join(ROOT, "packages/platform/src/cli.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: CLI,
    packages: "external",
    alias: { "@mpstack/protocol": join(ROOT, "packages/protocol/src/index.ts") },
    logLevel: "error",
  });
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  rmSync(CLI, { force: true });
});

async function startCli(
  args: string[],
): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [CLI, "start", "--port", "0", "--quiet", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise((res) => child.once("exit", res));
  for (let i = 0; i < 400; i++) {
    const m = /ready at (http:\/\/\S+)/.exec(out);
    if (m?.[1]) return { child, url: m[1], exited };
    if (child.exitCode !== null) throw new Error(`exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not ready: ${out}`);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const getJson = async (url: string) => (await fetch(url)).json() as Promise<Record<string, unknown>>;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !process.env.MPSTACK_TEST_DATABASE_URL)(
    `mass job across kill -9 (${backend.name})`,
    () => {
      let dev: DevServer;
      let hangFinish = true;
      afterAll(() => dev?.close());

      it("delivers exactly once per follower and pushes MASSSENDJOBFINISH once", async () => {
        dev = await startDevServer(({ body }) =>
          body.includes("MASSSENDJOBFINISH") && hangFinish ? { hang: true } : { body: "success" },
        );
        const dir = tempDir();
        dirs.push(dir);
        const config = join(dir, "world.json");
        writeFileSync(
          config,
          JSON.stringify({
            accounts: [
              {
                appid: APPID,
                secret: SECRET,
                type: "subscription",
                verified: true,
                server: { url: dev.url, mode: "plain" },
              },
            ],
            users: USERS.map((id) => ({ id })),
            follows: USERS.map((user) => ({ user, account: APPID })),
          }),
        );
        const args = [
          "--data",
          join(dir, "data"),
          "--config",
          config,
          ...(backend.pg ? ["--database-url", pgUrlWithFreshSchema()] : []),
        ];
        let p = await startCli(args);
        const put = await fetch(`${p.url}/_mpstack/mass-policy`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ chunkSize: 2, chunkPauseMs: 50 }),
        });
        expect(put.status).toBe(200);
        const { access_token } = (await getJson(
          `${p.url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`,
        )) as { access_token: string };
        const sent = (await (
          await fetch(`${p.url}/cgi-bin/message/mass/sendall?access_token=${access_token}`, {
            method: "POST",
            body: JSON.stringify({
              filter: { is_to_all: true },
              msgtype: "text",
              text: { content: "survives" },
            }),
          })
        ).json()) as { errcode: number; msg_id: number };
        expect(sent.errcode).toBe(0);
        const jobUrl = (base: string) => `${base}/_mpstack/accounts/${APPID}/mass-jobs/${sent.msg_id}`;

        // kill -9 in the middle of the delivery.
        const before = await until("a third delivered", async () => {
          const j = await getJson(jobUrl(p.url));
          return (j.sentCount as number) >= 12 ? j : undefined;
        });
        p.child.kill("SIGKILL");
        await p.exited;
        expect(before.status).toBe("SENDING");

        // Start again: the job finishes; its finish push hangs at the developer's server; kill -9 again.
        p = await startCli(args);
        await until("the finish push in flight", async () =>
          dev.posts().some((x) => x.body.includes("MASSSENDJOBFINISH")) ? true : undefined,
        );
        const done = await getJson(jobUrl(p.url));
        expect(done).toMatchObject({
          status: "SEND_SUCCESS",
          totalCount: USERS.length,
          sentCount: USERS.length,
        });
        p.child.kill("SIGKILL");
        await p.exited;

        // Start once more: the same push resumes and is answered.
        hangFinish = false;
        p = await startCli(args);
        await until("the finish push answered", async () =>
          dev.posts().filter((x) => x.body.includes("MASSSENDJOBFINISH")).length >= 2 ? true : undefined,
        );
        const finishes = dev.posts().filter((x) => x.body.includes("MASSSENDJOBFINISH"));
        expect(new Set(finishes.map((x) => x.body)).size).toBe(1); // one push, delivered twice
        expect(finishes[0]?.body).toContain(`<SentCount>${USERS.length}</SentCount>`);
        const pushes = (await getJson(`${p.url}/_mpstack/pushes?appid=${APPID}&user=_mphelper`)).pushes as {
          event: string;
        }[];
        expect(pushes.filter((x) => x.event === "MASSSENDJOBFINISH")).toHaveLength(1);
        const counts = await Promise.all(
          USERS.map(async (u) => {
            const got = (await getJson(`${p.url}/_mpstack/users/${u}/received/${APPID}?kind=mass`))
              .messages as unknown[];
            return got.length;
          }),
        );
        expect(counts.filter((n) => n !== 1)).toEqual([]);
        p.child.kill("SIGTERM");
        await p.exited;
      });
    },
  );
}
