#!/usr/bin/env node
/**
 * `npm start`: the platform (`mpstack start`, its defaults: port 7700, data in ./.mpstack, the demo
 * world) and, beside it, the demo echo bot (examples/echo-bot) as the demo accounts' server URL.
 *
 *   npm start [-- [mpstack start options] [--bot-port 7701] [--no-bot]]
 *
 * The bot serves every account whose server URL is the bot's URL. Demo accounts of an older data
 * folder that have no server URL yet are pointed at the bot. Ctrl-C / SIGTERM stops both.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DEMO_APPID = /^wxd0{14}[1-4]$/;

const args = process.argv.slice(2);
let botPort = 7701;
let withBot = true;
const passOn = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--no-bot") withBot = false;
  else if (arg === "--bot-port") botPort = Number(args[++i]);
  else if (arg.startsWith("--bot-port=")) botPort = Number(arg.slice("--bot-port=".length));
  else passOn.push(arg);
}
if (!Number.isInteger(botPort) || botPort < 1 || botPort > 65535) {
  process.stderr.write("start: --bot-port must be a port number (1-65535)\n");
  process.exit(2);
}
const adminKeyAt = passOn.findIndex((a) => a === "--admin-key" || a.startsWith("--admin-key="));
const adminKey =
  adminKeyAt === -1
    ? undefined
    : passOn[adminKeyAt].includes("=")
      ? passOn[adminKeyAt].slice("--admin-key=".length)
      : passOn[adminKeyAt + 1];
const botServerUrl = `http://127.0.0.1:${botPort}/wechat`;

const cli = join(root, "packages/platform/dist/mpstack.mjs");
const platform = spawn(
  process.execPath,
  [cli, "start", ...(withBot ? ["--demo-bot-url", botServerUrl] : []), ...passOn],
  { stdio: ["inherit", "pipe", "inherit"] },
);

let bot;
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  await bot?.close().catch(() => {});
  if (platform.exitCode === null && platform.signalCode === null) platform.kill("SIGTERM");
  if (code !== undefined) process.exitCode = code;
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
platform.on("exit", (code, signal) => {
  void stop(code ?? (signal ? 1 : 0)).then(() => process.exit(process.exitCode ?? 0));
});

// Relay the platform's output; its ready line gives the URL (it may have picked the port).
let seen = "";
let ready = false;
platform.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (ready) return;
  seen += chunk.toString("utf8");
  const match = /mpstack platform ready at (\S+)/.exec(seen);
  if (!match) return;
  ready = true;
  seen = "";
  // Wait for the rest of the banner before printing the bot's lines.
  if (withBot) setTimeout(() => startBot(match[1]).catch(fail), 50);
});

function fail(error) {
  process.stderr.write(`start: demo bot: ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
}

async function simulator(platformUrl, path, init = {}) {
  const res = await fetch(`${platformUrl}/_mpstack${path}`, {
    ...init,
    headers: {
      "content-type": "application/json",
      ...(adminKey ? { "x-mpstack-admin-key": adminKey } : {}),
      ...init.headers,
    },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} /_mpstack${path}: HTTP ${res.status}`);
  return res.json();
}

async function startBot(platformUrl) {
  const { startEchoBot } = await import("@mpstack/echo-bot");
  const { accounts } = await simulator(platformUrl, "/accounts");
  const pointed = [];
  for (const a of accounts) {
    if (DEMO_APPID.test(a.appid) && a.server.url === "") {
      const updated = await simulator(platformUrl, `/accounts/${a.appid}?handshake=false`, {
        method: "PATCH",
        body: JSON.stringify({ server: { url: botServerUrl } }),
      });
      a.server = updated.server;
      pointed.push(a.appid);
    }
  }
  const served = accounts.filter((a) => a.server.url === botServerUrl);
  if (served.length === 0) {
    process.stdout.write(`demo bot not started: no account has ${botServerUrl} as its server URL\n`);
    return;
  }
  bot = await startEchoBot({
    port: botPort,
    host: "127.0.0.1",
    platformUrl,
    accounts: served.map((a) => ({
      appId: a.appid,
      appSecret: a.secret,
      token: a.server.token,
      encodingAESKey: a.server.encodingAESKey,
      originalId: a.originalId,
      name: a.name,
    })),
    onError: (error, stage) =>
      process.stderr.write(
        `[echo-bot] ${stage}: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
  });
  if (stopping) return void bot.close();
  const lines = [`demo bot (examples/echo-bot) at ${bot.serverUrl}, serving:`];
  if (pointed.length > 0) lines.unshift(`server URL of ${pointed.join(", ")} set to the demo bot (was none)`);
  for (const a of served) {
    const menu = bot.menus[a.appid];
    const note = menu?.created ? "menu created" : `no menu: errcode ${menu?.errcode ?? "?"}`;
    lines.push(`    ${a.appid} ${a.name} (${note})`);
  }
  lines.push(
    `  try: curl -X POST ${platformUrl}/_mpstack/users/alice/messages -H 'content-type: application/json' \\`,
    `         -d '{"appid":"${served.at(-1).appid}","type":"text","content":"hi"}'`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}
