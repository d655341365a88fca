/**
 * `GET` and `PUT /_mpstack/<name>` for a module's scoped policies (db/scoped-policies.ts): read the
 * defaults, the overrides of a scope and (with `?appid=`) the account's effective policy; change
 * overrides globally or for one account (`null` removes one). Every module with a policy table
 * (push, customer service, templates, kf, materials, mass) answers through these two routes.
 */
import { type TProperties, Type } from "@sinclair/typebox";
import type { Db } from "../db/schema.js";
import { GLOBAL_POLICY_SCOPE, type PolicyPatch, type ScopedPolicies } from "../db/scoped-policies.js";
import type { World } from "../world.js";
import type { SimulatorRouter } from "./simulator.js";

export interface PolicyRouteOptions<T extends object> {
  /** Path below /_mpstack, e.g. `/template-policy`. */
  url: string;
  tag: string;
  /** What the policies cover, for the summaries (e.g. "Push policies (timeout, attempts…)"). */
  what: string;
  policies: ScopedPolicies<T>;
  /** The policy's fields; the PUT body takes each as optional and nullable, beside `appid`. */
  fields: TProperties;
  /** 404 for an unknown account. */
  requireAccount(db: Db, appid: string): Promise<unknown>;
}

/** The PUT body: `appid` and every field optional, `null` meaning "back to the default". */
export function policyPatchSchema(fields: TProperties) {
  const props: TProperties = {
    appid: Type.Optional(Type.String({ description: "omit for the global policy" })),
  };
  for (const [k, v] of Object.entries(fields)) props[k] = Type.Optional(Type.Union([v, Type.Null()]));
  return Type.Object(props);
}

export function addPolicyRoutes<T extends object>(
  sim: SimulatorRouter,
  w: World,
  o: PolicyRouteOptions<T>,
): void {
  const view = async (appid: string | undefined) => ({
    scope: appid ?? GLOBAL_POLICY_SCOPE,
    defaults: o.policies.defaults,
    overrides: await o.policies.overrides(w.db, appid ?? GLOBAL_POLICY_SCOPE),
    ...(appid ? { effective: await o.policies.of(w.db, appid) } : {}),
  });
  sim.route({
    method: "GET",
    url: o.url,
    tag: o.tag,
    summary: `${o.what}: global, or ?appid= (with the effective values).`,
    query: Type.Object({ appid: Type.Optional(Type.String()) }),
    handler: async ({ query }) => {
      if (query.appid) await o.requireAccount(w.db, query.appid);
      return view(query.appid);
    },
  });
  sim.route({
    method: "PUT",
    url: o.url,
    tag: o.tag,
    summary: `Change ${o.what.charAt(0).toLowerCase()}${o.what.slice(1)} (global, or one account with appid); null removes an override.`,
    body: policyPatchSchema(o.fields),
    handler: async ({ body }) => {
      const { appid, ...patch } = body as { appid?: string } & Record<string, unknown>;
      if (appid) await o.requireAccount(w.db, appid);
      await o.policies.set(w, appid ?? GLOBAL_POLICY_SCOPE, patch as PolicyPatch<T>);
      return view(appid);
    },
  });
}
