/**
 * The web demo (OAuth and JS-SDK pages of an Official Account, with @mpstack/sdk and Express).
 * Beside a running platform:
 *
 *   node examples/web-demo/dist/index.js [--port 7702] [--platform http://127.0.0.1:7700]
 *
 * then open a browse link for a simulated user with `next` = http://127.0.0.1:7702/ (or just open
 * the page: the platform asks which user is browsing). The account is `WEB_DEMO_APPID` /
 * `WEB_DEMO_SECRET`, else `MPSTACK_APPID_N`'s verified service account, else the demo world's
 * verified service account.
 */

import { realpathSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createWebDemo, type WebDemoOptions } from "./app.js";

export { createWebDemo, type WebDemoOptions } from "./app.js";
export { JS_API_LIST } from "./pages.js";

export interface WebDemo {
  url: string;
  close(): Promise<void>;
}

export async function startWebDemo(
  options: WebDemoOptions & { port?: number; host?: string },
): Promise<WebDemo> {
  const app = createWebDemo(options);
  const host = options.host ?? "127.0.0.1";
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 7702, host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The account from the environment (see the header). */
export function accountFromEnv(env: NodeJS.ProcessEnv): { appId: string; appSecret: string } {
  if (env.WEB_DEMO_APPID && env.WEB_DEMO_SECRET)
    return { appId: env.WEB_DEMO_APPID, appSecret: env.WEB_DEMO_SECRET };
  for (let n = 1; env[`MPSTACK_APPID_${n}`]; n++) {
    if (env[`MPSTACK_ACCOUNT_KIND_${n}`] === "VV")
      return { appId: String(env[`MPSTACK_APPID_${n}`]), appSecret: String(env[`MPSTACK_SECRET_${n}`]) };
  }
  return { appId: "wxd000000000000004", appSecret: "d0000000000000000000000000000004" };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string" }, platform: { type: "string" } } });
  const platformUrl = values.platform ?? process.env.MPSTACK_URL ?? "http://127.0.0.1:7700";
  const demo = await startWebDemo({
    ...accountFromEnv(process.env),
    platformUrl,
    port: Number(values.port ?? process.env.PORT ?? 7702),
  });
  process.stdout.write(`web demo at ${demo.url} (platform ${platformUrl})\n`);
}

const invoked =
  process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invoked) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
