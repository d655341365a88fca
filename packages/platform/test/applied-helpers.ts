/**
 * Helpers of the apply-only feature tests: an account with grants and a following user (and its
 * developer server), signed pay v2 XML
 * calls, signed v3 JSON calls, and a merchant notify server that captures every notification
 * (headers included) and answers as told.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildXml, type PaySignType, parseXml, paySign, signPayV3Request } from "@mpstack/protocol";
import type { Running } from "./helpers.js";

export interface MerchantInfo {
  appid: string;
  mchId: string;
  apiKey: string;
  apiV3Key: string;
  merchantSerialNo: string;
  merchantCertificate: string;
  merchantPrivateKey: string;
  platformSerialNo: string;
  platformCertificate: string;
}

export interface PayWorld {
  appid: string;
  secret: string;
  user: string;
  openid: string;
  merchant: MerchantInfo;
}

async function ok(p: Promise<{ status: number; body: Record<string, unknown> }>) {
  const res = await p;
  if (res.status >= 300) throw new Error(`simulator ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A verified service account granted `grants`, and a simulated user following it. */
export async function payWorld(r: Running, grants: string[] = ["pay"], user?: string): Promise<PayWorld> {
  const account = await ok(
    r.post("/_mpstack/accounts", { name: "Tea House", type: "service", verified: true, grants }),
  );
  const appid = account.appid as string;
  const id = user ?? `u${randomBytes(4).toString("hex")}`;
  await r.post("/_mpstack/users", { id, nickname: `Payer ${id}` });
  const follow = await ok(r.post(`/_mpstack/users/${id}/follow`, { appid }));
  const merchant = grants.includes("pay")
    ? ((await ok(r.get(`/_mpstack/accounts/${appid}/merchant`))) as unknown as MerchantInfo)
    : ({} as MerchantInfo);
  return { appid, secret: account.secret as string, user: id, openid: follow.openid as string, merchant };
}

export const nonce = () => randomBytes(8).toString("hex");

/** POST signed v2 XML to a pay path; the parsed answer and its raw text. */
export async function v2(
  r: Running,
  path: string,
  fields: Record<string, string | number>,
  key: string,
  signType: PaySignType = "MD5",
): Promise<{ xml: Record<string, string>; text: string }> {
  const body: Record<string, string | number> = { nonce_str: nonce(), ...fields };
  if (signType === "HMAC-SHA256") body.sign_type = signType;
  body.sign = paySign(body, key, signType);
  const res = await r.raw(path, {
    method: "POST",
    headers: { "content-type": "text/xml" },
    body: buildXml(body),
  });
  const text = await res.text();
  return { xml: parseXml(text) as Record<string, string>, text };
}

/** A v3 call signed with the merchant's key; `sign: false` sends it without Authorization. */
export async function v3(
  r: Running,
  m: MerchantInfo,
  method: "GET" | "POST",
  pathWithQuery: string,
  body?: unknown,
  opts: { serial?: string; key?: string; timestamp?: number; auth?: string } = {},
): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }> {
  const text = body === undefined ? "" : JSON.stringify(body);
  const authorization =
    opts.auth ??
    signPayV3Request({
      mchid: m.mchId,
      serialNo: opts.serial ?? m.merchantSerialNo,
      privateKey: opts.key ?? m.merchantPrivateKey,
      method,
      pathWithQuery,
      body: text,
      timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
      nonce: nonce(),
    });
  const res = await r.raw(pathWithQuery, {
    method,
    headers: { authorization, "content-type": "application/json", accept: "application/json" },
    ...(method === "POST" ? { body: text } : {}),
  });
  const answer = await res.text();
  return {
    status: res.status,
    json: answer ? (JSON.parse(answer) as Record<string, unknown>) : {},
    text: answer,
    headers: res.headers,
  };
}

export interface Notification {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface NotifyServer {
  url: string;
  received: Notification[];
  /** What to answer next (default: success in the notification's own format). */
  answer: (n: Notification) => { status: number; body: string };
  close(): Promise<void>;
}

export const V2_SUCCESS =
  "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>";

export async function notifyServer(): Promise<NotifyServer> {
  const received: Notification[] = [];
  const s: NotifyServer = {
    url: "",
    received,
    answer: (n) => (n.body.startsWith("<") ? { status: 200, body: V2_SUCCESS } : { status: 204, body: "" }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = { path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(n);
      const a = s.answer(n);
      res.writeHead(a.status, { "content-type": "text/plain" }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return s;
}

export async function until<T>(fn: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** Point the account's server at a test developer server (plain mode, no handshake); its DevAccount. */
export async function withServer(r: Running, appid: string, url: string) {
  const res = await r.raw(`/_mpstack/accounts/${appid}?handshake=false`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ server: { url, token: "applied", mode: "plain" } }),
  });
  const a = (await res.json()) as { server: { token: string; encodingAESKey: string } };
  return { appid, token: a.server.token, encodingAESKey: a.server.encodingAESKey };
}

/** A simulator call that must succeed (2xx); its JSON. */
export async function sim(
  r: Running,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await r.raw(path, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The page's pay request as the bridge passes it, then the user pays on the sheet; the page's errMsg. */
export async function payOnSheet(
  r: Running,
  user: string,
  params: Record<string, string>,
  via?: string,
): Promise<string> {
  const started = await sim(r, "POST", `/_mpstack/users/${user}/pay`, { params, ...(via ? { via } : {}) });
  if (started.ok !== true) throw new Error(`pay refused: ${JSON.stringify(started)}`);
  return (await sim(r, "POST", `/_mpstack/pay/sessions/${started.sessionId}`, { action: "pay" }))
    .errMsg as string;
}
