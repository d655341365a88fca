/**
 * OAuth web authorization (网页授权, spec/oauth.md): the authorize page on the open host with its
 * error, consent and snapshot pages, the code (5 min, single use), the web access token (2 h), the
 * refresh token (30 days), `sns/userinfo` and `sns/auth`, per-account settings where the spec
 * leaves a choice, and the simulator routes around them. Who is browsing comes from web-identity.
 */
import { catalog } from "@mpstack/protocol";
import { defineModule } from "../../module.js";
import { AuthorizePages } from "./authorize.js";
import { oauthMigrations } from "./migrations.js";
import { MinuteCounter } from "./rate.js";
import { addOAuthRoutes } from "./routes.js";
import { implementSnsApi } from "./sns.js";

export const oauthModule = defineModule({
  name: "oauth",
  requires: ["accounts", "simulated-users", "web-identity"],
  migrations: oauthMigrations,
  setup(ctx) {
    const perMinute = new MinuteCounter(ctx.clock);
    const pages = new AuthorizePages(ctx, perMinute);
    ctx.events.on("world.replaced", () => {
      pages.clear();
      perMinute.clear();
    });
    ctx.implement(catalog.oauth.authorize, (call) => pages.authorize(call));
    ctx.implement(catalog.oauth.authorizeReply, (call) => pages.reply(call));
    implementSnsApi(ctx, perMinute);
    addOAuthRoutes(ctx);
  },
});

export { snapshotOpenid } from "./authorize.js";
export { getOAuthSettings, type OAuthSettings } from "./settings.js";
