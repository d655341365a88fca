/**
 * The demo world, seeded when the platform starts with no config and an empty data folder:
 * one account of each of the four kinds, all bound to one open platform (so UnionIDs are shared),
 * and a handful of users following them. Appids and secrets are fixed and readable, so docs and
 * scripts can name them. The server URL is empty until a demo bot exists: pass `demoBotUrl`.
 */
import type { PlatformConfig } from "./config/types.js";
import { validateConfig } from "./config-file.js";

export const DEMO_OPEN_PLATFORM = "demo-open";

const DEMO_KINDS = [
  { n: 1, name: "Demo subscription (unverified)", type: "subscription", verified: false },
  { n: 2, name: "Demo subscription (verified)", type: "subscription", verified: true },
  { n: 3, name: "Demo service (unverified)", type: "service", verified: false },
  { n: 4, name: "Demo service (verified)", type: "service", verified: true },
] as const;

/** `wxd000000000000001` … `wxd000000000000004`. */
export const demoAppid = (n: number) => `wxd${String(n).padStart(15, "0")}`;
/** `d0000000000000000000000000000001` … (32 hex). */
export const demoSecret = (n: number) => `d${String(n).padStart(31, "0")}`;

const USERS = [
  { id: "alice", nickname: "Alice", sex: 2, city: "Shanghai" },
  { id: "bob", nickname: "Bob", sex: 1, city: "Beijing" },
  { id: "carol", nickname: "Carol", sex: 2, city: "Shenzhen" },
  { id: "dave", nickname: "Dave", sex: 1, city: "Hangzhou" },
  { id: "erin", nickname: "Erin", sex: 2, city: "Chengdu" },
];

export function demoConfig(demoBotUrl = ""): PlatformConfig {
  return validateConfig({
    openPlatforms: [{ id: DEMO_OPEN_PLATFORM, name: "Demo open platform" }],
    accounts: DEMO_KINDS.map((k) => ({
      appid: demoAppid(k.n),
      secret: demoSecret(k.n),
      name: k.name,
      type: k.type,
      verified: k.verified,
      openPlatform: DEMO_OPEN_PLATFORM,
      grants: k.n === 4 ? ["pay"] : [],
      server: {
        url: demoBotUrl,
        token: "mpstackdemo",
        encodingAESKey: `mpstackDemoEncodingAESKey${String(k.n).padStart(18, "0")}`,
        mode: "safe",
      },
      oauthDomains: ["127.0.0.1", "localhost"],
      jssdkDomains: ["127.0.0.1", "localhost"],
    })),
    users: USERS.map((u) => ({ ...u, country: "China", language: "zh_CN" })),
    // Everyone follows the verified service account; the others have fewer followers.
    follows: [
      ...USERS.map((u) => ({ user: u.id, account: demoAppid(4), scene: "ADD_SCENE_SEARCH" })),
      ...USERS.slice(0, 3).map((u) => ({ user: u.id, account: demoAppid(2), scene: "ADD_SCENE_QR_CODE" })),
      ...USERS.slice(0, 2).map((u) => ({ user: u.id, account: demoAppid(3) })),
      { user: "alice", account: demoAppid(1), scene: "ADD_SCENE_PROFILE_CARD" },
    ],
  });
}
