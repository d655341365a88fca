/**
 * The simulator routes of a scoped policy (`GET` / `PUT /_mpstack/<name>`): global, or one account
 * with `appid`; `null` removes an override. Shared by the materials and mass policies.
 */
import { type TProperties, Type } from "@sinclair/typebox";
import { notFound } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { GLOBAL_SCOPE, type PolicyPatch, type ScopedPolicies } from "./scoped-policy.js";

/** Each field optional and nullable (null = back to the default). */
export function patchSchema<P extends TProperties>(fields: P) {
  const props: TProperties = {
    appid: Type.Optional(Type.String({ description: "omit for the global policy" })),
  };
  for (const [k, v] of Object.entries(fields)) props[k] = Type.Optional(Type.Union([v, Type.Null()]));
  return Type.Object(props);
}

export function addPolicyRoutes<T extends object>(
  ctx: ModuleContext<"accounts">,
  opts: { url: string; tag: string; what: string; policies: ScopedPolicies<T>; fields: TProperties },
): void {
  const { policies } = opts;
  const view = async (appid: string | undefined) => ({
    scope: appid ?? GLOBAL_SCOPE,
    defaults: policies.defaults,
    overrides: await policies.overrides(ctx.db, appid ?? GLOBAL_SCOPE),
    ...(appid ? { effective: await policies.effective(ctx.db, appid) } : {}),
  });
  ctx.simulator.route({
    method: "GET",
    url: opts.url,
    tag: opts.tag,
    summary: `${opts.what}: global, or ?appid=.`,
    query: Type.Object({ appid: Type.Optional(Type.String()) }),
    handler: ({ query }) => view(query.appid),
  });
  ctx.simulator.route({
    method: "PUT",
    url: opts.url,
    tag: opts.tag,
    summary: `Change ${opts.what.toLowerCase()} (global, or one account with appid); null removes an override.`,
    body: patchSchema(opts.fields),
    handler: async ({ body }) => {
      const { appid, ...patch } = body as { appid?: string } & Record<string, unknown>;
      if (appid && !(await getAccount(ctx.db, appid))) throw notFound(`account ${appid}`);
      await policies.set(ctx, appid ?? GLOBAL_SCOPE, patch as PolicyPatch<T>);
      return view(appid);
    },
  });
}
