/** Columns this module adds to `follows` (migration `user-api.001`). */
import type { FollowGroupColumn } from "../tags/tables.js";
import type { FollowTable } from "../users/tables.js";

export interface FollowUserApiColumns {
  /** Operator remark (updateremark), "" by default. */
  remark: string;
  /** 1 when the account blacklisted the user (users.md §8). */
  blacklisted: number;
  /** When (ms) the user was last blacklisted; null if never. */
  blacklisted_at: number | null;
}

/** `follows` with every user-management column, for `db.withTables<FollowsFull>()`. */
export type FollowsFull = { follows: FollowTable & FollowGroupColumn & FollowUserApiColumns };
