/**
 * Applying a config to the world: idempotent upserts, so starting twice with the same config
 * gives the same world and keeps what happened in between (tokens, conversations, later follows).
 */
import {
  accountFromConfig,
  getAccount,
  upsertAccount,
  upsertOpenPlatform,
} from "../modules/accounts/store.js";
import { follow, getFollow, upsertUser } from "../modules/users/store.js";
import type { World } from "../world.js";
import type { PlatformConfig } from "./types.js";

export async function applyConfig(w: World, config: PlatformConfig): Promise<void> {
  for (const p of config.openPlatforms) await upsertOpenPlatform(w, p);
  for (const a of config.accounts) await upsertAccount(w, accountFromConfig(a));
  for (const u of config.users) await upsertUser(w, u);
  for (const f of config.follows) {
    const account = await getAccount(w.db, f.account);
    if (!account) continue;
    // A declared follow is established once; a later unfollow (a test's doing) is not undone on restart.
    if (await getFollow(w.db, f.account, f.user)) continue;
    await follow(w, account, f.user, {
      scene: f.scene,
      qrScene: f.qrScene,
      qrSceneStr: f.qrSceneStr,
      silent: true,
    });
  }
}
