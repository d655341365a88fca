/**
 * What a catalog handler may answer besides a JSON body: bytes with a content type (showqrcode,
 * media/get — a Buffer or a stream, so a large file is never held twice), a redirect (OAuth), or
 * an HTML page (OAuth consent, the one-time subscription page). Errors are always WeChat's JSON.
 */
import type { Readable } from "node:stream";

/** A download answer. Errors of binary endpoints are still JSON. */
export class BinaryResult {
  constructor(
    readonly body: Buffer | Readable,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}

  /** What the journal keeps of the answer. */
  describe(): string {
    const size = Buffer.isBuffer(this.body) ? `${this.body.length} bytes` : "stream";
    return `<binary ${size} ${this.contentType}>`;
  }
}

/** An HTTP redirect (302 unless told otherwise). */
export class RedirectResult {
  constructor(
    readonly location: string,
    readonly status: 301 | 302 | 303 | 307 = 302,
    readonly headers: Record<string, string> = {},
  ) {}

  describe(): string {
    return `<redirect ${this.status}>`;
  }
}

/** An HTML page (UTF-8). */
export class HtmlResult {
  constructor(
    readonly html: string,
    readonly status = 200,
    readonly headers: Record<string, string> = {},
  ) {}

  describe(): string {
    return `<html ${this.status} ${Buffer.byteLength(this.html)} bytes>`;
  }
}

export type NonJsonResult = BinaryResult | RedirectResult | HtmlResult;

export const bytes = (body: Buffer | Readable, contentType: string, headers?: Record<string, string>) =>
  new BinaryResult(body, contentType, headers);
export const redirect = (
  location: string,
  status?: 301 | 302 | 303 | 307,
  headers?: Record<string, string>,
) => new RedirectResult(location, status, headers);
export const htmlPage = (html: string, status?: number, headers?: Record<string, string>) =>
  new HtmlResult(html, status, headers);

export function isNonJsonResult(v: unknown): v is NonJsonResult {
  return v instanceof BinaryResult || v instanceof RedirectResult || v instanceof HtmlResult;
}
