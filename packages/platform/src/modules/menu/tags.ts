/**
 * User tags as the menu module needs them: to validate a matchrule's `tag_id` (45159) and to match
 * a user against it (menu.md §6.4: the tag added last counts). The tags themselves belong to the
 * users/tags module; it (or a test) provides a lookup per platform with `provideTagLookup(ctx.db, …)`.
 * Until one is provided every tag id is taken as existing and users carry no tags.
 */
import type { Db } from "../../db/schema.js";

export interface TagLookup {
  /** Does this tag id exist in the account (system tags 0/1/2 included)? */
  tagExists(appid: string, tagId: number): Promise<boolean>;
  /** The user's tag ids in the account, in the order they were added (oldest first). */
  tagsOfUser(appid: string, userId: string): Promise<number[]>;
}

const NO_TAGS: TagLookup = {
  tagExists: async () => true,
  tagsOfUser: async () => [],
};

const lookups = new WeakMap<Db, TagLookup>();

/** Install the tag lookup of the platform that owns `db` (called by the tags module's setup). */
export function provideTagLookup(db: Db, lookup: TagLookup): void {
  lookups.set(db, lookup);
}

export function tagLookup(db: Db): TagLookup {
  return lookups.get(db) ?? NO_TAGS;
}
