/** The `mpstack` CLI as child processes: start, exec, export/import, config errors, kill -9. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlatform } from "../src/index.js";
import { tempDir } from "./helpers.js";

const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
// The CLI is bundled from the sources once (esbuild, ~0.3 s) so each child starts in a fraction of
// a second instead of transpiling on every start; packages stay external (node_modules).
const CLI = join(ROOT, "node_modules/.cache/mpstack-cli-test", `cli-${process.pid}.mjs`);
const PLATFORM_VERSION = (
  JSON.parse(readFileSync(join(ROOT, "packages/platform/package.json"), "utf8")) as { version: string }
).version;
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
    // As scripts/bundle-cli.mjs does (packaging.test.ts runs the real bin).
    define: { __MPSTACK_VERSION__: JSON.stringify(PLATFORM_VERSION) },
    logLevel: "error",
  });
});
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  rmSync(CLI, { force: true });
});

function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function cli(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once("exit", (code, signal) => res({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function ready(c: Cli): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const m = /ready at (http:\/\/[^\s]+)/.exec(c.stdout() + c.stderr());
    if (m) return m[1]!;
    if (c.child.exitCode !== null) throw new Error(`exited: ${c.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not ready: ${c.stdout()} ${c.stderr()}`);
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("mpstack CLI", () => {
  it("start --port 0 prints the URL and every account's credentials, stops on SIGTERM", async () => {
    const c = cli(["start", "--port", "0", "--data", dir()]);
    const url = await ready(c);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/_mpstack/health`);
    expect(((await health.json()) as { status: string }).status).toBe("ok");
    for (const text of [
      "wxd000000000000004",
      "d0000000000000000000000000000004",
      "mpstackdemo",
      "mpstackDemoEncodingAESKey000000000000000004",
    ]) {
      expect(c.stdout()).toContain(text);
    }
    // The demo verified service account has the pay grant: its merchant is in the banner, and the
    // merchant route the banner names answers that mch_id (keys made on that first call).
    const pay = /pay: mch_id (\d+) {2}\(keys and certificates: (\S+)\)/.exec(c.stdout());
    expect(pay?.[2]).toBe(`${url}/_mpstack/accounts/wxd000000000000004/merchant`);
    const merchant = (await (await fetch(pay?.[2] ?? "")).json()) as { mchId: string };
    expect(merchant.mchId).toBe(pay?.[1]);
    c.child.kill("SIGTERM");
    expect((await c.exited).code).toBe(0);
  });

  it("start --verbose prints the module graph in setup order", async () => {
    const c = cli(["start", "--port", "0", "--data", dir(), "--quiet", "--verbose"]);
    await ready(c);
    for (let i = 0; i < 100 && !c.stdout().includes("web-identity"); i++)
      await new Promise((r) => setTimeout(r, 20));
    const lines = c
      .stdout()
      .split("\n")
      .map((l) => l.trim());
    const at = (line: string) => lines.findIndex((l) => l === line || l.startsWith(`${line} ←`));
    expect(at("push ← accounts, simulated-users, conversations, followers")).toBeGreaterThan(at("followers"));
    expect(at("menu")).toBeGreaterThan(at("push"));
    expect(at("core")).toBeGreaterThan(-1);
    c.child.kill("SIGTERM");
    expect((await c.exited).code).toBe(0);
  });

  it("start --allowed-host: the simulator answers that host name too, no other; --version", async () => {
    const c = cli(["start", "--port", "0", "--data", dir(), "--quiet", "--allowed-host", "mpstack.test"]);
    const url = await ready(c);
    const { request } = await import("undici");
    const status = async (host: string) =>
      (await request(`${url}/_mpstack/health`, { headers: { host } })).statusCode;
    expect(await status("mpstack.test:7700")).toBe(200);
    expect(await status("localhost")).toBe(200);
    expect(await status("other.test")).toBe(403);
    c.child.kill("SIGTERM");
    expect((await c.exited).code).toBe(0);
    const v = cli(["--version"]);
    expect((await v.exited).code).toBe(0);
    expect(v.stdout()).toBe(`mpstack ${PLATFORM_VERSION}\n`);
  });

  it("refuses to start on a bad config, naming the field", async () => {
    const d = dir();
    const file = join(d, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({ accounts: [{ appid: "wx0000000000000001", secret: "nope", type: "service" }] }),
    );
    const c = cli(["start", "--port", "0", "--data", d, "--config", file]);
    const { code } = await c.exited;
    expect(code).toBe(2);
    expect(c.stderr()).toContain("accounts[0].secret: must be 32 hex characters");
    expect(c.stdout()).not.toContain("ready");
  });

  it("rejects unknown options and commands", async () => {
    expect((await cli(["start", "--colour"]).exited).code).toBe(2);
    expect((await cli(["launch"]).exited).code).toBe(2);
  });

  it("exec runs the command with MPSTACK_URL and credentials, and exits with its status", async () => {
    const d = dir();
    const file = join(d, "world.yaml");
    writeFileSync(
      file,
      [
        "accounts:",
        "  - { appid: wx00000000000000c1, secret: c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1, type: service, verified: true }",
        "  - { appid: wx00000000000000c2, secret: c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2, type: subscription }",
      ].join("\n"),
    );
    const script = `
      const u = process.env.MPSTACK_URL + "/cgi-bin/token?grant_type=client_credential&appid=" +
        process.env.MPSTACK_APPID_1 + "&secret=" + process.env.MPSTACK_SECRET_1;
      const t = await (await fetch(u)).json();
      const ok = t.expires_in === 7200 && process.env.MPSTACK_APPID_2 === "wx00000000000000c2" &&
        process.env.MPSTACK_ACCOUNT_KIND_2 === "US" && process.env.MPSTACK_TOKEN_1.length >= 3 &&
        process.env.MPSTACK_AES_KEY_1.length === 43;
      process.exit(ok ? 7 : 1);`;
    const c = cli([
      "exec",
      "--data",
      d,
      "--config",
      file,
      "--",
      process.execPath,
      "--input-type=module",
      "-e",
      script,
    ]);
    const { code } = await c.exited;
    expect(c.stderr()).toContain("ready at");
    expect(code).toBe(7);
  });

  it("exports a world and starts another data folder from it with --import", async () => {
    const src = dir();
    const p = await createPlatform({ dataDir: src, port: 0 });
    await p.listen();
    await post(`${p.url}/_mpstack/users`, { id: "exported-user", nickname: "E" });
    const openid = (
      (await (
        await post(`${p.url}/_mpstack/users/exported-user/follow`, { appid: "wxd000000000000002" })
      ).json()) as { openid: string }
    ).openid;
    await p.close();

    const file = join(dir(), "snapshot.json");
    const exp = cli(["export", file, "--data", src]);
    expect((await exp.exited).code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).format).toBe("mpstack-world");

    const c = cli(["start", "--port", "0", "--data", dir(), "--import", file, "--quiet"]);
    const url = await ready(c);
    const user = (await (await fetch(`${url}/_mpstack/users/exported-user`)).json()) as {
      follows: { openid: string }[];
    };
    expect(user.follows[0]!.openid).toBe(openid);
    c.child.kill("SIGTERM");
    await c.exited;
  });

  it("refuses a second process on a running platform's data folder, with one clear line", async () => {
    const d = dir();
    const running = cli(["start", "--port", "0", "--data", d, "--quiet"]);
    await ready(running);
    for (const args of [
      ["export", "-", "--data", d],
      ["start", "--port", "0", "--data", d],
    ]) {
      const second = cli(args);
      expect((await second.exited).code).toBe(1);
      expect(second.stderr()).toMatch(/^mpstack: data folder .* is in use by another mpstack process/);
      expect(second.stderr()).not.toMatch(/\n\s+at /);
    }
    running.child.kill("SIGTERM");
    expect((await running.exited).code).toBe(0);
  });

  it("keeps every acknowledged write after kill -9 mid-traffic", async () => {
    const d = dir();
    const c = cli(["start", "--port", "0", "--data", d, "--quiet"]);
    const url = await ready(c);
    const acct = (await (
      await post(`${url}/_mpstack/accounts`, { type: "service", verified: true })
    ).json()) as { appid: string; secret: string };
    const token = (
      (await (
        await fetch(
          `${url}/cgi-bin/token?grant_type=client_credential&appid=${acct.appid}&secret=${acct.secret}`,
        )
      ).json()) as { access_token: string }
    ).access_token;
    await post(`${url}/_mpstack/clock`, { advanceSeconds: 120 });
    const acked = new Map<string, string>();
    const said = new Set<string>();
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const id = `crash${i}`;
          const made = await post(`${url}/_mpstack/users`, { id });
          if (made.status !== 200) break;
          const f = await post(`${url}/_mpstack/users/${id}/follow`, { appid: acct.appid });
          if (f.status !== 200) break;
          acked.set(id, ((await f.json()) as { openid: string }).openid);
          // A conversation message (the account has no server: recorded, answered no_server).
          const m = await post(`${url}/_mpstack/users/${id}/messages`, {
            appid: acct.appid,
            type: "text",
            content: `hello from ${id}`,
          });
          if (m.status !== 200) break;
          said.add(id);
        } catch {
          break; // the server died under us
        }
      }
    })();
    while (acked.size < 40) await new Promise((r) => setTimeout(r, 5));
    c.child.kill("SIGKILL");
    stop = true;
    await writer;
    expect((await c.exited).signal).toBe("SIGKILL");

    const again = cli(["start", "--port", "0", "--data", d, "--quiet"]);
    const url2 = await ready(again);
    for (const [id, openid] of acked) {
      const u = (await (await fetch(`${url2}/_mpstack/users/${id}`)).json()) as {
        follows: { openid: string; subscribed: boolean }[];
      };
      expect(u.follows, id).toEqual([expect.objectContaining({ openid, subscribed: true })]);
    }
    expect(said.size).toBeGreaterThan(0);
    for (const id of said) {
      const conv = (await (
        await fetch(`${url2}/_mpstack/users/${id}/conversations/${acct.appid}`)
      ).json()) as {
        messages: { direction: string; payload: unknown }[];
      };
      expect(JSON.stringify(conv.messages), id).toContain(`hello from ${id}`);
    }
    const api = (await (await fetch(`${url2}/cgi-bin/getcallbackip?access_token=${token}`)).json()) as {
      ip_list?: string[];
    };
    expect(api.ip_list).toEqual(["127.0.0.1"]);
    const clock = (await (await fetch(`${url2}/_mpstack/clock`)).json()) as { offsetMs: number };
    expect(clock.offsetMs).toBe(120_000);
    again.child.kill("SIGTERM");
    await again.exited;
  });
});
