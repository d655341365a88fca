/**
 * The platform's side of the callback channel for the handler tests: builds signed (and encrypted)
 * pushes with the protocol's own sealInbound and reads answers with openReply/parseReplyXml.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  buildXml,
  computeSignature,
  MessageCrypto,
  openReply,
  parseReplyXml,
  type Reply,
  type SecurityMode,
  sealInbound,
  type XmlBuildRecord,
} from "@mpstack/protocol";

export const ACCOUNT = {
  token: "testtoken123",
  appId: "wx0123456789abcdef",
  encodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  originalId: "gh_0123456789ab",
} as const;

export const OPENID = "oTestUser0000000000000000001";
export const MODES: readonly SecurityMode[] = ["plain", "compatible", "safe"];
export const platformCrypto = new MessageCrypto(ACCOUNT.encodingAESKey, ACCOUNT.appId);

let nextMsgId = 23456789012345678n;
/** A fresh 64-bit MsgId (beyond 2^53, as real ones). */
export function msgId(): string {
  nextMsgId += 1n;
  return String(nextMsgId);
}

let clock = 1_700_000_000;
/** A fresh CreateTime (events are de-duplicated on it). */
export function createTime(): number {
  clock += 1;
  return clock;
}

/** A push XML with the common header; `fields` follow it (nested records for nested elements). */
export function pushXml(fields: XmlBuildRecord, from = OPENID): string {
  return buildXml({
    ToUserName: ACCOUNT.originalId,
    FromUserName: from,
    CreateTime: createTime(),
    ...fields,
  });
}

export function textXml(content: string, id = msgId()): string {
  return pushXml({ MsgType: "text", Content: content, MsgId: id });
}

export interface PushOptions {
  timestamp?: string;
  nonce?: string;
  /** Overrides applied to the signed query (forgeries). */
  tamper?: Record<string, string>;
}

export function sealPush(mode: SecurityMode, xml: string, options: PushOptions = {}) {
  const sealed = sealInbound({
    xml,
    mode,
    token: ACCOUNT.token,
    crypto: platformCrypto,
    timestamp: options.timestamp ?? String(Math.floor(Date.now() / 1000)),
    nonce: options.nonce ?? String(Math.floor(Math.random() * 1e9)),
    openid: OPENID,
    appId: ACCOUNT.appId,
    toUserName: ACCOUNT.originalId,
  });
  const query = { ...sealed.query, ...options.tamper };
  return { query, body: sealed.body, search: `?${new URLSearchParams(query)}` };
}

export interface Answer {
  status: number;
  body: string;
  contentType: string | null;
  /** The opened reply (undefined for "success"/empty answers). */
  reply?: Reply;
  toUserName?: string;
  fromUserName?: string;
}

/** Posts a push as the platform does and reads the answer as the platform does. */
export async function post(
  base: string,
  mode: SecurityMode,
  xml: string,
  options: PushOptions & { headers?: Record<string, string> } = {},
): Promise<Answer> {
  const { search, body } = sealPush(mode, xml, options);
  const response = await fetch(base + search, {
    method: "POST",
    headers: { "content-type": "text/xml; charset=utf-8", ...options.headers },
    body,
  });
  return readAnswer(response, mode);
}

export async function readAnswer(response: Response, mode: SecurityMode): Promise<Answer> {
  const body = await response.text();
  const answer: Answer = { status: response.status, body, contentType: response.headers.get("content-type") };
  if (response.status !== 200 || body === "" || body === "success") return answer;
  const opened = openReply({ body, mode, token: ACCOUNT.token, crypto: platformCrypto });
  if (mode === "safe" && !opened.encrypted) throw new Error("safe-mode reply was not encrypted");
  const parsed = parseReplyXml(opened.xml);
  return { ...answer, reply: parsed.reply, toUserName: parsed.toUserName, fromUserName: parsed.fromUserName };
}

/** The URL-verification GET. */
export function handshakeQuery(echostr: string, timestamp = String(Math.floor(Date.now() / 1000))) {
  const nonce = "1514711492";
  return `?${new URLSearchParams({ signature: computeSignature(ACCOUNT.token, timestamp, nonce), timestamp, nonce, echostr })}`;
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
