/**
 * Templates and subscriptions of one account: its industries, private templates (title, content
 * with its {{x.DATA}} keywords), today's and recent template sends with the TEMPLATESENDJOBFINISH
 * status, the subscription-message templates and service categories, and the customer-service
 * (kf) accounts, sessions and waiting users. Reloads on the template, subscription and kf events
 * of the account and on its calls to those APIs.
 */

import type {
  KfView,
  PrivateTemplate,
  SubscriptionTemplatesView,
  SubTemplate,
  TemplatesView,
} from "../api/area-types.js";
import { get, seg } from "../api/client.js";
import { timeOf, useI18n } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { ofAccount, useLoad, usePickedAccount } from "../ui/data.js";
import { AccountToolbar, Badge, Card, DataTable, ErrorBox } from "../ui/kit.js";
import { templateKeywords } from "./area-format.js";

/** The API paths whose calls may change what this panel shows. */
const PATHS = /^\/(cgi-bin\/template\/|wxaapi\/newtmpl\/|customservice\/|cgi-bin\/customservice\/)/;

const EVENTS = [
  "template.sent",
  "template.job-finished",
  "templates.categories-changed",
  "subscribe.sent",
  "kf.account",
  "kf.session",
  "api.call",
];

function accepts(appid: string) {
  const mine = ofAccount(appid);
  return (name: string, data: unknown) =>
    mine(name, data) && (name !== "api.call" || PATHS.test(String((data as { path?: unknown }).path)));
}

function Content({ content }: { content: string }) {
  return (
    <div>
      <pre className="tmpl-content">{content}</pre>
      <div className="small">
        {templateKeywords(content).map((k) => (
          <Badge key={k} tone="info">
            {k}
          </Badge>
        ))}
      </div>
    </div>
  );
}

export function TemplatesPanel({ query }: PanelProps) {
  const { t, lang } = useI18n();
  const { accounts, appid } = usePickedAccount(query);
  const accept = accepts(appid);
  const tmpl = useLoad(
    async () => (appid ? get<TemplatesView>(`/accounts/${seg(appid)}/templates`, { limit: 20 }) : undefined),
    [appid],
    EVENTS,
    accept,
  );
  const subs = useLoad(
    async () =>
      appid
        ? (await get<SubscriptionTemplatesView>(`/accounts/${seg(appid)}/subscription-templates`)).templates
        : [],
    [appid],
    EVENTS,
    accept,
  );
  const kf = useLoad(
    async () => (appid ? get<KfView>(`/kf/${seg(appid)}`) : undefined),
    [appid],
    EVENTS,
    accept,
  );
  const d = tmpl.data;
  const industry = d?.industry;
  return (
    <div>
      <AccountToolbar panel="templates" title={t("templatesSubs")} appid={appid} accounts={accounts.data} />
      <ErrorBox error={tmpl.error ?? subs.error ?? kf.error ?? accounts.error} />
      <Card title={t("templates")}>
        <p className="small">
          {t("industry")}:{" "}
          {industry
            ? [industry.primary, industry.secondary].map((i) => (
                <Badge key={i.code} tone="info">
                  {i.code} {i.first_class} / {i.second_class}
                </Badge>
              ))
            : t("none")}{" "}
          · {t("sendsToday")}: {d?.sendsToday ?? 0}
        </p>
        <DataTable<PrivateTemplate>
          testId="templates"
          rows={d?.templates ?? []}
          rowKey={(r) => r.templateId}
          empty={t("noTemplates")}
          columns={[
            { label: t("linkTitle"), cell: (r) => r.title, className: "nowrap" },
            { label: t("content"), cell: (r) => <Content content={r.content} /> },
            { label: "template_id", cell: (r) => <span className="mono small">{r.templateId}</span> },
            {
              label: t("industry"),
              cell: (r) => [r.primaryIndustry, r.deputyIndustry].filter(Boolean).join(" / ") || "—",
            },
          ]}
        />
      </Card>
      <Card title={t("recentSends")}>
        <DataTable
          testId="template-sends"
          rows={d?.recentSends ?? []}
          rowKey={(r) => String(r.msgid)}
          empty={t("noSends")}
          columns={[
            { label: t("time"), cell: (r) => timeOf(r.createdAt, lang, true) },
            { label: "msgid", cell: (r) => <span className="mono small">{r.msgid}</span> },
            { label: t("user"), cell: (r) => r.user },
            {
              label: "template_id",
              cell: (r) => <span className="mono small ellipsis">{r.templateId}</span>,
            },
            {
              label: t("status"),
              cell: (r) => <Badge tone={r.status === "delivered" ? "ok" : "bad"}>{r.status}</Badge>,
            },
            { label: t("finishEvent"), cell: (r) => r.eventStatus ?? "—" },
          ]}
        />
      </Card>
      <Card title={t("subscriptionTemplates")}>
        <p className="small">
          {t("serviceCategories")}:{" "}
          {(d?.categories ?? []).map((c) => (
            <Badge key={c} tone="muted">
              {c}
            </Badge>
          ))}
        </p>
        <DataTable<SubTemplate>
          testId="subscription-templates"
          rows={subs.data ?? []}
          rowKey={(r) => r.priTmplId}
          empty={t("noTemplates")}
          columns={[
            { label: t("linkTitle"), cell: (r) => r.title },
            { label: t("content"), cell: (r) => <Content content={r.content} /> },
            { label: "priTmplId", cell: (r) => <span className="mono small">{r.priTmplId}</span> },
            { label: t("category"), cell: (r) => r.categoryId },
          ]}
        />
      </Card>
      <Card title={t("kfAccounts")}>
        <DataTable
          testId="kf-accounts"
          rows={kf.data?.accounts ?? []}
          rowKey={(r) => r.kf_account}
          empty={t("noKf")}
          columns={[
            { label: "kf_account", cell: (r) => <span className="mono">{r.kf_account}</span> },
            { label: t("nickname"), cell: (r) => r.kf_nick },
            { label: t("worker"), cell: (r) => r.worker ?? r.inviteStatus ?? "—" },
            {
              label: t("status"),
              cell: (r) => (
                <Badge tone={r.online ? "ok" : "muted"}>{r.online ? t("online") : t("offline")}</Badge>
              ),
            },
            { label: t("sessions"), cell: (r) => r.sessions },
          ]}
        />
        {(kf.data?.sessions.length ?? 0) + (kf.data?.waiting.length ?? 0) > 0 && (
          <ul className="plain-list small">
            {kf.data?.sessions.map((s) => (
              <li key={`s-${s.user}`}>
                {s.user} ↔ {s.kfAccount} · {timeOf(s.lastActivity, lang)}
              </li>
            ))}
            {kf.data?.waiting.map((w) => (
              <li key={`w-${w.user}`}>
                <Badge tone="warn">{t("waiting")}</Badge> {w.user} · {timeOf(w.latestTime, lang)}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
