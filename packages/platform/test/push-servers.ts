/**
 * Developer servers for the push tests: a programmable node:http server (every request captured),
 * a replier built with nothing but node:http and @mpstack/protocol, and the node-webot `wechat`
 * middleware on Express (a real third-party peer).
 */
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import {
  buildReplyXml,
  type InboundMessage,
  MessageCrypto,
  openInbound,
  parseInbound,
  type Reply,
  sealReply,
  verifyUrl,
} from "@mpstack/protocol";

export interface Incoming {
  method: string;
  query: Record<string, string>;
  body: string;
  /** 1-based count of requests of this method so far. */
  n: number;
}

export interface Outgoing {
  status?: number;
  body?: string;
  /** Answer after this long. */
  delayMs?: number;
  /** Never answer (the platform must drop the connection). */
  hang?: boolean;
}

export type Handler = (x: Incoming) => Outgoing | Promise<Outgoing>;

export interface DevServer {
  url: string;
  requests: Incoming[];
  posts(): Incoming[];
  /** Replace the behaviour. */
  handle: Handler;
  close(): Promise<void>;
}

export async function startDevServer(handle: Handler, path = "/wx"): Promise<DevServer> {
  const requests: Incoming[] = [];
  const counts = new Map<string, number>();
  const pending = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const u = new URL(req.url ?? "/", "http://x");
      const method = req.method ?? "GET";
      const n = (counts.get(method) ?? 0) + 1;
      counts.set(method, n);
      const incoming: Incoming = {
        method,
        query: Object.fromEntries(u.searchParams),
        body: Buffer.concat(chunks).toString("utf8"),
        n,
      };
      requests.push(incoming);
      let out: Outgoing;
      try {
        out = await dev.handle(incoming);
      } catch (err) {
        out = { status: 500, body: String(err) };
      }
      if (out.hang) return;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(out.status ?? 200, { "content-type": "text/plain; charset=utf-8" });
        res.end(out.body ?? "");
      };
      if (out.delayMs) {
        const t = setTimeout(() => {
          pending.delete(t);
          send();
        }, out.delayMs);
        pending.add(t);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const dev: DevServer = {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    posts: () => requests.filter((r) => r.method === "POST"),
    handle,
    async close() {
      for (const t of pending) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return dev;
}

export interface DevAccount {
  appid: string;
  token: string;
  encodingAESKey: string;
}

export type ReplyChoice = Reply | "success" | "" | { raw: string };

/**
 * A developer server made of node:http and @mpstack/protocol only: verifies the handshake and every
 * push (signature, msg_signature, decryption), parses the message, answers `reply(message)` sealed
 * for the push's mode. Parsed messages are collected in `messages`.
 */
export function protocolReplier(
  account: DevAccount,
  reply: (m: InboundMessage) => ReplyChoice,
  messages: InboundMessage[] = [],
): Handler {
  const crypto = new MessageCrypto(account.encodingAESKey, account.appid);
  return ({ method, query, body }) => {
    if (method === "GET") {
      try {
        return { body: verifyUrl({ query, token: account.token }) };
      } catch {
        return { status: 401, body: "invalid signature" };
      }
    }
    let opened: ReturnType<typeof openInbound>;
    try {
      opened = openInbound({ query, body, token: account.token, crypto });
    } catch (err) {
      return { status: 401, body: String(err) };
    }
    const message = parseInbound(opened.xml);
    messages.push(message);
    const choice = reply(message);
    if (typeof choice === "string") return { body: choice };
    if ("raw" in choice) return { body: choice.raw };
    const xml = buildReplyXml(
      choice,
      { toUserName: message.FromUserName, fromUserName: message.ToUserName, createTime: message.CreateTime },
      { maxArticles: 10 },
    );
    const sealed = sealReply({
      xml,
      mode: opened.encrypted ? "safe" : "plain",
      token: account.token,
      crypto,
      timestamp: query.timestamp ?? "0",
      nonce: query.nonce ?? "0",
    });
    return { body: sealed };
  };
}

/** Echoes any handshake without checking the signature (EasyWeChat 6's behaviour, callback.md §2). */
export const careless: Handler = ({ method, query }) =>
  method === "GET" ? { body: query.echostr ?? "" } : { body: "success" };

type Middleware = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (err?: unknown) => void,
) => void;
interface WechatMessage {
  MsgType: string;
  Content?: string;
  Event?: string;
  EventKey?: string;
  [k: string]: unknown;
}
interface WechatRes {
  reply(content: unknown): void;
  transfer2CustomerService(kf?: string): void;
}
type WechatFn = (
  config: { token: string; appid: string; encodingAESKey: string },
  handle: (req: { weixin: WechatMessage }, res: WechatRes, next: () => void) => void,
) => Middleware;

/**
 * The node-webot `wechat` middleware on Express (CommonJS), answering text messages with
 * "echo: <content>", events with "event: <Event> <EventKey>", and a few reply types on request.
 */
export async function startWechatMiddlewareServer(
  account: DevAccount,
  seen: WechatMessage[] = [],
): Promise<{ url: string; close(): Promise<void> }> {
  const require = createRequire(import.meta.url);
  const wechat = require("wechat") as WechatFn;
  const express = require("express") as () => {
    use(path: string, mw: Middleware): void;
    listen(port: number, host: string, cb: () => void): http.Server;
  };
  const app = express();
  app.use(
    "/wechat",
    wechat(
      { token: account.token, appid: account.appid, encodingAESKey: account.encodingAESKey },
      (req, res) => {
        const m = req.weixin;
        seen.push(m);
        if (m.MsgType === "event") return res.reply(`event: ${m.Event} ${m.EventKey ?? ""}`.trim());
        if (m.MsgType !== "text") return res.reply(`got ${m.MsgType}`);
        const content = m.Content ?? "";
        if (content === "news")
          return res.reply([
            { title: "T", description: "D", picurl: "http://127.0.0.1/p.png", url: "http://127.0.0.1/" },
          ]);
        if (content === "music")
          return res.reply({
            title: "Song",
            description: "Artist",
            musicUrl: "http://127.0.0.1/s.mp3",
            hqMusicUrl: "http://127.0.0.1/hq.mp3",
            thumbMediaId: "THUMB",
          });
        if (content === "image") return res.reply({ type: "image", content: { mediaId: "IMG" } });
        if (content === "kf") return res.transfer2CustomerService("kf2001@example");
        if (content === "quiet") return res.reply("");
        return res.reply(`echo: ${content}`);
      },
    ),
  );
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/wechat`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
