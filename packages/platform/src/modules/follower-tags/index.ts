/**
 * Follower tags: an account's tags on its followers (create/list/rename/delete, batch tagging,
 * users of a tag, tags of a user) and the legacy groups API (users.md §3–4). The menu module reads
 * tags through `tagExists` / `tagsOfUser` for personalised menus.
 */
import { defineModule } from "../../module.js";
import { implementTagsApi } from "./api.js";
import { tagsMigrations } from "./migrations.js";
import { addTagRoutes } from "./routes.js";

export const followerTagsModule = defineModule({
  name: "follower-tags",
  requires: ["accounts", "simulated-users"],
  migrations: tagsMigrations,
  setup(ctx) {
    implementTagsApi(ctx);
    addTagRoutes(ctx);
  },
});

export { checkListSize, openidPage } from "./api.js";
export * from "./groups.js";
export * from "./openids.js";
export * from "./store.js";
