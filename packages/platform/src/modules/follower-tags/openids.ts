/**
 * OpenIDs named in a request, checked against the account (users.md §2.1): an OpenID nobody has is
 * 40003 `invalid openid`; one of another account is 49003 `not match openid with appid` on the tag
 * and blacklist calls and 40003 elsewhere (user/info, remarks).
 */
import { ErrorCode } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";

export interface KnownOpenid {
  openid: string;
  userId: string;
  subscribed: boolean;
}

/** What an OpenID of another account answers: 49003 on the tag and blacklist calls, 40003 elsewhere. */
export const ForeignOpenid = {
  NotMatchAppId: ErrorCode.OpenIdNotMatchAppId,
  Invalid: ErrorCode.InvalidOpenId,
} as const;

/** Every OpenID of `openids` as a user of `appid`, in request order; throws the first bad one's code. */
export async function resolveOpenids(
  db: Db,
  appid: string,
  openids: readonly string[],
  foreignCode: number,
): Promise<KnownOpenid[]> {
  const unique = [...new Set(openids)];
  const rows =
    unique.length === 0
      ? []
      : await db
          .selectFrom("follows")
          .select(["appid", "openid", "user_id", "subscribed"])
          .where("openid", "in", unique)
          .execute();
  const byOpenid = new Map(rows.map((r) => [r.openid, r]));
  return unique.map((openid) => {
    const r = byOpenid.get(openid);
    if (!r) throw new WechatApiError(ErrorCode.InvalidOpenId);
    if (r.appid !== appid) throw new WechatApiError(foreignCode);
    return { openid, userId: r.user_id, subscribed: r.subscribed === 1 };
  });
}

export async function resolveOpenid(
  db: Db,
  appid: string,
  openid: string,
  foreignCode: number,
): Promise<KnownOpenid> {
  const [one] = await resolveOpenids(db, appid, [openid], foreignCode);
  if (!one) throw new WechatApiError(ErrorCode.InvalidOpenId);
  return one;
}
