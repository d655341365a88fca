/**
 * Subscribe-messages module (spec/template.md §10): subscription notifications — the account's
 * categories and the public templates of the category library (shared with template messages),
 * private subscription templates, `bizsend`, and the popup/change/sent events as users accept,
 * reject and receive. Value rules and the library come from the templates module.
 */
import { Type } from "@sinclair/typebox";
import { defineModule } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { requireUser } from "../simulated-users/index.js";
import { DelayedPushes } from "../templates/index.js";
import { implementNewtmplApi } from "./api.js";
import { implementBizsend } from "./bizsend.js";
import { subscribeMigrations } from "./migrations.js";
import { deleteSubTemplates, grantsOfUser, subTemplates } from "./store.js";
import { registerSubscriptionUserEvents } from "./user-events.js";

declare module "../../events.js" {
  interface PlatformEventMap {
    /** A subscription notification was delivered (bizsend). */
    "subscribe.sent": { appid: string; userId: string; msgid: number; priTmplId: string };
  }
}

export const subscribeMessagesModule = defineModule({
  name: "subscribe-messages",
  requires: ["accounts", "simulated-users", "conversations", "push", "templates"],
  migrations: subscribeMigrations,
  setup(ctx) {
    const pushes = new DelayedPushes(ctx.services.push, ctx.log);
    ctx.onClose(() => pushes.clear());
    ctx.events.on("world.replaced", () => pushes.clear());
    // Templates of a category the account gave up go with it (spec §1.1).
    ctx.events.on("templates.categories-changed", (e) => {
      if (e.removed.length === 0) return;
      deleteSubTemplates(ctx.db, e.appid, { categories: e.removed }).catch((err) =>
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "deleting templates failed"),
      );
    });
    implementNewtmplApi(ctx);
    implementBizsend(ctx, pushes);
    registerSubscriptionUserEvents(ctx);
    ctx.simulator.route({
      method: "GET",
      url: "/users/:user/subscriptions/:appid",
      tag: "templates",
      summary: "The account's subscription templates and the user's state for each (status, sends left).",
      params: Type.Object({ user: Type.String(), appid: Type.String() }),
      handler: async ({ params }) => {
        await requireUser(ctx.db, params.user);
        const a = await requireAccount(ctx.db, params.appid);
        return {
          user: params.user,
          appid: a.appid,
          templates: await subTemplates(ctx.db, a.appid),
          grants: await grantsOfUser(ctx.db, a.appid, params.user),
        };
      },
    });
    ctx.simulator.route({
      method: "GET",
      url: "/accounts/:appid/subscription-templates",
      tag: "templates",
      summary: "The account's private subscription-message templates (the console's view).",
      params: Type.Object({ appid: Type.String() }),
      handler: async ({ params }) => {
        const a = await requireAccount(ctx.db, params.appid);
        return { appid: a.appid, templates: await subTemplates(ctx.db, a.appid) };
      },
    });
  },
});
