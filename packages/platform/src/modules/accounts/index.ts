/**
 * Accounts module: official accounts and open platforms, their config sections, their simulator
 * routes, and the hook through which the push module checks new server settings.
 */
import { Type } from "@sinclair/typebox";
import type { PlatformConfig } from "../../config/types.js";
import { badRequest, checkedInput, conflict, notFound } from "../../http/simulator.js";
import { defineModule } from "../../module.js";
import type { World } from "../../world.js";
import { AccountSchema, accountsSection, openPlatformsSection, readAccount } from "./config.js";
import { accountMigrations } from "./migrations.js";
import { addPermissionsRoute } from "./permissions-route.js";
import { type ServerCheck, serverChanged } from "./server-check.js";
import {
  accountConfigShape,
  accountFromConfig,
  accountView,
  getAccount,
  listAccounts,
  listOpenPlatforms,
  randomAppid,
  randomSecret,
  upsertAccount,
  upsertOpenPlatform,
} from "./store.js";

/** The simulator's account input: the config's account, every field optional (defaults or the current value fill in). */
const AccountBody = Type.Partial(AccountSchema, {
  additionalProperties: false,
  description: "Fields of an account, as in the config file's accounts[].",
});
const AppidParams = Type.Object({ appid: Type.String() });

const validated = (raw: unknown, openPlatforms: Set<string>) =>
  checkedInput(() => readAccount(raw, "account", openPlatforms));

export interface AccountServices {
  /** Install the check new server settings must pass before they are saved (the push handshake). */
  setServerCheck(check: ServerCheck): void;
}

declare module "../../module.js" {
  interface ModuleServices {
    accounts: AccountServices;
  }
}

/** The config's open platforms and accounts, upserted (starting twice gives the same world). */
async function seedAccounts(w: World, config: PlatformConfig): Promise<void> {
  for (const p of config.openPlatforms) await upsertOpenPlatform(w, p);
  for (const a of config.accounts) await upsertAccount(w, accountFromConfig(a));
}

export const accountsModule = defineModule({
  name: "accounts",
  migrations: accountMigrations,
  config: [openPlatformsSection, accountsSection],
  seed: seedAccounts,
  setup(ctx): AccountServices {
    let serverCheck: ServerCheck | undefined;
    const sim = ctx.simulator;
    const opIds = async () => new Set((await listOpenPlatforms(ctx.db)).map((p) => p.id));

    sim.route({
      method: "GET",
      url: "/accounts",
      tag: "accounts",
      summary: "List accounts (with their secrets, server settings and kind US/VS/UV/VV).",
      handler: async () => ({ accounts: (await listAccounts(ctx.db)).map(accountView) }),
    });
    sim.route({
      method: "POST",
      url: "/accounts",
      tag: "accounts",
      summary: "Create an account. appid and secret are generated when omitted; type defaults to service.",
      body: AccountBody,
      bodyName: "account",
      handler: async ({ body }) => {
        const raw = {
          type: "service",
          ...body,
          appid: body.appid ?? randomAppid(),
          secret: body.secret ?? randomSecret(),
        };
        const cfg = validated(raw, await opIds());
        if (await getAccount(ctx.db, cfg.appid)) throw conflict(`account ${cfg.appid} exists`);
        return accountView(await upsertAccount(ctx, accountFromConfig(cfg)));
      },
    });
    sim.route({
      method: "GET",
      url: "/accounts/:appid",
      tag: "accounts",
      summary: "One account.",
      params: AppidParams,
      handler: async ({ params }) => {
        const a = await getAccount(ctx.db, params.appid);
        if (!a) throw notFound(`account ${params.appid}`);
        return accountView(a);
      },
    });
    sim.route({
      method: "PATCH",
      url: "/accounts/:appid",
      tag: "accounts",
      summary:
        "Change an account: type, verified, grants, open platform, server settings (checked by the GET handshake unless ?handshake=false), whitelist, domains, policies.",
      params: AppidParams,
      body: AccountBody,
      bodyName: "account",
      query: Type.Object({
        handshake: Type.Optional(
          Type.Union([Type.Literal("true"), Type.Literal("false")], {
            description:
              "false: save new server settings without the GET handshake (scripts, servers not up yet)",
          }),
        ),
      }),
      handler: async ({ params, body, query }, reply) => {
        const a = await getAccount(ctx.db, params.appid);
        if (!a) throw notFound(`account ${params.appid}`);
        if (body.appid !== undefined && body.appid !== a.appid)
          throw badRequest("account.appid: cannot be changed");
        const current = accountConfigShape(a);
        const merged = { ...current, ...body, server: { ...a.server, ...body.server } };
        const next = accountFromConfig(validated(merged, await opIds()));
        // New server settings are saved only after the handshake, as WeChat does.
        const check = serverCheck;
        if (
          check &&
          query.handshake !== "false" &&
          next.server.url !== "" &&
          serverChanged(a.server, next.server)
        ) {
          const refusal = await check(a, next.server);
          if (refusal) return reply.code(refusal.status).send(refusal.body);
        }
        return accountView(await upsertAccount(ctx, next));
      },
    });
    sim.route({
      method: "GET",
      url: "/open-platforms",
      tag: "accounts",
      summary: "List open-platform accounts (accounts bound to one share UnionIDs).",
      handler: async () => ({ openPlatforms: await listOpenPlatforms(ctx.db) }),
    });
    sim.route({
      method: "POST",
      url: "/open-platforms",
      tag: "accounts",
      summary: "Create (or rename) an open-platform account.",
      body: Type.Object({
        id: Type.String({ pattern: "^[A-Za-z0-9_.@-]{1,64}$" }),
        name: Type.Optional(Type.String()),
      }),
      handler: async ({ body }) => {
        await upsertOpenPlatform(ctx, { id: body.id, name: body.name ?? body.id });
        return { id: body.id, name: body.name ?? body.id };
      },
    });
    addPermissionsRoute(ctx);
    return {
      setServerCheck(check) {
        serverCheck = check;
      },
    };
  },
});

export type { Account, OpenPlatform, ServerMode, ServerSettings } from "../../account.js";
export * from "./config.js";
export { type ServerCheck, type ServerCheckRefusal, serverChanged } from "./server-check.js";
export * from "./store.js";
