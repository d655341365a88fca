/**
 * Config validation: one clear message naming the first bad field
 * (`accounts[0].secret: must be 32 hex characters`), thrown as ConfigError; the CLI prints it and
 * refuses to start.
 */

import type { Grant } from "@mpstack/protocol";
import { PERMISSION_IDS } from "@mpstack/protocol";
import { isWhitelistEntry } from "../http/ip.js";
import { deriveEncodingAESKey, deriveOriginalId, deriveServerToken } from "./derive.js";
import { DEFAULT_POLICIES, type Policies } from "./policies.js";
import {
  type AccountConfig,
  type FollowConfig,
  type OpenPlatformConfig,
  type PlatformConfig,
  SUBSCRIBE_SCENES,
  type UserConfig,
} from "./types.js";

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "ConfigError";
  }
}

type Obj = Record<string, unknown>;

export const APPID_RE = /^wx[0-9a-f]{16}$/;
export const SECRET_RE = /^[0-9a-f]{32}$/;
export const TOKEN_RE = /^[A-Za-z0-9]{3,32}$/;
export const AES_KEY_RE = /^[A-Za-z0-9]{43}$/;
export const USER_ID_RE = /^[A-Za-z0-9_.@-]{1,64}$/;
const GRANTS: Record<string, Grant> = {
  pay: "pay",
  shop: "shop",
  card: "card",
  cards: "card",
  device: "device",
};

function fail(field: string, problem: string): never {
  throw new ConfigError(field, problem);
}

function obj(v: unknown, field: string): Obj {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(field, "must be an object");
  return v as Obj;
}

function arr(v: unknown, field: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(field, "must be an array");
  return v;
}

function str(
  o: Obj,
  key: string,
  field: string,
  opts: { required?: boolean; re?: RegExp; hint?: string; def?: string } = {},
): string {
  const v = o[key];
  if (v === undefined || v === null) {
    if (opts.required) fail(`${field}.${key}`, "is required");
    return opts.def ?? "";
  }
  if (typeof v !== "string") fail(`${field}.${key}`, "must be a string");
  if (opts.re && !opts.re.test(v)) fail(`${field}.${key}`, opts.hint ?? `must match ${opts.re}`);
  return v;
}

function bool(o: Obj, key: string, field: string, def: boolean): boolean {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== "boolean") fail(`${field}.${key}`, "must be true or false");
  return v;
}

function int(o: Obj, key: string, field: string, def: number): number {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
    fail(`${field}.${key}`, "must be a non-negative integer");
  return v;
}

function strList(
  o: Obj,
  key: string,
  field: string,
  check?: (s: string) => boolean,
  hint?: string,
): string[] {
  return arr(o[key], `${field}.${key}`).map((v, i) => {
    if (typeof v !== "string" || (check && !check(v)))
      fail(`${field}.${key}[${i}]`, hint ?? "must be a string");
    return v;
  });
}

function only(o: Obj, field: string, keys: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k)) fail(`${field}.${k}`, `unknown field (expected one of: ${keys.join(", ")})`);
}

