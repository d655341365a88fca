/** Tokens module: /cgi-bin/token and /cgi-bin/stable_token (spec/basics.md §3–4). */
import { timingSafeEqual } from "node:crypto";
import { catalog } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import type { Account } from "../../account.js";
import type { Policies } from "../../config/policies.js";
import { WechatApiError } from "../../http/errors.js";
import { ipAllowed, plainIp } from "../../http/ip.js";
import { notFound } from "../../http/simulator.js";
import { defineModule, type ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { tokenMigrations } from "./migrations.js";
import { authenticate, issueBasicToken, issueStableToken, listTokens, pruneTokens } from "./store.js";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The checks both token endpoints share: appid, secret, IP whitelist, quota. */
async function checkCredentials(
  ctx: ModuleContext,
  call: { identify(appid: string): void; chargeQuota(account: Account): Promise<void>; ip: string },
  appid: string,
  secret: string,
): Promise<{ account: Account; policies: Policies }> {
  const account = await getAccount(ctx.db, appid);
  if (!account) throw new WechatApiError(40013);
  call.identify(appid);
  const policies = ctx.policiesFor(account);
  if (!sameSecret(secret, account.secret)) throw new WechatApiError(policies.wrongSecretCode);
  if (account.ipWhitelist.length > 0 && !ipAllowed(call.ip, account.ipWhitelist)) {
    const v4 = plainIp(call.ip);
    const text =
      policies.whitelistCode === 40164
        ? `invalid ip ${v4} ipv6 ::ffff:${v4}, not in whitelist`
        : "access clientip is not registered, not in ip-white-list";
    throw new WechatApiError(policies.whitelistCode, text);
  }
  await call.chargeQuota(account);
  return { account, policies };
}

export interface TokenServices {
  /** access_token → its account, or the WechatApiError WeChat answers (41001/40014/40001/42001). */
  authenticate(token: string | undefined): Promise<Account>;
}

declare module "../../module.js" {
  interface ModuleServices {
    tokens: TokenServices;
  }
}

export const tokensModule = defineModule({
  name: "tokens",
  requires: ["accounts"],
  migrations: tokenMigrations,
  setup(ctx): TokenServices {
    ctx.implement(catalog.basic.token, async (call) => {
      const { grant_type, appid, secret } = call.input;
      if (grant_type !== "client_credential") throw new WechatApiError(40002);
      const { policies } = await checkCredentials(ctx, call, appid, secret);
      return issueBasicToken(ctx, appid, policies);
    });

    ctx.implement(catalog.basic.stableToken, async (call) => {
      const { appid, secret, force_refresh } = call.input;
      const { policies } = await checkCredentials(ctx, call, appid, secret);
      return issueStableToken(ctx, appid, force_refresh === true, policies);
    });

    ctx.simulator.route({
      method: "GET",
      url: "/accounts/:appid/tokens",
      tag: "accounts",
      summary: "The account's recent access tokens (basic and stable series) with their validity.",
      params: Type.Object({ appid: Type.String() }),
      handler: async ({ params }) => {
        if (!(await getAccount(ctx.db, params.appid))) throw notFound(`account ${params.appid}`);
        const now = ctx.clock.now();
        const tokens = await listTokens(ctx.db, params.appid);
        return {
          tokens: tokens.map((t) => ({
            accessToken: t.token,
            kind: t.kind,
            issuedAt: t.issued_at,
            expiresAt: t.expires_at,
            supersededUntil: t.valid_until,
            valid: (t.valid_until === null || now < t.valid_until) && now < t.expires_at,
          })),
        };
      },
    });

    const timer = setInterval(() => void pruneTokens(ctx.db, ctx.clock.now()).catch(() => {}), 3_600_000);
    timer.unref();
    ctx.onClose(() => clearInterval(timer));
    const basePolicies = ctx.policiesFor(null);
    return { authenticate: (token) => authenticate(ctx, token, basePolicies) };
  },
});

export { authenticate, issueBasicToken, issueStableToken } from "./store.js";
