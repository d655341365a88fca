/**
 * Simulator routes of OAuth: the account's settings (snapshot mode, strict links, …), a user's
 * authorizations, forgetting consents, and the password change that voids a user's web tokens
 * (42007).
 */
import { Type } from "@sinclair/typebox";
import type { ModuleContext } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { requireUser } from "../simulated-users/index.js";
import { getOAuthSettings, OAuthSettingsSchema, setOAuthSettings } from "./settings.js";
import { authorizationsOf, forgetConsents, revokeUser } from "./store.js";

const AppidParams = Type.Object({ appid: Type.String() });
const UserParams = Type.Object({ user: Type.String() });

export function addOAuthRoutes(ctx: ModuleContext): void {
  const sim = ctx.simulator;
  sim.route({
    method: "GET",
    url: "/accounts/:appid/oauth-settings",
    tag: "oauth",
    summary:
      "The account's OAuth settings (snapshot mode, silent re-authorization days, strict links, limits).",
    params: AppidParams,
    handler: async ({ params }) => {
      await requireAccount(ctx.db, params.appid);
      return getOAuthSettings(ctx.db, params.appid);
    },
  });
  sim.route({
    method: "PATCH",
    url: "/accounts/:appid/oauth-settings",
    tag: "oauth",
    summary: "Change OAuth settings; answers them all.",
    params: AppidParams,
    body: Type.Partial(OAuthSettingsSchema, { additionalProperties: false }),
    handler: async ({ params, body }) => {
      await requireAccount(ctx.db, params.appid);
      const change = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      return setOAuthSettings(ctx.db, params.appid, change);
    },
  });
  sim.route({
    method: "GET",
    url: "/users/:user/oauth",
    tag: "oauth",
    summary: "The user's consents and live authorizations (refresh tokens), by account.",
    params: UserParams,
    handler: async ({ params }) => {
      await requireUser(ctx.db, params.user);
      return authorizationsOf(ctx, params.user);
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/oauth/forget-consent",
    tag: "oauth",
    summary: "Forget the user's consents (of one account, or all): the consent page shows again.",
    params: UserParams,
    body: Type.Object({ appid: Type.Optional(Type.String()) }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      return { forgotten: await forgetConsents(ctx.db, params.user, body.appid) };
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/password-changed",
    tag: "oauth",
    summary:
      "The user changed the WeChat password: every web access and refresh token of theirs (of one account, or all) answers 42007.",
    params: UserParams,
    body: Type.Object({ appid: Type.Optional(Type.String()) }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      return { revoked: await revokeUser(ctx, params.user, body.appid) };
    },
  });
}
