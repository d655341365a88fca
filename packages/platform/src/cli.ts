#!/usr/bin/env node
/**
 * `mpstack start | exec | export | --version` — see README.md. The startup banner is for the
 * operator's terminal and is the only place secrets are printed.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { accountKind } from "@mpstack/protocol";
import type { Account } from "./account.js";
import { createPlatform, type Platform, type PlatformOptions } from "./app.js";
import { ConfigError } from "./config/check.js";
import { loadConfigFile } from "./config-file.js";
import { checkSnapshot } from "./db/world.js";
import { formatGraph } from "./module-graph.js";
import { findConsoleDir } from "./modules/console-ui/files.js";
import { mchIdFor } from "./modules/pay/index.js";

const USAGE = `Usage:
  mpstack start  [--port 7700] [--host 127.0.0.1] [--data ./.mpstack] [--config FILE]
                 [--database-url URL] [--admin-key KEY] [--allowed-host NAME]...
                 [--import FILE] [--demo-bot-url URL] [--quiet | --verbose]
                 (--verbose also prints the module graph)
  mpstack exec   [same options; --port defaults to 0] -- CMD [ARGS...]
  mpstack export FILE [--data ./.mpstack] [--database-url URL]     (FILE "-" = stdout)
  mpstack --version

Without --admin-key the simulator API (/_mpstack) answers loopback callers under loopback host
names only; --allowed-host adds a name (e.g. one /etc/hosts points here).`;

/** Set by the CLI bundle's build (scripts/bundle-cli.mjs) to the platform package's version. */
declare const __MPSTACK_VERSION__: string | undefined;

