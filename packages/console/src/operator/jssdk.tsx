/**
 * JS-SDK of one account: what each page shares (per target — appMessage, timeline, qq, weibo,
 * qzone — as the page set it with updateAppMessageShareData, onMenuShare*, …) and the recent bridge
 * calls with the errMsg each page saw. Filter by user; reloads on `jssdk.share` / `jssdk.call`.
 */

import type { JssdkCallView, JssdkShareView } from "../api/area-types.js";
import { get, seg } from "../api/client.js";
import { timeOf, useI18n } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { ofAccount, useLoad, usePickedAccount, useUsers } from "../ui/data.js";
import { AccountToolbar, Badge, Card, Code, DataTable, ErrorBox } from "../ui/kit.js";
import { href, navigate } from "../ui/route.js";

/** A bridge call's errMsg ends in `:ok` when it worked ("chooseImage:ok"), anything else otherwise. */
export const callOk = (errMsg: string) => /:ok$/.test(errMsg);

export function JssdkPanel({ query }: PanelProps) {
  const { t, lang } = useI18n();
  const { accounts, appid } = usePickedAccount(query);
  const users = useUsers();
  const user = query.get("user") ?? "";
  const shares = useLoad(
    async () =>
      appid
        ? (await get<{ shares: JssdkShareView[] }>(`/accounts/${seg(appid)}/jssdk/shares`, { user })).shares
        : [],
    [appid, user],
    ["jssdk.share"],
    ofAccount(appid),
  );
  const calls = useLoad(
    async () =>
      appid
        ? (await get<{ calls: JssdkCallView[] }>(`/accounts/${seg(appid)}/jssdk/calls`, { user, limit: 100 }))
            .calls
        : [],
    [appid, user],
    ["jssdk.call"],
    ofAccount(appid),
  );
  return (
    <div>
      <AccountToolbar panel="jssdk" title={t("jssdk")} appid={appid} accounts={accounts.data}>
        <select
          aria-label={t("user")}
          value={user}
          onChange={(e) => navigate(href("jssdk", [], { appid, user: e.target.value }))}
        >
          <option value="">{t("allUsers")}</option>
          {(users.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.id}
            </option>
          ))}
        </select>
      </AccountToolbar>
      <ErrorBox error={shares.error ?? calls.error ?? accounts.error} />
      <Card title={t("shareSettings")}>
        <DataTable<JssdkShareView>
          testId="jssdk-shares"
          rows={shares.data ?? []}
          rowKey={(s) => `${s.user} ${s.url} ${s.target}`}
          empty={t("noShares")}
          columns={[
            { label: t("page"), cell: (s) => <span className="mono small ellipsis">{s.url}</span> },
            {
              label: t("target"),
              cell: (s) => (
                <Badge tone="info" title={s.api}>
                  {s.target}
                </Badge>
              ),
            },
            {
              label: t("linkTitle"),
              cell: (s) => (
                <span>
                  <strong>{s.title}</strong>
                  {s.desc && <span className="muted small"> · {s.desc}</span>}
                </span>
              ),
              className: "wide",
            },
            { label: t("link"), cell: (s) => <span className="mono small ellipsis">{s.link}</span> },
            { label: t("user"), cell: (s) => s.user },
            {
              label: t("updated"),
              cell: (s) => <span className="nowrap">{timeOf(s.updatedAt, lang, true)}</span>,
            },
          ]}
        />
      </Card>
      <Card title={t("bridgeCalls")}>
        <DataTable<JssdkCallView>
          testId="jssdk-calls"
          rows={calls.data ?? []}
          rowKey={(c) => c.id}
          empty={t("noBridgeCalls")}
          detail={(c) => <Code label={t("request")}>{JSON.stringify(c.args, null, 2)}</Code>}
          columns={[
            { label: t("time"), cell: (c) => timeOf(c.time, lang) },
            { label: "API", cell: (c) => <span className="mono">{c.api}</span> },
            {
              label: "errMsg",
              cell: (c) => <Badge tone={callOk(c.errMsg) ? "ok" : "bad"}>{c.errMsg}</Badge>,
            },
            { label: t("user"), cell: (c) => c.user },
            { label: t("page"), cell: (c) => <span className="mono small ellipsis">{c.url}</span> },
          ]}
        />
      </Card>
    </div>
  );
}
