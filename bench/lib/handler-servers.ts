/**
 * Child process of the handler benchmarks: starts one server on 127.0.0.1 and prints its port.
 * argv: <ours|peer|ceiling> <plain|safe>
 */
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { buildReplyXml, MessageCrypto, sealReply } from "@mpstack/protocol";
import { createHandler, toNodeHttp } from "@mpstack/sdk";
import { ACCOUNT, type BenchMode, OPENID, REPLY_TEXT } from "./handler-fixtures.js";

const [kind, mode] = process.argv.slice(2) as ["ours" | "peer" | "ceiling", BenchMode];

type Listener = Parameters<typeof createServer>[1] & {};

function ours(): Listener {
  const handler = createHandler({
    token: ACCOUNT.token,
    appId: ACCOUNT.appId,
    encodingAESKey: ACCOUNT.encodingAESKey,
  });
  handler.on("text", () => REPLY_TEXT);
  return toNodeHttp(handler);
}

interface PeerResponse {
  reply(content: string): void;
}
type PeerMiddleware = Listener;
type Wechat = (config: object, handle: (req: unknown, res: PeerResponse) => void) => PeerMiddleware;

function peer(): Listener {
  const require = createRequire(import.meta.url);
  const express = require("express") as () => Listener & { use(path: string, mw: PeerMiddleware): void };
  const wechat = require("wechat") as Wechat;
  const app = express();
  const config =
    mode === "plain"
      ? { token: ACCOUNT.token, appid: ACCOUNT.appId }
      : { token: ACCOUNT.token, appid: ACCOUNT.appId, encodingAESKey: ACCOUNT.encodingAESKey };
  app.use(
    "/wx",
    wechat(config, (_req, res) => res.reply(REPLY_TEXT)),
  );
  return app;
}

/** The least a server can do: drain the body, answer a constant (already sealed) reply. */
function ceiling(): Listener {
  const now = Math.floor(Date.now() / 1000);
  const xml = buildReplyXml(
    { type: "text", content: REPLY_TEXT },
    { toUserName: OPENID, fromUserName: ACCOUNT.originalId, createTime: now },
  );
  const body = sealReply({
    xml,
    mode,
    token: ACCOUNT.token,
    crypto: new MessageCrypto(ACCOUNT.encodingAESKey, ACCOUNT.appId),
    timestamp: String(now),
    nonce: "1",
  });
  const headers = {
    "content-type": "application/xml; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  };
  return (req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      res.writeHead(200, headers);
      res.end(body);
    });
  };
}

const inner = kind === "ours" ? ours() : kind === "peer" ? peer() : ceiling();
// CPU time per request, for the parent: a measure that background load on the machine disturbs less.
let requests = 0;
let cpu = process.cpuUsage();
const listener: Listener = (req, res) => {
  requests++;
  inner(req, res);
};
process.on("message", (message) => {
  if (message === "reset") {
    requests = 0;
    cpu = process.cpuUsage();
  } else if (message === "stats") {
    const used = process.cpuUsage(cpu);
    process.send?.({ cpuMicrosPerRequest: (used.user + used.system) / Math.max(1, requests) });
  }
});
const server = createServer({ keepAliveTimeout: 60_000 }, listener);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
