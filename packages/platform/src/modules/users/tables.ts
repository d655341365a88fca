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
 * lives here and never changes; `subscribed` is the current follow state. Later migrations add
 * columns (remark, blacklist, …) with `alterTable("follows").addColumn(...)`.
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
