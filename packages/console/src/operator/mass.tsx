/**
 * Mass jobs of one account, newest first: kind and message type, who they went to (everyone, a
 * tag, an OpenID list, a previewer), status, the counts of mass/get (total, filtered, sent, errors)
 * and a progress bar that moves live while the job delivers (`mass.job` events), the outcome the
 * MASSSENDJOBFINISH event carried, and the links of sent articles. A job opens to its message.
 */

import type { MassJobsView, MassJobView } from "../api/area-types.js";
import { get, seg } from "../api/client.js";
import { timeOf, useI18n } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { ofAccount, useLoad, usePickedAccount } from "../ui/data.js";
import { AccountToolbar, Badge, Code, DataTable, ErrorBox } from "../ui/kit.js";
import { massTarget, massTone, percent } from "./area-format.js";

function Progress({ job }: { job: MassJobView }) {
  const { t } = useI18n();
  const p = percent(job.progress);
  return (
    <span className="progress-cell">
      <progress max={100} value={p} aria-label={t("progress")} />
      <span className="small">{p}%</span>
    </span>
  );
}

function JobDetail({ job }: { job: MassJobView }) {
  const { t, lang } = useI18n();
  return (
    <div className="detail">
      <div className="detail-actions">
        <span className="mono small">msg_id {job.msgId}</span>
        {job.msgDataId && <span className="mono small">msg_data_id {job.msgDataId}</span>}
        {job.finishedAt !== null && (
          <span className="muted small">
            {t("finished")} {timeOf(job.finishedAt, lang, true)}
          </span>
        )}
      </div>
      {job.articleUrls.length > 0 && (
        <>
          <h4>{t("articles")}</h4>
          <ul className="plain-list">
            {job.articleUrls.map((a) => (
              <li key={a.ArticleIdx}>
                {a.ArticleIdx}.{" "}
                <a href={a.ArticleUrl} target="_blank" rel="noreferrer">
                  {a.ArticleUrl}
                </a>
                {job.deletedArticles.includes(a.ArticleIdx) && <Badge tone="muted">{t("withdrawn")}</Badge>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>{t("message")}</h4>
      <Code>{JSON.stringify(job.message, null, 2)}</Code>
      {job.copyright !== null && (
        <>
          <h4>{t("copyrightCheck")}</h4>
          <Code>{JSON.stringify(job.copyright, null, 2)}</Code>
        </>
      )}
    </div>
  );
}

export function MassPanel({ query }: PanelProps) {
  const { t, lang } = useI18n();
  const { accounts, appid } = usePickedAccount(query);
  const jobs = useLoad(
    async () =>
      appid ? (await get<MassJobsView>(`/accounts/${seg(appid)}/mass-jobs`, { limit: 100 })).jobs : [],
    [appid],
    ["mass.job"],
    ofAccount(appid),
  );
  return (
    <div>
      <AccountToolbar panel="mass" title={t("massJobs")} appid={appid} accounts={accounts.data} />
      <ErrorBox error={jobs.error ?? accounts.error} />
      <DataTable<MassJobView>
        testId="mass-jobs"
        rows={jobs.data ?? []}
        rowKey={(j) => j.msgId}
        empty={t("noMassJobs")}
        detail={(j) => <JobDetail job={j} />}
        columns={[
          { label: t("time"), cell: (j) => timeOf(j.createdAt, lang, true) },
          { label: t("kind"), cell: (j) => `${j.kind} · ${j.msgtype}` },
          {
            label: t("target"),
            cell: (j) => {
              const target = massTarget(j);
              return t(target.key, target.vars);
            },
          },
          { label: t("status"), cell: (j) => <Badge tone={massTone(j.status)}>{j.status}</Badge> },
          { label: t("progress"), cell: (j) => <Progress job={j} /> },
          {
            label: t("sentTotal"),
            cell: (j) => (
              <span className="nowrap" title={`TotalCount ${j.totalCount} · FilterCount ${j.filterCount}`}>
                {j.sentCount} / {j.totalCount}
              </span>
            ),
          },
          {
            label: t("errors"),
            cell: (j) => (j.errorCount > 0 ? <Badge tone="bad">{j.errorCount}</Badge> : "0"),
          },
          {
            label: t("finishEvent"),
            cell: (j) =>
              j.result ? (
                <Badge tone={j.result === "send success" ? "ok" : "bad"} title="MASSSENDJOBFINISH Status">
                  {j.result}
                  {j.finishPushed ? " ✓" : ""}
                </Badge>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </div>
  );
}
