/**
 * Followers module: WeChat's user-management API over an account's followers (users.md §5–8) —
 * remarks, user/info (+ batchget), the follower list, the blacklist. Not the simulated people
 * themselves (that is the simulated-users module). `isBlacklisted` is for modules that must refuse
 * a blacklisted user (push).
 */
import { defineModule } from "../../module.js";
import { implementFollowersApi } from "./api.js";

export const followersModule = defineModule({
  name: "followers",
  requires: ["accounts", "simulated-users", "follower-tags"],
  setup(ctx) {
    implementFollowersApi(ctx);
  },
});

export * from "./store.js";
