/**
 * The simulated-users module's config sections, `users` and `follows`, and the user shape the
 * simulator's user routes take: TypeBox schemas (the same ones validate the config file and the
 * simulator inputs), defaults, and the cross-checks (a follow names a declared user and account).
 */
import { Type } from "@sinclair/typebox";
import { checkConfig, fail, uniqueBy } from "../../config/check.js";
import { configSection } from "../../config/types.js";
import { ID_PATTERN } from "../accounts/index.js";

export interface UserConfig {
  id: string;
  nickname: string;
  avatarUrl: string;
  /** 0 unknown, 1 male, 2 female (OAuth userinfo). */
  sex: number;
  language: string;
  country: string;
  province: string;
  city: string;
}

export interface FollowConfig {
  user: string;
  account: string;
  /** subscribe_scene, default ADD_SCENE_OTHERS. */
  scene: string;
  qrScene: number;
  qrSceneStr: string;
}

declare module "../../config/types.js" {
  interface PlatformConfig {
    users: UserConfig[];
    follows: FollowConfig[];
  }
}

export const SUBSCRIBE_SCENES = [
  "ADD_SCENE_SEARCH",
  "ADD_SCENE_ACCOUNT_MIGRATION",
  "ADD_SCENE_PROFILE_CARD",
  "ADD_SCENE_QR_CODE",
  "ADD_SCENE_PROFILE_LINK",
  "ADD_SCENE_PROFILE_ITEM",
  "ADD_SCENE_PAID",
  "ADD_SCENE_WECHAT_ADVERTISEMENT",
  "ADD_SCENE_REPRINT",
  "ADD_SCENE_LIVESTREAM",
  "ADD_SCENE_CHANNELS",
  "ADD_SCENE_OTHERS",
] as const;

/** A subscribe scene (`ADD_SCENE_…`). */
export const SceneSchema = Type.Union(
  SUBSCRIBE_SCENES.map((s) => Type.Literal(s)),
  { errorMessage: `must be one of ${SUBSCRIBE_SCENES.join(", ")}` },
);

/** A user as the config file (and `POST /_mpstack/users`) writes it. */
export const UserSchema = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN, errorMessage: "must be 1 to 64 letters, digits or _ . @ -" }),
    nickname: Type.Optional(Type.String({ maxLength: 64 })),
    avatarUrl: Type.Optional(Type.String({ maxLength: 2048 })),
    sex: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2, errorMessage: "must be 0 (unknown), 1 (male) or 2 (female)" }),
    ),
    language: Type.Optional(Type.String({ maxLength: 16 })),
    country: Type.Optional(Type.String({ maxLength: 64 })),
    province: Type.Optional(Type.String({ maxLength: 64 })),
    city: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const FollowSchema = Type.Object(
  {
    user: Type.String(),
    account: Type.String(),
    scene: Type.Optional(SceneSchema),
    qrScene: Type.Optional(Type.Integer({ minimum: 0 })),
    qrSceneStr: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** One user, checked and with its defaults (config file and simulator alike). */
export function readUser(raw: unknown, field: string): UserConfig {
  const u = checkConfig(UserSchema, raw, field);
  return {
    id: u.id,
    nickname: u.nickname ?? u.id,
    avatarUrl: u.avatarUrl ?? "",
    sex: u.sex ?? 0,
    language: u.language ?? "zh_CN",
    country: u.country ?? "",
    province: u.province ?? "",
    city: u.city ?? "",
  };
}

const list = (raw: unknown, field: string): unknown[] =>
  raw === undefined ? [] : checkConfig(Type.Array(Type.Unknown()), raw, field);

export const usersSection = configSection("users", (raw) => {
  const users = list(raw, "users").map((v, i) => readUser(v, `users[${i}]`));
  uniqueBy(users, (u) => u.id, "users", "id");
  return users;
});

export const followsSection = configSection("follows", (raw, sofar) => {
  const users = new Set((sofar.users ?? []).map((u) => u.id));
  const accounts = new Set((sofar.accounts ?? []).map((a) => a.appid));
  return list(raw, "follows").map((v, i) => {
    const f = `follows[${i}]`;
    const x = checkConfig(FollowSchema, v, f);
    if (!users.has(x.user)) fail(`${f}.user`, `no user with id "${x.user}" in users`);
    if (!accounts.has(x.account)) fail(`${f}.account`, `no account with appid "${x.account}" in accounts`);
    return {
      user: x.user,
      account: x.account,
      scene: x.scene ?? "ADD_SCENE_OTHERS",
      qrScene: x.qrScene ?? 0,
      qrSceneStr: x.qrSceneStr ?? "",
    };
  });
});