/** The platform package's version: the bundle's, else package.json one folder above dist/ or src/. */
function version(): string {
  if (typeof __MPSTACK_VERSION__ === "string") return __MPSTACK_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  data: { type: "string" },
  config: { type: "string" },
  "database-url": { type: "string" },
  "admin-key": { type: "string" },
  "allowed-host": { type: "string", multiple: true },
  import: { type: "string" },
  "demo-bot-url": { type: "string" },
  quiet: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

type Values = ReturnType<typeof parse>["values"];

async function platformOptions(v: Values, defaultPort: number): Promise<PlatformOptions> {
  const port = v.port === undefined ? defaultPort : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: not a port number: ${v.port}`);
  const opts: PlatformOptions = {
    port,
    host: v.host ?? "127.0.0.1",
    dataDir: v.data ?? ".mpstack",
    logger: { level: "warn" },
  };
  if (v["database-url"]) opts.databaseUrl = v["database-url"];
  if (v["admin-key"]) opts.adminKey = v["admin-key"];
  if (v["allowed-host"]) opts.allowedHosts = v["allowed-host"];
  if (v["demo-bot-url"]) opts.demoBotUrl = v["demo-bot-url"];
  if (v.config) opts.config = await loadConfigFile(v.config);
  if (v.import) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(v.import, "utf8"));
    } catch (err) {
      throw new UsageError(`--import ${v.import}: ${(err as Error).message}`);
    }
    try {
      opts.importWorld = checkSnapshot(raw);
    } catch (err) {
      throw new UsageError(`--import ${v.import}: ${(err as Error).message}`);
    }
  }
  return opts;
}

function banner(p: Platform, accounts: Account[], adminKey: boolean): string {
  const lines = [
    `console: ${p.url}/  ${findConsoleDir() ? "(operator console and user simulator: open it in a browser)" : "(not built yet: run npm run build)"}`,
    `mpstack platform ready at ${p.url}`,
    `  WeChat API (api/mp/open hosts): ${p.url}/cgi-bin/…`,
    `  simulator API: ${p.url}/_mpstack  (OpenAPI: ${p.url}/_mpstack/openapi.json)${adminKey ? "  [admin key required]" : "  [loopback only]"}`,
    `  storage: ${p.storage}`,
    `  accounts:`,
  ];
  for (const a of accounts) {
    lines.push(
      `    ${a.seq}. ${a.name} [${accountKind(a)}${a.openPlatformId ? `, open platform ${a.openPlatformId}` : ""}]`,
    );
    lines.push(`       appid ${a.appid}  secret ${a.secret}`);
    lines.push(
      `       server token ${a.server.token}  EncodingAESKey ${a.server.encodingAESKey}  mode ${a.server.mode}`,
    );
    lines.push(`       server url ${a.server.url || "(none)"}`);
    // The merchant's keys are made on its first pay call (a key pair costs most of a second).
    if (a.grants.includes("pay"))
      lines.push(
        `       pay: mch_id ${mchIdFor(a.appid)}  (keys and certificates: ${p.url}/_mpstack/accounts/${a.appid}/merchant)`,
      );
  }
  return lines.join("\n");
}

/** The environment `mpstack exec` gives its command. */
export function execEnv(
  p: Platform,
  accounts: Account[],
  adminKey: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = { MPSTACK_URL: p.url };
  if (adminKey) env.MPSTACK_ADMIN_KEY = adminKey;
  accounts.forEach((a, i) => {
    const n = i + 1;
    env[`MPSTACK_APPID_${n}`] = a.appid;
    env[`MPSTACK_SECRET_${n}`] = a.secret;
    env[`MPSTACK_TOKEN_${n}`] = a.server.token;
    env[`MPSTACK_AES_KEY_${n}`] = a.server.encodingAESKey;
    env[`MPSTACK_ACCOUNT_KIND_${n}`] = accountKind(a);
  });
  return env;
}

async function start(argv: string[]): Promise<number> {
  const { values } = parse(argv);
  const p = await createPlatform(await platformOptions(values, 7700));
  await p.listen();
  const accounts = await p.accounts();
  if (!values.quiet) process.stdout.write(`${banner(p, accounts, Boolean(values["admin-key"]))}\n`);
  else process.stdout.write(`mpstack platform ready at ${p.url}\n`);
  if (values.verbose) {
    const graph = formatGraph(p.modules).replace(/^/gm, "    ");
    process.stdout.write(`  modules (setup order, ← what each requires):\n${graph}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await p.close();
  return 0;
}

async function exec(argv: string[]): Promise<number> {
  const dash = argv.indexOf("--");
  if (dash === -1 || dash === argv.length - 1) throw new UsageError("exec: give the command after --");
  const { values } = parse(argv.slice(0, dash));
  const [cmd, ...args] = argv.slice(dash + 1) as [string, ...string[]];
  const p = await createPlatform(await platformOptions(values, 0));
  await p.listen();
  const accounts = await p.accounts();
  process.stderr.write(`mpstack platform ready at ${p.url} (${accounts.length} accounts)\n`);
  const child = spawn(cmd, args, {
    stdio: "inherit",
    env: { ...process.env, ...execEnv(p, accounts, values["admin-key"]) },
  });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const code = await new Promise<number>((resolve) => {
    child.once("error", (err) => {
      process.stderr.write(`mpstack exec: cannot run ${cmd}: ${err.message}\n`);
      resolve(127);
    });
    child.once("exit", (c, signal) => resolve(c ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
  await p.close();
  return code;
}

function signalNumber(signal: NodeJS.Signals): number {
  return (
    ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1
  );
}

async function exportCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const file = positionals[0];
  if (!file) throw new UsageError("export: give the output FILE (or - for stdout)");
  const p = await createPlatform({
    dataDir: values.data ?? ".mpstack",
    seedDemo: false,
    ...(values["database-url"] ? { databaseUrl: values["database-url"] } : {}),
  });
  const snapshot = await p.exportWorld();
  await p.close();
  const text = `${JSON.stringify(snapshot, null, 1)}\n`;
  if (file === "-") process.stdout.write(text);
  else writeFileSync(file, text);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "start":
        return await start(rest);
      case "exec":
        return await exec(rest);
      case "export":
        return await exportCmd(rest);
      case "version":
      case "--version":
      case "-v":
        process.stdout.write(`mpstack ${version()}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`mpstack: config error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`mpstack: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`mpstack: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
