/**
 * User-management API module: remarks, user/info (+ batchget), the follower list, the blacklist.
 * `isBlacklisted` is for modules that must refuse a blacklisted user (push), `seedFollowers` for
 * tests and benchmarks that need a large world quickly.
 */
import type { PlatformModule } from "../../context.js";
import { implementUserApi } from "./api.js";
import { userApiMigrations } from "./migrations.js";

export const userApiModule: PlatformModule = {
  name: "user-api",
  migrations: userApiMigrations,
  setup(ctx) {
    implementUserApi(ctx);
  },
};

export { type SeedFollowersOptions, seedFollowers } from "./seed.js";
export * from "./store.js";
export type { FollowsFull, FollowUserApiColumns } from "./tables.js";
