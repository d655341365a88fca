/**
 * The echo bot: a small official account built with @mpstack/sdk (echo, a menu, a news reply, QR
 * greetings). `npm start` runs it beside the platform as the demo accounts' server; alone:
 *
 *   node examples/echo-bot/dist/index.js [--port 7701] [--host 127.0.0.1] [--platform http://127.0.0.1:7700]
 *
 * Accounts come from the environment (see config.ts); `MPSTACK_URL` is the default platform.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startEchoBot } from "./bot.js";
import { accountsFromEnv, withOriginalIds } from "./config.js";

export { type EchoBot, type EchoBotAccount, type EchoBotOptions, startEchoBot } from "./bot.js";
export { accountsFromEnv, DEMO_ACCOUNTS, withOriginalIds } from "./config.js";
export { DEMO_MENU, installMenu, MENU_KEYS, type MenuOutcome } from "./menu.js";
export { demoArticle, HELP, type RouteOptions, registerRoutes } from "./routes.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: "string" }, host: { type: "string" }, platform: { type: "string" } },
  });
  const platformUrl = (values.platform ?? process.env.MPSTACK_URL)?.replace(/\/+$/, "");
  const port = Number(values.port ?? process.env.PORT ?? 7701);
  const accounts = await withOriginalIds(accountsFromEnv(process.env), platformUrl);
  const bot = await startEchoBot({
    port,
    host: values.host ?? "127.0.0.1",
    accounts,
    ...(platformUrl ? { platformUrl } : {}),
  });
  process.stdout.write(`echo bot at ${bot.serverUrl} (or ${bot.url}/wechat/<appid>)\n`);
  for (const a of accounts) {
    const menu = bot.menus[a.appId];
    const note = !menu
      ? ""
      : menu.created
        ? ", menu created"
        : `, no menu (${menu.errcode !== null ? `errcode ${menu.errcode}` : menu.reason})`;
    process.stdout.write(`  ${a.appId}${a.originalId ? ` ${a.originalId}` : ""}${note}\n`);
  }
  const stop = () => {
    bot.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`echo-bot: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
