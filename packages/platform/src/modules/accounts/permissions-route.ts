/**
 * `GET /_mpstack/accounts/{appid}/permissions`: the interface-permission table as one account sees
 * it — every seed row (spec/permissions.md) with the cell of the account's kind after the policy
 * overrides, the grant it needs, and the verdict the API pipeline applies (allowed / not allowed /
 * needs a grant), for the console.
 */
import {
  accountKind,
  type Cell,
  mayCall,
  PERMISSION_IDS,
  PERMISSIONS,
  type PermissionRow,
} from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import type { ModuleContext } from "../../module.js";
import { requireAccount } from "./store.js";

export type PermissionVerdict = "allowed" | "not_allowed" | "needs_grant";

export function addPermissionsRoute(ctx: ModuleContext): void {
  ctx.simulator.route({
    method: "GET",
    url: "/accounts/:appid/permissions",
    tag: "accounts",
    summary:
      "The permission table for this account: each seed row with its cell for the account's kind (after overrides), the grant it needs, and the verdict (allowed | not_allowed | needs_grant).",
    params: Type.Object({ appid: Type.String() }),
    handler: async ({ params }) => {
      const account = await requireAccount(ctx.db, params.appid);
      const kind = accountKind(account);
      const overrides = ctx.policiesFor(account).permissionOverrides;
      const rows = PERMISSION_IDS.map((id) => {
        const row: PermissionRow = PERMISSIONS[id];
        const overridden = overrides?.[id]?.[kind];
        const cell: Cell = overridden ?? row[kind];
        const allowed = mayCall(account, id, overrides);
        const verdict: PermissionVerdict = allowed
          ? "allowed"
          : cell !== "no" && row.grant !== undefined
            ? "needs_grant"
            : "not_allowed";
        return {
          id,
          seed: row.seed,
          cells: { US: row.US, VS: row.VS, UV: row.UV, VV: row.VV },
          cell,
          overridden: overridden !== undefined,
          grant: row.grant ?? null,
          verdict,
        };
      });
      return { appid: account.appid, kind, grants: account.grants, rows };
    },
  });
}
