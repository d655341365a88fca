/**
 * The accounts module's config sections, `openPlatforms` and `accounts`, and the account shape the
 * simulator's account routes take: TypeBox schemas (the same ones validate the config file and the
 * simulator inputs), defaults derived from the appid, and the cross-checks a schema cannot say.
 */
import type { AccountType, Grant } from "@mpstack/protocol";
import { type Static, Type } from "@sinclair/typebox";
import type { ServerMode } from "../../account.js";
import { checkConfig, fail, uniqueBy } from "../../config/check.js";
import { deriveEncodingAESKey, deriveOriginalId, deriveServerToken } from "../../config/derive.js";
import { type Policies, readPolicies } from "../../config/policies.js";
import { configSection } from "../../config/types.js";
import { isWhitelistEntry } from "../../http/ip.js";

export interface OpenPlatformConfig {
  id: string;
  name: string;
}

export interface AccountConfig {
  appid: string;
  secret: string;
  name: string;
  type: AccountType;
  verified: boolean;
  openPlatform: string | null;
  grants: Grant[];
  /** `gh_` + 12 hex; derived from the appid when omitted. */
  originalId: string;
  server: { url: string; token: string; encodingAESKey: string; mode: ServerMode };
  ipWhitelist: string[];
  oauthDomains: string[];
  jssdkDomains: string[];
  policies: Partial<Policies>;
}

declare module "../../config/types.js" {
  interface PlatformConfig {
    openPlatforms: OpenPlatformConfig[];
    accounts: AccountConfig[];
  }
}

/** 1 to 64 letters, digits or `_ . @ -` (user and open-platform ids). */
export const ID_PATTERN = "^[A-Za-z0-9_.@-]{1,64}$";
const ID_MESSAGE = "must be 1 to 64 letters, digits or _ . @ -";
const GRANT_NAMES: Record<string, Grant> = {
  pay: "pay",
  shop: "shop",
  card: "card",
  cards: "card",
  device: "device",
};

const str = (pattern: string, errorMessage: string) => Type.String({ pattern, errorMessage });
const strings = () => Type.Array(Type.String());

export const OpenPlatformSchema = Type.Object(
  { id: str(ID_PATTERN, ID_MESSAGE), name: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export const ServerSchema = Type.Object(
  {
    url: Type.Optional(str("^(|https?://[^\\s]+)$", "must be an http:// or https:// URL (or empty)")),
    token: Type.Optional(str("^[A-Za-z0-9]{3,32}$", "must be 3 to 32 letters or digits")),
    encodingAESKey: Type.Optional(str("^[A-Za-z0-9]{43}$", "must be 43 letters or digits")),
    mode: Type.Optional(
      Type.Union([Type.Literal("plain"), Type.Literal("compatible"), Type.Literal("safe")], {
        errorMessage: 'must be "plain", "compatible" or "safe"',
      }),
    ),
  },
  { additionalProperties: false },
);

/** An account as the config file (and `POST /_mpstack/accounts`) writes it. */
export const AccountSchema = Type.Object(
  {
    appid: str("^wx[0-9a-f]{16}$", 'must be "wx" followed by 16 lower-case hex characters'),
    secret: str("^[0-9a-f]{32}$", "must be 32 hex characters"),
    name: Type.Optional(Type.String()),
    type: Type.Union([Type.Literal("subscription"), Type.Literal("service")], {
      errorMessage: 'must be "subscription" or "service"',
    }),
    verified: Type.Optional(Type.Boolean()),
    openPlatform: Type.Optional(
      Type.Union([Type.String(), Type.Null()], { errorMessage: "must be a string" }),
    ),
    grants: Type.Optional(
      Type.Array(
        Type.Union(
          Object.keys(GRANT_NAMES).map((g) => Type.Literal(g)),
          { errorMessage: 'must be "pay", "shop", "card" or "device"' },
        ),
      ),
    ),
    originalId: Type.Optional(str("^gh_[0-9a-f]{12}$", 'must be "gh_" followed by 12 hex characters')),
    server: Type.Optional(ServerSchema),
    ipWhitelist: Type.Optional(strings()),
    oauthDomains: Type.Optional(strings()),
    jssdkDomains: Type.Optional(strings()),
    policies: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type AccountInput = Static<typeof AccountSchema>;

/**
 * One account, checked and with its defaults; `openPlatforms` (when given) are the ids it may name.
 * Used for the config file and for the simulator's account routes alike.
 */
export function readAccount(
  raw: unknown,
  field: string,
  openPlatforms: ReadonlySet<string> | null,
): AccountConfig {
  const a = checkConfig(AccountSchema, raw, field);
  const openPlatform = a.openPlatform ?? null;
  if (openPlatform !== null && openPlatforms && !openPlatforms.has(openPlatform)) {
    fail(`${field}.openPlatform`, `no open platform with id "${openPlatform}" in openPlatforms`);
  }
  const ipWhitelist = a.ipWhitelist ?? [];
  ipWhitelist.forEach((entry, i) => {
    if (!isWhitelistEntry(entry)) fail(`${field}.ipWhitelist[${i}]`, "must be an IP address or CIDR range");
  });
  const s = a.server ?? {};
  return {
    appid: a.appid,
    secret: a.secret,
    name: a.name ?? a.appid,
    type: a.type,
    verified: a.verified ?? false,
    openPlatform,
    grants: [...new Set((a.grants ?? []).map((g) => GRANT_NAMES[g] as Grant))],
    originalId: a.originalId ?? deriveOriginalId(a.appid),
    server: {
      url: s.url ?? "",
      token: s.token ?? deriveServerToken(a.appid),
      encodingAESKey: s.encodingAESKey ?? deriveEncodingAESKey(a.appid),
      mode: s.mode ?? "plain",
    },
    ipWhitelist,
    oauthDomains: a.oauthDomains ?? [],
    jssdkDomains: a.jssdkDomains ?? [],
    policies: readPolicies(a.policies, `${field}.policies`),
  };
}

const list = (raw: unknown, field: string): unknown[] =>
  raw === undefined ? [] : checkConfig(Type.Array(Type.Unknown()), raw, field);

export const openPlatformsSection = configSection("openPlatforms", (raw) => {
  const platforms = list(raw, "openPlatforms").map((v, i) => {
    const p = checkConfig(OpenPlatformSchema, v, `openPlatforms[${i}]`);
    return { id: p.id, name: p.name ?? p.id };
  });
  uniqueBy(platforms, (p) => p.id, "openPlatforms", "id");
  return platforms;
});

export const accountsSection = configSection("accounts", (raw, sofar) => {
  const ids = new Set((sofar.openPlatforms ?? []).map((p) => p.id));
  const accounts = list(raw, "accounts").map((v, i) => readAccount(v, `accounts[${i}]`, ids));
  uniqueBy(accounts, (a) => a.appid, "accounts", "appid");
  return accounts;
});
