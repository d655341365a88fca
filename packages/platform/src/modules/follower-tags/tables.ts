/**
 * Tables of user tags and legacy groups (users.md §3, §4). Tag members are keyed by OpenID (what the
 * API speaks); `seq` orders one user's tags by tagging time (the last tag added matters to menus).
 */

export interface UserTagTable {
  appid: string;
  tag_id: number;
  name: string;
  created_at: number;
}

export interface UserTagMemberTable {
  appid: string;
  tag_id: number;
  openid: string;
  /** Per-account increasing number: the order tags were put on users. */
  seq: number;
  tagged_at: number;
}

/** Per-account id sequences: tag and group ids are never reused after a delete. */
export interface UserCounterTable {
  appid: string;
  next_tag_id: number;
  next_group_id: number;
  next_member_seq: number;
}

export interface UserGroupTable {
  appid: string;
  group_id: number;
  name: string;
  created_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    user_tags: UserTagTable;
    user_tag_members: UserTagMemberTable;
    user_counters: UserCounterTable;
    user_groups: UserGroupTable;
  }
}
