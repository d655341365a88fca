/**
 * A tiny fake of WeChat's API for the client's unit tests: real HTTP on 127.0.0.1, token issuing
 * and checking, request recording, and per-path handlers a test scripts.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export interface FakeReply {
  status?: number;
  json?: unknown;
  body?: Buffer;
  headers?: Record<string, string>;
}

/** Answers one request to a path; `undefined` falls back to the default answer. */
export type FakeHandler = (req: RecordedRequest) => FakeReply | undefined | Promise<FakeReply | undefined>;

export interface FakeWechatOptions {
  appId?: string;
  appSecret?: string;
  /** Delay before answering token requests (widens the window for concurrent callers). */
  tokenDelayMs?: number;
  expiresIn?: number;
}

export interface FakeWechat {
  url: string;
  appId: string;
  appSecret: string;
  /** Every request, token requests included, in arrival order. */
  requests: RecordedRequest[];
  tokenRequests: number;
  /** `force_refresh` of each stable_token request. */
  stableTokenRequests: boolean[];
  validTokens: Set<string>;
  /** Errcodes the next token requests answer with, consumed one per request. */
  tokenErrors: number[];
  on(path: string, handler: FakeHandler): void;
  /** Issues a token the fake will accept (as if another process had fetched it). */
  issueToken(): string;
  apiRequests(path: string): RecordedRequest[];
  close(): Promise<void>;
}

const rid = () =>
  `${randomBytes(4).toString("hex")}-${randomBytes(4).toString("hex")}-${randomBytes(4).toString("hex")}`;

export const errorBody = (errcode: number, errmsg: string) => ({
  errcode,
  errmsg: `${errmsg} rid: ${rid()}`,
});

export async function startFakeWechat(options: FakeWechatOptions = {}): Promise<FakeWechat> {
  const appId = options.appId ?? "wx0123456789abcdef";
  const appSecret = options.appSecret ?? `secret${randomBytes(12).toString("hex")}`;
  const handlers = new Map<string, FakeHandler>();
  let stableToken: string | undefined;

  const fake: FakeWechat = {
    url: "",
    appId,
    appSecret,
    requests: [],
    tokenRequests: 0,
    stableTokenRequests: [],
    validTokens: new Set(),
    tokenErrors: [],
    on: (path, handler) => handlers.set(path, handler),
    issueToken: () => {
      const token = `TOKEN_${randomBytes(24).toString("base64url")}`;
      fake.validTokens.add(token);
      return token;
    },
    apiRequests: (path) => fake.requests.filter((r) => r.path === path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const answer = async (req: RecordedRequest): Promise<FakeReply> => {
    if (req.path === "/cgi-bin/token" || req.path === "/cgi-bin/stable_token") {
      fake.tokenRequests++;
      const stable = req.path === "/cgi-bin/stable_token";
      const params = stable ? (JSON.parse(req.body.toString("utf8")) as Record<string, unknown>) : req.query;
      if (stable) fake.stableTokenRequests.push(params.force_refresh === true);
      if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
      const scripted = fake.tokenErrors.shift();
      if (scripted !== undefined) return { json: errorBody(scripted, "scripted error") };
      if (params.appid !== appId) return { json: errorBody(40013, "invalid appid") };
      if (params.secret !== appSecret) return { json: errorBody(40125, "invalid appsecret") };
      if (stable) {
        if (!stableToken || params.force_refresh === true) {
          if (stableToken) fake.validTokens.delete(stableToken);
          stableToken = fake.issueToken();
        }
        return { json: { access_token: stableToken, expires_in: options.expiresIn ?? 7200 } };
      }
      return { json: { access_token: fake.issueToken(), expires_in: options.expiresIn ?? 7200 } };
    }
    const handler = handlers.get(req.path);
    const token = req.query.access_token;
    if (token === undefined && handler) return (await handler(req)) ?? { json: { errcode: 0, errmsg: "ok" } };
    if (token === undefined) return { json: errorBody(41001, "access_token missing") };
    if (!fake.validTokens.has(token)) {
      return { json: errorBody(40001, "invalid credential, access_token is invalid or not latest") };
    }
    const scripted = handler ? await handler(req) : undefined;
    if (scripted) return scripted;
    if (req.path === "/cgi-bin/getcallbackip") return { json: { ip_list: ["127.0.0.1"] } };
    return { json: { errcode: 0, errmsg: "ok" } };
  };

  const server = createServer(async (incoming: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
    const req: RecordedRequest = {
      method: incoming.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: incoming.headers,
      body: Buffer.concat(chunks),
    };
    fake.requests.push(req);
    const reply = await answer(req);
    if (reply.body) {
      res.writeHead(reply.status ?? 200, { "content-length": String(reply.body.length), ...reply.headers });
      res.end(reply.body);
      return;
    }
    res.writeHead(reply.status ?? 200, {
      "content-type": "application/json; encoding=utf-8",
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.json));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
