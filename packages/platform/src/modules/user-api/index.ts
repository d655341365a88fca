/**
 * User-management API module: remarks, user/info (+ batchget), the follower list, the blacklist.
 * `isBlacklisted` is for modules that must refuse a blacklisted user (push), `seedFollowers` for
 * tests and benchmarks that need a large world quickly.
 */
import type { PlatformModule } from "../../context.js";
import { implementUserApi } from "./api.js";
import { userApiMigrations } from "./migrations.js";
import { forgetFollowerCount } from "./store.js";

export const userApiModule: PlatformModule = {
  name: "user-api",
  migrations: userApiMigrations,
  setup(ctx) {
    implementUserApi(ctx);
    ctx.events.on("user.followed", (e) => forgetFollowerCount(ctx.db, e.appid));
    ctx.events.on("user.unfollowed", (e) => forgetFollowerCount(ctx.db, e.appid));
    ctx.events.on("world.replaced", () => forgetFollowerCount(ctx.db));
  },
};

export { type SeedFollowersOptions, seedFollowers } from "./seed.js";
export * from "./store.js";
export type { FollowsFull, FollowUserApiColumns } from "./tables.js";
