/**
 * `GET /_mpstack/accounts/{appid}/tags`: the account's tags and which OpenIDs carry each, for the
 * console's users page (WeChat's own tags API needs a token and pages by tag).
 */
import { Type } from "@sinclair/typebox";
import type { ModuleContext } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { listTags } from "./store.js";

/** At most this many (tag, OpenID) pairs are listed (the console shows a page of followers). */
const MAX_MEMBERSHIPS = 20_000;

export function addTagRoutes(ctx: ModuleContext): void {
  ctx.simulator.route({
    method: "GET",
    url: "/accounts/:appid/tags",
    tag: "users",
    summary:
      "The account's tags (id, name, follower count) and the tag ids of each OpenID (first 20 000 memberships).",
    params: Type.Object({ appid: Type.String() }),
    handler: async ({ params }) => {
      const account = await requireAccount(ctx.db, params.appid);
      const rows = await ctx.db
        .selectFrom("user_tag_members")
        .select(["openid", "tag_id"])
        .where("appid", "=", account.appid)
        .orderBy("seq")
        .limit(MAX_MEMBERSHIPS)
        .execute();
      const members: Record<string, number[]> = {};
      for (const r of rows) {
        const list = members[r.openid] ?? [];
        list.push(Number(r.tag_id));
        members[r.openid] = list;
      }
      return { tags: await listTags(ctx.db, account.appid), members };
    },
  });
}
