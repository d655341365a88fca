/**
 * OpenIDs and UnionIDs shaped like WeChat's: 28 URL-safe base64 characters starting with `o`
 * (users.md §2.1). An OpenID is `o` + 5 characters shared by the account + 22 derived from
 * (appid, user); a UnionID is `o` + 27 derived from (open platform, user). Derived, not random:
 * the same config gives the same ids on every machine, which CI scripts can rely on; distinct
 * inputs give distinct ids (SHA-256).
 */
import { createHash } from "node:crypto";

const b64 = (label: string) => createHash("sha256").update(label).digest("base64url");

export function openidFor(appid: string, userId: string): string {
  return `o${b64(`mpstack:openid-prefix:${appid}`).slice(0, 5)}${b64(`mpstack:openid:${appid}:${userId}`).slice(0, 22)}`;
}

export function unionidFor(openPlatformId: string, userId: string): string {
  return `o${b64(`mpstack:unionid:${openPlatformId}:${userId}`).slice(0, 27)}`;
}
