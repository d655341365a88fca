/**
 * The interface-permission table of one account: every seed row in its own names (Chinese from
 * the seed, English beside it), the four columns, this account's cell after policy overrides, the
 * grant a row needs, and the verdict the API applies (allowed / not allowed / needs a grant).
 */
import { get, seg } from "../api/client.js";
import type { PermissionRowView } from "../api/types.js";
import { type MessageKey, translate, useT } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { useAccounts, useLoad } from "../ui/data.js";
import { AccountSelect, Badge, ErrorBox, Loading } from "../ui/kit.js";
import { href, navigate } from "../ui/route.js";

const CELL: Record<string, string> = { yes: "✓", no: "—", apply: "◐" };

export function PermissionsPanel({ query }: PanelProps) {
  const t = useT();
  const accounts = useAccounts();
  const appid = query.get("appid") ?? accounts.data?.at(-1)?.appid ?? "";
  const table = useLoad(
    async () =>
      appid
        ? get<{ kind: string; grants: string[]; rows: PermissionRowView[] }>(
            `/accounts/${seg(appid)}/permissions`,
          )
        : undefined,
    [appid],
    ["account.updated"],
  );
  const kind = table.data?.kind;
  return (
    <div>
      <div className="toolbar">
        <h1>{t("permissions")}</h1>
        <AccountSelect
          accounts={accounts.data}
          value={appid}
          onChange={(a) => navigate(href("permissions", [], { appid: a }))}
        />
        {kind && (
          <span className="muted">
            {t("kind")}: <Badge tone="info">{kind}</Badge> · {t("grants")}:{" "}
            {table.data?.grants.join(", ") || "—"}
          </span>
        )}
        <Loading loading={table.loading} />
      </div>
      <p className="muted small">{t("permissionsHelp")}</p>
      <ErrorBox error={table.error} />
      <div className="table-wrap">
        <table className="table dense">
          <thead>
            <tr>
              <th>{t("seedRow")}</th>
              <th>English</th>
              {(["US", "VS", "UV", "VV"] as const).map((k) => (
                <th key={k} className={k === kind ? "col-on" : ""}>
                  {k}
                </th>
              ))}
              <th>{t("grantNeeded")}</th>
              <th>{t("thisAccount")}</th>
            </tr>
          </thead>
          <tbody>
            {(table.data?.rows ?? []).map((r) => (
              <tr key={r.id}>
                <td lang="zh-CN">{r.seed}</td>
                <td>{translate("en", `perm.${r.id}` as MessageKey)}</td>
                {(["US", "VS", "UV", "VV"] as const).map((k) => (
                  <td
                    key={k}
                    className={`cell cell-${r.cells[k]} ${k === kind ? "col-on" : ""}`}
                    title={r.cells[k]}
                  >
                    {CELL[r.cells[k]]}
                  </td>
                ))}
                <td>{r.grant ?? ""}</td>
                <td>
                  <Badge
                    tone={r.verdict === "allowed" ? "ok" : r.verdict === "needs_grant" ? "warn" : "bad"}
                    title={r.overridden ? t("overridden") : undefined}
                  >
                    {t(`verdict_${r.verdict}`)}
                    {r.overridden ? " *" : ""}
                  </Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