export function validatePolicies(v: unknown, field: string): Partial<Policies> {
  if (v === undefined) return {};
  const o = obj(v, field);
  only(o, field, Object.keys(DEFAULT_POLICIES));
  const out: Partial<Policies> = {};
  const choice = <K extends keyof Policies>(k: K, allowed: readonly number[]) => {
    if (o[k] === undefined) return;
    if (!allowed.includes(o[k] as number)) fail(`${field}.${k}`, `must be one of ${allowed.join(", ")}`);
    (out as Obj)[k] = o[k];
  };
  choice("wrongSecretCode", [40125, 40001]);
  choice("whitelistCode", [40164, 61004]);
  choice("malformedTokenCode", [40014, 40001]);
  for (const k of [
    "tokenTtlSeconds",
    "tokenOverlapSeconds",
    "stableForceRefreshGraceSeconds",
    "stableForceRefreshPerDay",
    "stableForceRefreshMinIntervalSeconds",
    "clearQuotaMonthlyLimit",
  ] as const) {
    if (o[k] !== undefined) out[k] = int(o, k, field, 0);
  }
  for (const k of ["blacklistPageSize", "remarkMaxBytes"] as const) {
    if (o[k] === undefined) continue;
    const n = int(o, k, field, 0);
    if (n < 1) fail(`${field}.${k}`, "must be a positive integer");
    out[k] = n;
  }
  if (o.dailyQuotas !== undefined) {
    const q = obj(o.dailyQuotas, `${field}.dailyQuotas`);
    for (const [path, n] of Object.entries(q)) {
      if (!path.startsWith("/")) fail(`${field}.dailyQuotas.${path}`, "keys are API paths starting with /");
      if (n !== null && (typeof n !== "number" || !Number.isInteger(n) || n < 0)) {
        fail(`${field}.dailyQuotas.${path}`, "must be a non-negative integer or null (unlimited)");
      }
    }
    out.dailyQuotas = q as Record<string, number | null>;
  }
  if (o.permissionOverrides !== undefined) {
    const p = obj(o.permissionOverrides, `${field}.permissionOverrides`);
    for (const [id, cells] of Object.entries(p)) {
      const f = `${field}.permissionOverrides.${id}`;
      if (!(PERMISSION_IDS as string[]).includes(id))
        fail(f, "unknown permission row (see spec/permissions.md)");
      for (const [kind, cell] of Object.entries(obj(cells, f))) {
        if (!["US", "VS", "UV", "VV"].includes(kind)) fail(`${f}.${kind}`, "must be US, VS, UV or VV");
        if (!["yes", "no", "apply"].includes(cell as string))
          fail(`${f}.${kind}`, 'must be "yes", "no" or "apply"');
      }
    }
    out.permissionOverrides = p as Policies["permissionOverrides"];
  }
  return out;
}

export function validateAccount(
  v: unknown,
  field: string,
  openPlatforms: ReadonlySet<string> | null,
): AccountConfig {
  const o = obj(v, field);
  only(o, field, [
    "appid",
    "secret",
    "name",
    "type",
    "verified",
    "openPlatform",
    "grants",
    "originalId",
    "server",
    "ipWhitelist",
    "oauthDomains",
    "jssdkDomains",
    "policies",
  ]);
  const appid = str(o, "appid", field, {
    required: true,
    re: APPID_RE,
    hint: 'must be "wx" followed by 16 lower-case hex characters',
  });
  const secret = str(o, "secret", field, {
    required: true,
    re: SECRET_RE,
    hint: "must be 32 hex characters",
  });
  const type = str(o, "type", field, { required: true });
  if (type !== "subscription" && type !== "service")
    fail(`${field}.type`, 'must be "subscription" or "service"');
  const openPlatform =
    o.openPlatform === undefined || o.openPlatform === null ? null : str(o, "openPlatform", field);
  if (openPlatform !== null && openPlatforms && !openPlatforms.has(openPlatform)) {
    fail(`${field}.openPlatform`, `no open platform with id "${openPlatform}" in openPlatforms`);
  }
  const grants = arr(o.grants, `${field}.grants`).map((g, i) => {
    const grant = typeof g === "string" ? GRANTS[g] : undefined;
    if (!grant) fail(`${field}.grants[${i}]`, 'must be "pay", "shop", "card" or "device"');
    return grant;
  });
  const s = o.server === undefined ? {} : obj(o.server, `${field}.server`);
  const sf = `${field}.server`;
  only(s, sf, ["url", "token", "encodingAESKey", "mode"]);
  const url = str(s, "url", sf);
  if (url !== "" && !/^https?:\/\/[^\s]+$/.test(url))
    fail(`${sf}.url`, "must be an http:// or https:// URL (or empty)");
  const mode = str(s, "mode", sf, { def: "plain" });
  if (mode !== "plain" && mode !== "compatible" && mode !== "safe")
    fail(`${sf}.mode`, 'must be "plain", "compatible" or "safe"');
  return {
    appid,
    secret,
    name: str(o, "name", field, { def: appid }),
    type,
    verified: bool(o, "verified", field, false),
    openPlatform,
    grants: [...new Set(grants)],
    originalId: str(o, "originalId", field, {
      re: /^gh_[0-9a-f]{12}$/,
      hint: 'must be "gh_" followed by 12 hex characters',
      def: deriveOriginalId(appid),
    }),
    server: {
      url,
      token: str(s, "token", sf, {
        re: TOKEN_RE,
        hint: "must be 3 to 32 letters or digits",
        def: deriveServerToken(appid),
      }),
      encodingAESKey: str(s, "encodingAESKey", sf, {
        re: AES_KEY_RE,
        hint: "must be 43 letters or digits",
        def: deriveEncodingAESKey(appid),
      }),
      mode,
    },
    ipWhitelist: strList(o, "ipWhitelist", field, isWhitelistEntry, "must be an IP address or CIDR range"),
    oauthDomains: strList(o, "oauthDomains", field),
    jssdkDomains: strList(o, "jssdkDomains", field),
    policies: validatePolicies(o.policies, `${field}.policies`),
  };
}

