/** Tables of the simulated-users module: the simulated people, their follows and UnionIDs. */
export interface UserTable {
  /** The simulated person's id (`alice`); global, not an OpenID. */
  id: string;
  nickname: string;
  avatar_url: string;
  sex: number;
  language: string;
  country: string;
  province: string;
  city: string;
  created_at: number;
}

/**
 * One row per (account, user) once the account has seen the user (follow or OAuth): the OpenID
 * lives here and never changes; `subscribed` is the current follow state. The account's own notes
 * on the follower (remark, blacklist, legacy group) live here too, so user/info reads one row; the
 * followers and follower-tags modules write them through this module's migrations.
 */
export interface FollowTable {
  appid: string;
  user_id: string;
  openid: string;
  subscribed: number;
  /** Latest follow (ms); 0 if never followed (OAuth-only). */
  subscribe_time: number;
  subscribe_scene: string;
  qr_scene: number;
  qr_scene_str: string;
  /** Latest unfollow (ms), null if never. */
  unsubscribe_time: number | null;
  created_at: number;
  /** Operator remark (updateremark), "" by default. */
  remark: string;
  /** 1 when the account blacklisted the user (users.md §8). */
  blacklisted: number;
  /** When (ms) the user was last blacklisted; null if never. */
  blacklisted_at: number | null;
  /** Legacy group (users.md §4): 0 = 未分组 unless moved. */
  groupid: number;
}

export interface UnionIdTable {
  open_platform_id: string;
  user_id: string;
  unionid: string;
}

declare module "../../db/schema.js" {
  interface Database {
    users: UserTable;
    follows: FollowTable;
    unionids: UnionIdTable;
  }
}
