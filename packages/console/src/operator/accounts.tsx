/**
 * Accounts: the list (type, verified, grants, server URL) and the form that creates one; a row
 * opens the account's page (account-detail.tsx).
 */
import { useState } from "react";
import { post } from "../api/client.js";
import type { AccountView } from "../api/types.js";
import { useT } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { useAccounts } from "../ui/data.js";
import { attempt, Badge, Card, ErrorBox, Field, Loading } from "../ui/kit.js";
import { href, navigate } from "../ui/route.js";
import { AccountDetail } from "./account-detail.js";
import { AccountKindFields } from "./account-kind.js";

function CreateAccount({ onCreated }: { onCreated(a: AccountView): void }) {
  const t = useT();
  const [name, setName] = useState("");
  const [type, setType] = useState<"service" | "subscription">("service");
  const [verified, setVerified] = useState(true);
  const [grants, setGrants] = useState<string[]>([]);
  const [appid, setAppid] = useState("");
  return (
    <form
      className="form-grid"
      onSubmit={async (e) => {
        e.preventDefault();
        const a = await attempt(
          () =>
            post<AccountView>("/accounts", {
              name: name || undefined,
              type,
              verified,
              grants,
              ...(appid ? { appid } : {}),
            }),
          t("created"),
        );
        if (a) onCreated(a);
      }}
    >
      <Field label="name">
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="My account" />
      </Field>
      <AccountKindFields {...{ type, setType, verified, setVerified, grants, setGrants }} />
      <Field label="appidOptional">
        <input value={appid} onChange={(e) => setAppid(e.target.value)} placeholder="wx + 16 hex" />
      </Field>
      <div>
        <button type="submit" className="btn btn-primary">
          {t("createAccount")}
        </button>
      </div>
    </form>
  );
}

export function AccountsPanel({ path }: PanelProps) {
  const t = useT();
  const accounts = useAccounts();
  const [creating, setCreating] = useState(false);
  if (path[0]) return <AccountDetail appid={path[0]} />;
  return (
    <div>
      <div className="toolbar">
        <h1>{t("accounts")}</h1>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setCreating(!creating)}
          aria-expanded={creating}
        >
          {t("newAccount")}
        </button>
        <Loading loading={accounts.loading} />
      </div>
      <ErrorBox error={accounts.error} />
      {creating && (
        <Card title={t("newAccount")}>
          <CreateAccount
            onCreated={(a) => {
              setCreating(false);
              accounts.reload();
              navigate(href("accounts", [a.appid]));
            }}
          />
        </Card>
      )}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t("name")}</th>
              <th>appid</th>
              <th>{t("kind")}</th>
              <th>{t("grants")}</th>
              <th>{t("serverUrl")}</th>
              <th>{t("mode")}</th>
            </tr>
          </thead>
          <tbody>
            {(accounts.data ?? []).map((a) => (
              <tr key={a.appid}>
                <td>
                  <a href={href("accounts", [a.appid])}>{a.name}</a>
                </td>
                <td className="mono">{a.appid}</td>
                <td>
                  <Badge
                    tone={a.verified ? "ok" : "muted"}
                    title={`${a.type}${a.verified ? " · verified" : ""}`}
                  >
                    {a.kind}
                  </Badge>
                </td>
                <td>{a.grants.join(", ") || "—"}</td>
                <td className="mono ellipsis">
                  {a.server.url || <span className="muted">{t("none")}</span>}
                </td>
                <td>{a.server.mode}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
