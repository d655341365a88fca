/**
 * What the server answers when HTTP itself breaks, and how it ends a request whose body it stopped
 * reading:
 *
 * - Framing errors (Node's parser: oversized URL or headers → 431, broken framing → 400, a
 *   request too slow → 408) are answered in WeChat's shape (`{"errcode":47001,...}` with a rid)
 *   when the request line names a WeChat path, in the simulator's shape under `/_mpstack`, with the
 *   HTTP status kept so the client knows nothing was processed. Nothing of the request is logged.
 * - A request answered before its body was read (a 20 MB body over the limit, a broken upload):
 *   the connection stays open and the rest of the body is read and discarded — up to
 *   `MAX_DRAIN_BYTES`, then the connection is closed — so the client always reads the answer
 *   (closing a socket with unread data sends a TCP reset, which can destroy the answer in flight).
 */
import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import type { Socket } from "node:net";
import { newRid } from "@mpstack/protocol";
import type { Clock } from "../clock.js";
import { WechatApiError } from "./errors.js";

/** How much of an unread body is drained after the answer before the connection is closed. */
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

const SIMULATOR = /^\/+_mpstack(?:[/?#]|$)/;

/** The request path of a raw request line (`GET /cgi-bin/token?… HTTP/1.1`), or null. */
export function requestPathOf(raw: Buffer | undefined): string | null {
  if (!raw) return null;
  const line = raw.subarray(0, 512).toString("latin1");
  const m = /^[A-Za-z]+ +(\S+)/.exec(line);
  return m ? m[1]! : null;
}

const answered = new WeakSet<Socket>();

/** Fastify's `clientErrorHandler`: Node's parser gave up on this connection. */
export function clientErrorHandler(clock: Clock) {
  return (err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    if (err.code === "ECONNRESET" || socket.destroyed || answered.has(socket)) return;
    answered.add(socket);
    const status =
      err.code === "HPE_HEADER_OVERFLOW" ? 431 : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    const path = requestPathOf(Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined);
    const simulator = path !== null && SIMULATOR.test(path);
    const rid = newRid(clock.now());
    const body = simulator
      ? JSON.stringify({
          error: {
            code: "invalid_request",
            message:
              status === 431
                ? "request URL or headers too large"
                : status === 408
                  ? "request timeout"
                  : "malformed HTTP request",
          },
        })
      : JSON.stringify(new WechatApiError(47001).toBody(rid));
    if (socket.writable) {
      const headers = simulator
        ? "Content-Type: application/json"
        : `Content-Type: application/json; encoding=utf-8\r\nx-mpstack-rid: ${rid}`;
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    // Give the answer time to leave before the socket is closed (whatever the client does).
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}

/**
 * An onSend hook: when the answer leaves before the request body was read, keep the connection and
 * discard the rest of the body (bounded) instead of closing on unread data.
 */
export function drainUnreadBody(
  request: { raw: IncomingMessage | Http2ServerRequest },
  reply: { removeHeader(name: string): unknown },
): void {
  const raw = request.raw;
  if (!("complete" in raw) || raw.complete || raw.readableEnded || raw.destroyed) return;
  reply.removeHeader("connection");
  let drained = 0;
  raw.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) raw.socket.destroy();
  });
  raw.resume();
}
