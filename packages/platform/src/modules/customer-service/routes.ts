/**
 * Simulator routes: the typing indicator a follower sees, the user's service window (grants and
 * counts), and the customer-service policies.
 */
import { Type } from "@sinclair/typebox";
import { addPolicyRoutes } from "../../http/policy-routes.js";
import { notFound } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import { getAccount, requireAccount } from "../accounts/index.js";
import { findByOpenid } from "../simulated-users/index.js";
import { csPolicies, csPolicyFor } from "./policy.js";
import { lastInteractionAt, typingState } from "./store.js";
import { grantsOf } from "./window-grants.js";

const FollowerParams = Type.Object({ appid: Type.String(), openid: Type.String() });
/** The customer-service policy's fields (the PUT body takes each optional and nullable). */
const POLICY_FIELDS = {
  profile: Type.Union([
    Type.Literal("current"),
    Type.Literal("2021"),
    Type.Literal("legacy-20"),
    Type.Literal("seed"),
  ]),
  textMaxBytes: Type.Integer({ minimum: 0, description: "0 = no limit" }),
  newsArticles: Type.Integer({ minimum: 1, maximum: 10 }),
  msgmenuAccounts: Type.Union([
    Type.Literal("verified_service"),
    Type.Literal("verified"),
    Type.Literal("any"),
  ]),
  msgmenuMaxItems: Type.Integer({ minimum: 1 }),
  msgmenuItemMaxChars: Type.Integer({ minimum: 1 }),
  linkedMiniPrograms: Type.Union([
    Type.Literal("any"),
    Type.Array(Type.String({ pattern: "^wx[0-9a-f]{16}$" })),
  ]),
  typingSeconds: Type.Integer({ minimum: 1 }),
  typingInteractionSeconds: Type.Integer({ minimum: 1 }),
};

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

  addPolicyRoutes(sim, ctx, {
    url: "/customer-service-policy",
    tag: "customer-service",
    what: "Customer-service policies (window profile, text/news/msgmenu limits, Mini Program links, typing)",
    policies: csPolicies,
    requireAccount,
    fields: POLICY_FIELDS,
  });
}
