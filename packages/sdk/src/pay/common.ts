/** What both pay clients share: WeChat Pay's host, the error they throw, nonces, the fetch type. */
import { randomBytes } from "node:crypto";

/** WeChat Pay's API host; point `baseUrl` at the platform for local work (its one port serves these paths). */
export const WECHAT_PAY_HOST = "https://api.mch.weixin.qq.com";

export type PayFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<Response>;

/** A pay call that failed: `code` is WeChat's (v2 `err_code` or `return_msg`, v3 `code`). */
export class WechatPayError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** v3: the HTTP status; v2: 200. */
    readonly status: number,
    /** The parsed answer. */
    readonly body: unknown,
  ) {
    super(`${code}: ${message}`);
    this.name = "WechatPayError";
  }
}

export const payNonce = (bytes = 16) => randomBytes(bytes).toString("hex");
export const unixSeconds = () => String(Math.floor(Date.now() / 1000));
