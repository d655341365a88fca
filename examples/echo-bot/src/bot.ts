/**
 * startEchoBot: one node:http server serving several official accounts with the SDK's handler.
 * A push reaches an account by its path (`/wechat/<appid>`) or, on the shared path `/wechat`, by the
 * push's ToUserName (the account's original id) — the demo accounts share one server URL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseXml, readFlatXml, verifySignature } from "@mpstack/protocol";
import {
  createClient,
  createHandler,
  customerMessageSender,
  type MessageHandler,
  toNodeHttp,
  type WechatClient,
} from "@mpstack/sdk";
import { installMenu, type MenuOutcome } from "./menu.js";
import { registerRoutes } from "./routes.js";

export interface EchoBotAccount {
  appId: string;
  appSecret: string;
  /** The server Token (signatures). */
  token: string;
  /** Needed for compatible and safe mode. */
  encodingAESKey?: string;
  /** The original id (`gh_…`, the pushes' ToUserName): needed to share the path `/wechat`. */
  originalId?: string;
  /** Shown in greetings. */
  name?: string;
}

export interface EchoBotOptions {
  /** Default 7701; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  accounts: readonly EchoBotAccount[];
  /** The platform (or WeChat) API base URL; without it no menu is created and late replies are dropped. */
  platformUrl?: string;
  /** Create the demo menu on every account at startup (default true when platformUrl is set). */
  createMenus?: boolean;
  /** The handler's time budget (default: the SDK's 4500 ms). */
  budgetMs?: number;
  /** How long the "slow" keyword takes (default 6000 ms, beyond the default budget). */
  slowReplyMs?: number;
  /** Where errors go (default: console.error with the stage, never secrets). */
  onError?: (error: unknown, stage: string) => void;
}

export interface EchoBot {
  /** `http://host:port` */
  readonly url: string;
  /** The URL to configure as the accounts' server URL (shared path). */
  readonly serverUrl: string;
  /** Per-account URL: `<url>/wechat/<appid>`. */
  urlOf(appId: string): string;
  /** The result of the startup menu creation, by appid (empty when no menu was created). */
  readonly menus: Readonly<Record<string, MenuOutcome>>;
  close(): Promise<void>;
}

interface Served {
  account: EchoBotAccount;
  handler: MessageHandler;
  serve: (req: IncomingMessage, res: ServerResponse) => void;
  client: WechatClient | undefined;
}

const PATH = "/wechat";
const MAX_BODY = 1024 * 1024;

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Reads the whole body (for routing by ToUserName), refusing more than MAX_BODY bytes. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

/** The push's ToUserName: plain pushes and the encrypted envelope both carry it in the clear. */
function toUserName(body: Buffer): string | undefined {
  try {
    const xml = body.toString("utf8");
    const value = (readFlatXml(xml) ?? parseXml(xml)).ToUserName;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function startEchoBot(options: EchoBotOptions): Promise<EchoBot> {
  if (options.accounts.length === 0) throw new TypeError("startEchoBot: give at least one account");
  const report =
    options.onError ??
    ((error: unknown, stage: string) =>
      console.error(`[echo-bot] ${stage}:`, error instanceof Error ? error.message : error));

  const byAppId = new Map<string, Served>();
  const byOriginalId = new Map<string, Served>();
  for (const account of options.accounts) {
    const client = options.platformUrl
      ? createClient({ appId: account.appId, appSecret: account.appSecret, baseUrl: options.platformUrl })
      : undefined;
    const handler = createHandler({
      appId: account.appId,
      token: account.token,
      ...(account.encodingAESKey ? { encodingAESKey: account.encodingAESKey } : {}),
      ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
      ...(client ? { fallback: customerMessageSender(client) } : {}),
      onError: (error, info) => report(error, `${account.appId} ${info.stage}`),
    });
    registerRoutes(handler, {
      name: account.name ?? "the echo bot",
      slowReplyMs: options.slowReplyMs ?? 6000,
    });
    const served: Served = { account, handler, serve: toNodeHttp(handler), client };
    byAppId.set(account.appId, served);
    if (account.originalId) byOriginalId.set(account.originalId, served);
  }
  const only = options.accounts.length === 1 ? byAppId.get(options.accounts[0]!.appId) : undefined;

  const handshakeAccount = (url: string): Served => {
    const q = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
    const [timestamp, nonce, signature] = [
      q.get("timestamp") ?? "",
      q.get("nonce") ?? "",
      q.get("signature") ?? "",
    ];
    for (const served of byAppId.values()) {
      if (verifySignature(served.account.token, timestamp, nonce, signature)) return served;
    }
    return byAppId.values().next().value!; // refuses it, as it should
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?", 1)[0]!.replace(/\/+$/, "");
    if (path.startsWith(`${PATH}/`)) {
      const served = byAppId.get(decodeURIComponent(path.slice(PATH.length + 1)));
      if (served) return served.serve(req, res);
      return text(res, 404, "unknown account");
    }
    if (path !== PATH) return text(res, 404, "not found");
    if (only) return only.serve(req, res);
    // The shared path: the GET handshake carries no account, only a signature made with its Token.
    if (req.method !== "POST") return handshakeAccount(req.url ?? "").serve(req, res);
    const body = await readBody(req);
    if (body === undefined) return text(res, 413, "body too large");
    const to = toUserName(body);
    const served = to === undefined ? undefined : byOriginalId.get(to);
    if (!served) return text(res, 404, "unknown ToUserName");
    // The adapter takes a body already read from `rawBody`.
    Object.assign(req, { rawBody: body });
    served.serve(req, res);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      report(error, "request");
      if (!res.headersSent) text(res, 500, "internal error");
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 7701, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const menus: Record<string, MenuOutcome> = {};
  if (options.createMenus ?? options.platformUrl !== undefined) {
    await Promise.all(
      [...byAppId.values()].map(async ({ account, client }) => {
        if (client) menus[account.appId] = await installMenu(client);
      }),
    );
  }

  return {
    url,
    serverUrl: `${url}${PATH}`,
    urlOf: (appId) => `${url}${PATH}/${encodeURIComponent(appId)}`,
    menus,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
