/**
 * Tags module: user tags (create/list/rename/delete, batch tagging, users of a tag, tags of a user)
 * and the legacy groups API. Provides the menu module's tag lookup (personalised menus).
 */
import type { PlatformModule } from "../../context.js";
import { provideTagLookup } from "../menu/tags.js";
import { implementTagsApi } from "./api.js";
import { tagsMigrations } from "./migrations.js";
import { RESERVED_TAG_IDS, tagExists, tagsOfUser } from "./store.js";

export const tagsModule: PlatformModule = {
  name: "tags",
  migrations: tagsMigrations,
  setup(ctx) {
    implementTagsApi(ctx);
    provideTagLookup(ctx.db, {
      // The menu module takes every system tag id as existing.
      tagExists: async (appid, tagId) => RESERVED_TAG_IDS.includes(tagId) || tagExists(ctx.db, appid, tagId),
      tagsOfUser: (appid, userId) => tagsOfUser(ctx.db, appid, userId),
    });
  },
};

export { checkListSize, openidPage } from "./api.js";
export * from "./groups.js";
export * from "./openids.js";
export * from "./store.js";
export type { FollowGroupColumn, FollowsWithGroup } from "./tables.js";
