/**
 * The `sns/*` calls (spec/oauth.md §3–§6): code exchange, refresh, profile, token check. They
 * carry appid/secret or the web token in the query (no account access_token), so each one checks
 * its parameters in WeChat's order in a parse step, then the account, its permission row (48001,
 * §10), the per-minute limit (45011) and the code or token itself, all on the platform clock.
 */
import { timingSafeEqual } from "node:crypto";
import { catalog, mayCall } from "@mpstack/protocol";
import { WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { type Account, getAccount } from "../accounts/index.js";
import { getUser, unionidFor, unionidOf } from "../simulated-users/index.js";
import type { MinuteCounter } from "./rate.js";
import { getOAuthSettings } from "./settings.js";
import { findWebToken, type Grant, grantOf, issueTokens, refreshAccess, takeCode } from "./store.js";
import type { OAuthTokenTable } from "./tables.js";

const c = catalog.oauth;
/** The shape of WeChat's web tokens and ours (`NN_` + URL-safe characters); anything else is 40014. */
const WELL_FORMED = /^[A-Za-z0-9_-]{16,512}$/;

type Fields = Record<string, unknown>;
const str = (f: Fields, k: string) => (typeof f[k] === "string" ? (f[k] as string) : "");

/** Each rule of a parse step: the first field that is missing answers its code. */
function required(f: Fields, rules: [string, number][]): void {
  for (const [k, code] of rules) if (str(f, k) === "") throw new WechatApiError(code);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function implementSnsApi(ctx: ModuleContext, perMinute: MinuteCounter): void {
  /** The account behind a call, its permission row and this minute's count. */
  const admit = async (
    call: { identify(appid: string): void; endpoint: { path: string } },
    appid: string,
  ): Promise<Account> => {
    const account = await getAccount(ctx.db, appid);
    if (!account) throw new WechatApiError(40013);
    call.identify(appid);
    await checkAccount(call, account);
    return account;
  };
  const checkAccount = async (call: { endpoint: { path: string } }, account: Account) => {
    if (!mayCall(account, "user.oauth", ctx.policiesFor(account).permissionOverrides))
      throw new WechatApiError(48001);
    const settings = await getOAuthSettings(ctx.db, account.appid);
    if (!perMinute.take(`${account.appid}|${call.endpoint.path}`, settings.snsPerMinute))
      throw new WechatApiError(45011);
  };
  const unionidOfGrant = async (account: Account, g: Grant): Promise<string | null> => {
    if (!account.openPlatformId) return null;
    return g.snapshot
      ? unionidFor(account.openPlatformId, `snapshot~${g.userId}`)
      : unionidOf(ctx, account, g.userId);
  };

  ctx.implement(
    c.accessToken,
    (f) => {
      required(f, [
        ["appid", 41002],
        ["secret", 41004],
        ["code", 41008],
      ]);
      if (str(f, "grant_type") !== "authorization_code") throw new WechatApiError(40002);
      return { appid: str(f, "appid"), secret: str(f, "secret"), code: str(f, "code") };
    },
    async (call) => {
      const { appid, secret, code } = call.input;
      const account = await getAccount(ctx.db, appid);
      if (!account) throw new WechatApiError(40013);
      call.identify(appid);
      if (!sameSecret(secret, account.secret)) throw new WechatApiError(40125);
      await checkAccount(call, account);
      const taken = await takeCode(ctx, appid, code);
      if (!taken.ok) {
        if (taken.reason === "used") throw new WechatApiError(40163);
        if (taken.reason === "expired")
          throw new WechatApiError((await getOAuthSettings(ctx.db, appid)).expiredCodeErrcode);
        throw new WechatApiError(40029);
      }
      const g = grantOf(taken.code);
      const issued = await issueTokens(ctx, g);
      // UnionID only with an open platform and snsapi_userinfo (§3).
      const unionid = g.scope === "snsapi_userinfo" ? await unionidOfGrant(account, g) : null;
      return {
        ...issued,
        ...(unionid ? { unionid } : {}),
        ...(g.snapshot ? { is_snapshotuser: 1 } : {}),
      };
    },
  );

  ctx.implement(
    c.refreshToken,
    (f) => {
      required(f, [["appid", 41002]]);
      if (str(f, "grant_type") !== "refresh_token") throw new WechatApiError(40002);
      required(f, [["refresh_token", 41003]]);
      return { appid: str(f, "appid"), refresh_token: str(f, "refresh_token") };
    },
    async (call) => {
      await admit(call, call.input.appid);
      const r = await refreshAccess(ctx, call.input.appid, call.input.refresh_token);
      if (!r.ok)
        throw new WechatApiError(r.reason === "revoked" ? 42007 : r.reason === "expired" ? 42002 : 40030);
      return { ...r.token, ...(r.grant.snapshot ? { is_snapshotuser: 1 } : {}) };
    },
  );

  /** The web token of a call: 40014 malformed, 40001 unknown, 42007 revoked, 42001 expired, 40003 other OpenID. */
  const webToken = async (
    call: { identify(appid: string): void; endpoint: { path: string } },
    token: string,
    openid: string,
  ): Promise<{ row: OAuthTokenTable; account: Account }> => {
    const owned = (code: number, appid: string) => {
      const err = new WechatApiError(code);
      err.ownerAppid = appid;
      return err;
    };
    if (!WELL_FORMED.test(token)) throw new WechatApiError(ctx.policiesFor(null).malformedTokenCode);
    const row = await findWebToken(ctx.db, token);
    if (!row) throw new WechatApiError(40001);
    const account = await getAccount(ctx.db, row.appid);
    if (!account) throw new WechatApiError(40001);
    call.identify(account.appid);
    await checkAccount(call, account);
    if (row.revoked === 1) throw owned(42007, row.appid);
    if (Number(row.expires_at) <= ctx.clock.now()) throw owned(42001, row.appid);
    if (row.openid !== openid) throw owned(40003, row.appid);
    return { row, account };
  };
  /** The web token of the query (kept out of the checked fields, like every access_token). */
  const tokenOf = (query: Record<string, string>) => {
    const token = query.access_token ?? "";
    if (token === "") throw new WechatApiError(41001);
    return token;
  };

  ctx.implement(c.userinfo, async (call) => {
    const { row, account } = await webToken(call, tokenOf(call.query), call.input.openid);
    // A snsapi_base token, or a snapshot user's, cannot read the profile (§5, §7).
    if (row.scope !== "snsapi_userinfo" || row.snapshot === 1) throw new WechatApiError(48001);
    const user = await getUser(ctx.db, row.user_id);
    if (!user) throw new WechatApiError(40003);
    const legacy = (await getOAuthSettings(ctx.db, account.appid)).legacyProfile;
    const g = grantOf(row);
    const unionid = await unionidOfGrant(account, g);
    return {
      openid: row.openid,
      nickname: user.nickname,
      sex: legacy ? user.sex : 0,
      province: legacy ? user.province : "",
      city: legacy ? user.city : "",
      country: legacy ? user.country : "",
      headimgurl: user.avatarUrl,
      privilege: [],
      ...(unionid ? { unionid } : {}),
    };
  });

  ctx.implement(c.auth, async (call) => {
    await webToken(call, tokenOf(call.query), call.input.openid);
    return { errcode: 0, errmsg: "ok" };
  });
}
