/**
 * Simulator routes: the typing indicator a follower sees, the user's service window (grants and
 * counts), and the customer-service policies.
 */
import { Type } from "@sinclair/typebox";
import { notFound } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { findByOpenid } from "../simulated-users/index.js";
import {
  type CsPolicyPatch,
  csPolicyFor,
  DEFAULT_CS_POLICY,
  GLOBAL_SCOPE,
  getCsPolicyOverrides,
  setCsPolicyOverrides,
} from "./policy.js";
import { lastInteractionAt, typingState } from "./store.js";
import { grantsOf } from "./window-grants.js";

const FollowerParams = Type.Object({ appid: Type.String(), openid: Type.String() });
const nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) =>
  Type.Optional(Type.Union([t, Type.Null()]));

const PolicyBody = Type.Object({
  appid: Type.Optional(Type.String({ description: "omit for the global policy" })),
  profile: Type.Optional(
    Type.Union([
      Type.Literal("current"),
      Type.Literal("2021"),
      Type.Literal("legacy-20"),
      Type.Literal("seed"),
      Type.Null(),
    ]),
  ),
  textMaxBytes: nullable(Type.Integer({ minimum: 0, description: "0 = no limit" })),
  newsArticles: nullable(Type.Integer({ minimum: 1, maximum: 10 })),
  msgmenuAccounts: Type.Optional(
    Type.Union([
      Type.Literal("verified_service"),
      Type.Literal("verified"),
      Type.Literal("any"),
      Type.Null(),
    ]),
  ),
  msgmenuMaxItems: nullable(Type.Integer({ minimum: 1 })),
  msgmenuItemMaxChars: nullable(Type.Integer({ minimum: 1 })),
  linkedMiniPrograms: Type.Optional(
    Type.Union([Type.Literal("any"), Type.Array(Type.String({ pattern: "^wx[0-9a-f]{16}$" })), Type.Null()]),
  ),
  typingSeconds: nullable(Type.Integer({ minimum: 1 })),
  typingInteractionSeconds: nullable(Type.Integer({ minimum: 1 })),
});

export function addCustomerServiceRoutes(ctx: ModuleContext): void {
  const sim = ctx.simulator;

  const follower = async (appid: string, openid: string) => {
    if (!(await getAccount(ctx.db, appid))) throw notFound(`account ${appid}`);
    const f = await findByOpenid(ctx.db, appid, openid);
    if (!f) throw notFound(`openid ${openid} of ${appid}`);
    return f;
  };

  sim.route({
    method: "GET",
    url: "/accounts/:appid/typing/:openid",
    tag: "customer-service",
    summary: "Whether the follower sees the account typing (message/custom/typing), and until when (ms).",
    params: FollowerParams,
    handler: async ({ params }) => {
      const f = await follower(params.appid, params.openid);
      return {
        openid: f.openid,
        user: f.user_id,
        ...(await typingState(ctx.db, f.appid, f.user_id, ctx.clock.now())),
      };
    },
  });

  sim.route({
    method: "GET",
    url: "/accounts/:appid/service-window/:openid",
    tag: "customer-service",
    summary:
      "The follower's customer-service window: one grant per opening scene (times in ms, used/limit/remaining; limit null = unlimited), open when a live grant has messages left.",
    params: FollowerParams,
    handler: async ({ params }) => {
      const f = await follower(params.appid, params.openid);
      const now = ctx.clock.now();
      const policy = await csPolicyFor(ctx.db, f.appid);
      const grants = (await grantsOf(ctx.db, f.appid, f.user_id, policy.profile)).map((g) => ({
        ...g,
        live: g.expiresAt > now,
      }));
      return {
        openid: f.openid,
        user: f.user_id,
        following: f.subscribed === 1,
        profile: policy.profile,
        now,
        open: f.subscribed === 1 && grants.some((g) => g.live && g.remaining !== 0),
        grants,
        lastInteractionAt: await lastInteractionAt(ctx.db, f.appid, f.user_id),
      };
    },
  });

  const policyView = async (appid: string | undefined) => ({
    scope: appid ?? GLOBAL_SCOPE,
    defaults: DEFAULT_CS_POLICY,
    overrides: await getCsPolicyOverrides(ctx.db, appid ?? GLOBAL_SCOPE),
    ...(appid ? { effective: await csPolicyFor(ctx.db, appid) } : {}),
  });
  sim.route({
    method: "GET",
    url: "/customer-service-policy",
    tag: "customer-service",
    summary:
      "Customer-service policies (window profile, text/news/msgmenu limits, Mini Program links, typing): global, or ?appid=.",
    query: Type.Object({ appid: Type.Optional(Type.String()) }),
    handler: ({ query }) => policyView(query.appid),
  });
  sim.route({
    method: "PUT",
    url: "/customer-service-policy",
    tag: "customer-service",
    summary:
      "Change customer-service policies (global, or one account with appid); null removes an override.",
    body: PolicyBody,
    handler: async ({ body }) => {
      const { appid, ...patch } = body;
      if (appid && !(await getAccount(ctx.db, appid))) throw notFound(`account ${appid}`);
      await setCsPolicyOverrides(ctx, appid ?? GLOBAL_SCOPE, patch as CsPolicyPatch);
      return policyView(appid);
    },
  });
}