export function validateUser(v: unknown, field: string): UserConfig {
  const o = obj(v, field);
  only(o, field, ["id", "nickname", "avatarUrl", "sex", "language", "country", "province", "city"]);
  const id = str(o, "id", field, {
    required: true,
    re: USER_ID_RE,
    hint: "must be 1 to 64 letters, digits or _ . @ -",
  });
  const sex = int(o, "sex", field, 0);
  if (sex > 2) fail(`${field}.sex`, "must be 0 (unknown), 1 (male) or 2 (female)");
  return {
    id,
    nickname: str(o, "nickname", field, { def: id }),
    avatarUrl: str(o, "avatarUrl", field),
    sex,
    language: str(o, "language", field, { def: "zh_CN" }),
    country: str(o, "country", field),
    province: str(o, "province", field),
    city: str(o, "city", field),
  };
}

export function validateScene(scene: string, field: string): void {
  if (!(SUBSCRIBE_SCENES as readonly string[]).includes(scene))
    fail(field, `must be one of ${SUBSCRIBE_SCENES.join(", ")}`);
}

/** Validate a parsed config file. Cross-references (follows → users/accounts) are checked too. */
export function validateConfig(raw: unknown): PlatformConfig {
  const o = obj(raw, "config");
  for (const k of Object.keys(o)) {
    if (!["openPlatforms", "accounts", "users", "follows", "policies", "$schema"].includes(k)) {
      fail(k, "unknown field (expected openPlatforms, accounts, users, follows, policies)");
    }
  }
  const openPlatforms: OpenPlatformConfig[] = arr(o.openPlatforms, "openPlatforms").map((v, i) => {
    const f = `openPlatforms[${i}]`;
    const p = obj(v, f);
    only(p, f, ["id", "name"]);
    const id = str(p, "id", f, {
      required: true,
      re: USER_ID_RE,
      hint: "must be 1 to 64 letters, digits or _ . @ -",
    });
    return { id, name: str(p, "name", f, { def: id }) };
  });
  const opIds = unique(
    openPlatforms.map((p) => p.id),
    "openPlatforms",
    "id",
  );
  const accounts = arr(o.accounts, "accounts").map((v, i) => validateAccount(v, `accounts[${i}]`, opIds));
  unique(
    accounts.map((a) => a.appid),
    "accounts",
    "appid",
  );
  const users = arr(o.users, "users").map((v, i) => validateUser(v, `users[${i}]`));
  const userIds = unique(
    users.map((u) => u.id),
    "users",
    "id",
  );
  const appids = new Set(accounts.map((a) => a.appid));
  const follows: FollowConfig[] = arr(o.follows, "follows").map((v, i) => {
    const f = `follows[${i}]`;
    const x = obj(v, f);
    only(x, f, ["user", "account", "scene", "qrScene", "qrSceneStr"]);
    const user = str(x, "user", f, { required: true });
    if (!userIds.has(user)) fail(`${f}.user`, `no user with id "${user}" in users`);
    const account = str(x, "account", f, { required: true });
    if (!appids.has(account)) fail(`${f}.account`, `no account with appid "${account}" in accounts`);
    const scene = str(x, "scene", f, { def: "ADD_SCENE_OTHERS" });
    validateScene(scene, `${f}.scene`);
    return { user, account, scene, qrScene: int(x, "qrScene", f, 0), qrSceneStr: str(x, "qrSceneStr", f) };
  });
  return { openPlatforms, accounts, users, follows, policies: validatePolicies(o.policies, "policies") };
}

function unique(values: string[], list: string, key: string): Set<string> {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) fail(`${list}[${i}].${key}`, `duplicate "${v}"`);
    seen.add(v);
  });
  return seen;
}

export const EMPTY_CONFIG: PlatformConfig = {
  openPlatforms: [],
  accounts: [],
  users: [],
  follows: [],
  policies: {},
};
