/** Conversations module: the message log between users and accounts, and its read route. */
import { Type } from "@sinclair/typebox";
import { notFound } from "../../http/simulator.js";
import { defineModule } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { getFollow, getUser } from "../simulated-users/index.js";
import { conversationMigrations } from "./migrations.js";
import { type ConversationMessage, listConversation } from "./store.js";

declare module "../../events.js" {
  interface PlatformEventMap {
    /** A message was added to a conversation (both directions). */
    "conversation.message": ConversationMessage;
  }
}

export const conversationsModule = defineModule({
  name: "conversations",
  requires: ["accounts", "simulated-users"],
  migrations: conversationMigrations,
  setup(ctx) {
    ctx.simulator.route({
      method: "GET",
      url: "/users/:user/conversations/:appid",
      tag: "users",
      summary: "The user's conversation with the account, oldest first (page with ?after=<message id>).",
      params: Type.Object({ user: Type.String(), appid: Type.String() }),
      query: Type.Object({
        after: Type.Optional(Type.String()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      }),
      handler: async ({ params, query }) => {
        if (!(await getUser(ctx.db, params.user))) throw notFound(`user ${params.user}`);
        if (!(await getAccount(ctx.db, params.appid))) throw notFound(`account ${params.appid}`);
        const f = await getFollow(ctx.db, params.appid, params.user);
        return {
          user: params.user,
          appid: params.appid,
          openid: f?.openid ?? null,
          subscribed: f?.subscribed === 1,
          messages: await listConversation(ctx.db, params.appid, params.user, query),
        };
      },
    });
  },
});

export * from "./store.js";
