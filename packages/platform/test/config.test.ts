import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfigFile, validateConfig } from "../src/index.js";
import { tempDir } from "./helpers.js";

const ISSUE_EXAMPLE = {
  openPlatforms: [{ id: "op1" }],
  accounts: [
    {
      appid: "wx0000000000000001",
      secret: "0123456789abcdef0123456789abcdef",
      name: "Demo",
      type: "service",
      verified: true,
      openPlatform: "op1",
      grants: ["pay"],
      server: {
        url: "http://127.0.0.1:3000/wechat",
        token: "tok",
        encodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        mode: "safe",
      },
    },
  ],
  users: [{ id: "alice", nickname: "Alice" }],
  follows: [{ user: "alice", account: "wx0000000000000001" }],
};

function messageOf(raw: unknown): string {
  try {
    validateConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("config was accepted");
}

const withAccount = (patch: Record<string, unknown>) => ({
  ...ISSUE_EXAMPLE,
  accounts: [{ ...ISSUE_EXAMPLE.accounts[0], ...patch }],
});

describe("config validation", () => {
  it("accepts the issue's example and fills defaults", () => {
    const c = validateConfig(ISSUE_EXAMPLE);
    expect(c.accounts[0]).toMatchObject({
      appid: "wx0000000000000001",
      type: "service",
      verified: true,
      grants: ["pay"],
    });
    expect(c.accounts[0]!.originalId).toMatch(/^gh_[0-9a-f]{12}$/);
    expect(c.follows[0]).toEqual({
      user: "alice",
      account: "wx0000000000000001",
      scene: "ADD_SCENE_OTHERS",
      qrScene: 0,
      qrSceneStr: "",
    });
    const minimal = validateConfig({
      accounts: [{ appid: "wx0000000000000002", secret: "f".repeat(32), type: "subscription" }],
    });
    expect(minimal.accounts[0]!.server.token).toMatch(/^[A-Za-z0-9]{3,32}$/);
    expect(minimal.accounts[0]!.server.encodingAESKey).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(
      validateConfig({
        accounts: [{ appid: "wx0000000000000002", secret: "f".repeat(32), type: "subscription" }],
      }),
    ).toEqual(minimal);
  });

  it.each([
    [withAccount({ secret: "32 hex chars" }), "accounts[0].secret: must be 32 hex characters"],
    [
      withAccount({ appid: "wx123" }),
      'accounts[0].appid: must be "wx" followed by 16 lower-case hex characters',
    ],
    [withAccount({ appid: undefined }), "accounts[0].appid: is required"],
    [withAccount({ type: "enterprise" }), 'accounts[0].type: must be "subscription" or "service"'],
    [withAccount({ verified: "yes" }), "accounts[0].verified: must be true or false"],
    [
      withAccount({ grants: ["pay", "fly"] }),
      'accounts[0].grants[1]: must be "pay", "shop", "card" or "device"',
    ],
    [
      withAccount({ openPlatform: "op2" }),
      'accounts[0].openPlatform: no open platform with id "op2" in openPlatforms',
    ],
    [
      withAccount({ server: { mode: "secret" } }),
      'accounts[0].server.mode: must be "plain", "compatible" or "safe"',
    ],
    [
      withAccount({ server: { encodingAESKey: "short" } }),
      "accounts[0].server.encodingAESKey: must be 43 letters or digits",
    ],
    [withAccount({ server: { token: "a!" } }), "accounts[0].server.token: must be 3 to 32 letters or digits"],
    [
      withAccount({ server: { url: "ftp://x" } }),
      "accounts[0].server.url: must be an http:// or https:// URL (or empty)",
    ],
    [
      withAccount({ ipWhitelist: ["1.2.3.4/40"] }),
      "accounts[0].ipWhitelist[0]: must be an IP address or CIDR range",
    ],
    [withAccount({ colour: "red" }), "accounts[0].colour: unknown field"],
    [
      withAccount({ policies: { wrongSecretCode: 1 } }),
      "accounts[0].policies.wrongSecretCode: must be one of 40125, 40001",
    ],
    [
      { ...ISSUE_EXAMPLE, accounts: [ISSUE_EXAMPLE.accounts[0], ISSUE_EXAMPLE.accounts[0]] },
      'accounts[1].appid: duplicate "wx0000000000000001"',
    ],
    [
      { ...ISSUE_EXAMPLE, follows: [{ user: "bob", account: "wx0000000000000001" }] },
      'follows[0].user: no user with id "bob" in users',
    ],
    [
      { ...ISSUE_EXAMPLE, follows: [{ user: "alice", account: "wx0000000000000009" }] },
      'follows[0].account: no account with appid "wx0000000000000009" in accounts',
    ],
    [
      { ...ISSUE_EXAMPLE, follows: [{ user: "alice", account: "wx0000000000000001", scene: "X" }] },
      "follows[0].scene: must be one of",
    ],
    [{ ...ISSUE_EXAMPLE, users: [{ nickname: "no id" }] }, "users[0].id: is required"],
    [{ ...ISSUE_EXAMPLE, accounts: {} }, "accounts: must be an array"],
    [
      { ...ISSUE_EXAMPLE, policies: { permissionOverrides: { "user.nope": { VS: "no" } } } },
      "policies.permissionOverrides.user.nope: unknown permission row",
    ],
    [
      { ...ISSUE_EXAMPLE, policies: { dailyQuotas: { "/cgi-bin/user/get": -1 } } },
      "policies.dailyQuotas./cgi-bin/user/get: must be a non-negative integer or null",
    ],
    [{ acounts: [] }, "acounts: unknown field"],
    [[], "config: must be an object"],
  ])("names the bad field: %#", (raw, message) => {
    expect(messageOf(raw)).toContain(message);
  });

  it("reads JSON and YAML files and reports syntax errors with the file name", async () => {
    const dir = tempDir();
    const yaml = join(dir, "world.yaml");
    writeFileSync(
      yaml,
      [
        "openPlatforms: [{ id: op1 }]",
        "accounts:",
        "  - appid: wx0000000000000001",
        "    secret: 0123456789abcdef0123456789abcdef",
        "    type: subscription",
        "    openPlatform: op1",
        "users: [{ id: alice }]",
        "follows: [{ user: alice, account: wx0000000000000001 }]",
      ].join("\n"),
    );
    expect((await loadConfigFile(yaml)).accounts[0]!.type).toBe("subscription");
    const json = join(dir, "world.json");
    writeFileSync(json, JSON.stringify(ISSUE_EXAMPLE));
    expect((await loadConfigFile(json)).users[0]!.id).toBe("alice");
    writeFileSync(json, "{ nope");
    await expect(loadConfigFile(json)).rejects.toThrow(/world\.json: not valid JSON/);
    await expect(loadConfigFile(join(dir, "missing.json"))).rejects.toThrow(/cannot read \(ENOENT\)/);
  });
});
