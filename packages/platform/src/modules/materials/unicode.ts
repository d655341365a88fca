/**
 * The optional strict mode of material.md §3.1: article bodies written with `\uXXXX` escapes are
 * refused with 40033 (WeChat does so for some endpoints); off unless the policy asks.
 */
import { ErrorCode } from "@mpstack/protocol";
import { WechatApiError } from "../../http/errors.js";
import type { MaterialPolicy } from "./policy.js";

export function rejectEscapes(policy: MaterialPolicy, rawBody: Buffer | undefined): void {
  if (policy.rejectUnicodeEscapes && rawBody && /\\u[0-9a-fA-F]{4}/.test(rawBody.toString("utf8")))
    throw new WechatApiError(ErrorCode.InvalidCharset);
}
