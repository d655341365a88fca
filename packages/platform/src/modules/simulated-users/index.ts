/**
 * Simulated users: the WeChat people of this world (not WeChat's user API — that is the followers
 * module), their follows of accounts (one OpenID per account) and UnionIDs, their config sections,
 * and the simulator routes that create users and make them follow or unfollow.
 */
import { randomBytes } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { checkConfig } from "../../config/check.js";
import type { PlatformConfig } from "../../config/types.js";
import { checkedInput, conflict } from "../../http/simulator.js";
import { defineModule } from "../../module.js";
import type { World } from "../../world.js";
import { getAccount, requireAccount } from "../accounts/index.js";
import { followsSection, readUser, SceneSchema, UserSchema, usersSection } from "./config.js";
import { userMigrations } from "./migrations.js";
import {
  follow,
  followersOf,
  followsOfUser,
  followView,
  forgetFollowerCount,
  getFollow,
  getUser,
  listUsers,
  requireUser,
  unfollow,
  upsertUser,
  userView,
} from "./store.js";

const UserBody = Type.Object(
  { ...UserSchema.properties, id: Type.Optional(UserSchema.properties.id) },
  { additionalProperties: false },
);
const UserParams = Type.Object({ user: Type.String() });
const FollowBody = Type.Object({
  appid: Type.String(),
  scene: Type.Optional(Type.String({ description: "subscribe_scene, default ADD_SCENE_OTHERS" })),
  qrScene: Type.Optional(Type.Integer({ minimum: 0 })),
  qrSceneStr: Type.Optional(Type.String()),
});
const Paging = Type.Object({
  after: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

/** The config's users and follows. A declared follow is made once: a later unfollow stays. */
async function seedUsers(w: World, config: PlatformConfig): Promise<void> {
  for (const u of config.users) await upsertUser(w, u);
  for (const f of config.follows) {
    const account = await getAccount(w.db, f.account);
    if (!account) continue;
    if (await getFollow(w.db, f.account, f.user)) continue;
    await follow(w, account, f.user, {
      scene: f.scene,
      qrScene: f.qrScene,
      qrSceneStr: f.qrSceneStr,
      silent: true,
    });
  }
}

export const simulatedUsersModule = defineModule({
  name: "simulated-users",
  requires: ["accounts"],
  migrations: userMigrations,
  config: [usersSection, followsSection],
  seed: seedUsers,
  setup(ctx) {
    ctx.events.on("user.followed", (e) => forgetFollowerCount(ctx.db, e.appid));
    ctx.events.on("user.unfollowed", (e) => forgetFollowerCount(ctx.db, e.appid));
    ctx.events.on("world.replaced", () => forgetFollowerCount(ctx.db));
    const sim = ctx.simulator;
    sim.route({
      method: "GET",
      url: "/users",
      tag: "users",
      summary: "List simulated users (by id; page with ?after=<last id>).",
      query: Paging,
      handler: async ({ query }) => ({ users: (await listUsers(ctx.db, query)).map(userView) }),
    });
    sim.route({
      method: "POST",
      url: "/users",
      tag: "users",
      summary: "Create a simulated user (id generated when omitted).",
      body: UserBody,
      bodyName: "user",
      handler: async ({ body }) => {
        const cfg = checkedInput(() =>
          readUser({ ...body, id: body.id ?? `u_${randomBytes(5).toString("hex")}` }, "user"),
        );
        if (await getUser(ctx.db, cfg.id)) throw conflict(`user ${cfg.id} exists`);
        return userView(await upsertUser(ctx, cfg));
      },
    });
    sim.route({
      method: "GET",
      url: "/users/:user",
      tag: "users",
      summary: "One user, with their OpenID/UnionID and follow state in every account that has seen them.",
      params: UserParams,
      handler: async ({ params }) => {
        const u = await requireUser(ctx.db, params.user);
        const follows = await followsOfUser(ctx.db, u.id);
        const views = [];
        for (const f of follows) {
          const a = await getAccount(ctx.db, f.appid);
          const unionid = a?.openPlatformId
            ? ((
                await ctx.db
                  .selectFrom("unionids")
                  .select("unionid")
                  .where("open_platform_id", "=", a.openPlatformId)
                  .where("user_id", "=", u.id)
                  .executeTakeFirst()
              )?.unionid ?? null)
            : null;
          views.push(followView(f, unionid));
        }
        return { ...userView(u), follows: views };
      },
    });
    sim.route({
      method: "POST",
      url: "/users/:user/follow",
      tag: "users",
      summary: "The user follows the account; answers the OpenID (kept across unfollow/re-follow).",
      params: UserParams,
      body: FollowBody,
      handler: async ({ params, body }) => {
        await requireUser(ctx.db, params.user);
        const account = await requireAccount(ctx.db, body.appid);
        const scene =
          body.scene ?? (body.qrScene || body.qrSceneStr ? "ADD_SCENE_QR_CODE" : "ADD_SCENE_OTHERS");
        checkedInput(() => checkConfig(SceneSchema, scene, "scene"));
        const r = await follow(ctx, account, params.user, {
          scene,
          ...(body.qrScene !== undefined ? { qrScene: body.qrScene } : {}),
          ...(body.qrSceneStr !== undefined ? { qrSceneStr: body.qrSceneStr } : {}),
        });
        return {
          openid: r.openid,
          unionid: r.unionid,
          subscribed: true,
          changed: r.changed,
          refollow: r.refollow,
          subscribeTime: Math.floor(r.subscribeTime / 1000),
        };
      },
    });
    sim.route({
      method: "POST",
      url: "/users/:user/unfollow",
      tag: "users",
      summary: "The user unfollows the account; answers the OpenID.",
      params: UserParams,
      body: Type.Object({ appid: Type.String() }),
      handler: async ({ params, body }) => {
        await requireUser(ctx.db, params.user);
        const account = await requireAccount(ctx.db, body.appid);
        const r = await unfollow(ctx, account, params.user);
        if (r.openid === null) throw conflict(`user ${params.user} never followed ${body.appid}`);
        return { openid: r.openid, subscribed: false, changed: r.changed };
      },
    });
    sim.route({
      method: "GET",
      url: "/accounts/:appid/followers",
      tag: "users",
      summary:
        "An account's followers in OpenID order (?all=true includes former followers; page with ?after=<openid>).",
      params: Type.Object({ appid: Type.String() }),
      query: Type.Object({
        after: Type.Optional(Type.String()),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        all: Type.Optional(Type.Boolean()),
      }),
      handler: async ({ params, query }) => {
        const account = await requireAccount(ctx.db, params.appid);
        const rows = await followersOf(ctx.db, account.appid, query);
        const unionids = new Map<string, string>();
        if (account.openPlatformId && rows.length > 0) {
          const found = await ctx.db
            .selectFrom("unionids")
            .select(["user_id", "unionid"])
            .where("open_platform_id", "=", account.openPlatformId)
            .where(
              "user_id",
              "in",
              rows.map((f) => f.user_id),
            )
            .execute();
          for (const u of found) unionids.set(u.user_id, u.unionid);
        }
        return { followers: rows.map((f) => followView(f, unionids.get(f.user_id) ?? null)) };
      },
    });
  },
});

export * from "./config.js";
export * from "./ids.js";
export { type SeedFollowersOptions, seedFollowers } from "./seed.js";
export * from "./store.js";
