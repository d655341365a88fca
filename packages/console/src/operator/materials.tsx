/**
 * Materials of one account: temporary media (type, name and size, media_id to copy, a thumbnail
 * served by the platform, expiry), permanent materials (news with their titles), drafts and
 * publications with their status. Reloads when the account's materials change (`materials.changed`)
 * and when the clock moves (expiry).
 */

import type { MaterialsView, PermanentMaterialView, TemporaryMediaView } from "../api/area-types.js";
import { get, seg } from "../api/client.js";
import { timeOf, useI18n } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { ofAccount, useLoad, usePickedAccount } from "../ui/data.js";
import { AccountToolbar, Badge, Card, CopyButton, DataTable, ErrorBox } from "../ui/kit.js";
import { formatBytes, publicationStatus } from "./area-format.js";

const PICTURES = new Set(["image", "thumb"]);

/** The media_id, shortened on screen, with its copy button. */
export function MediaId({ id }: { id: string }) {
  return (
    <span className="media-id">
      <span className="mono small ellipsis" title={id}>
        {id}
      </span>
      <CopyButton text={id} label="media_id" />
    </span>
  );
}

function Thumb({ appid, row }: { appid: string; row: { media_id: string; type: string; filename: string } }) {
  return (
    <img
      className="thumb"
      src={`/_mpstack/accounts/${seg(appid)}/media/${seg(row.media_id)}`}
      alt={row.filename || row.media_id}
      width={48}
      height={48}
      loading="lazy"
    />
  );
}

function nameOf(r: { filename: string; size: number; blob_hash: string | null }): string {
  return r.blob_hash ? `${r.filename || "—"} · ${formatBytes(r.size)}` : r.filename || "—";
}

export function MaterialsPanel({ query }: PanelProps) {
  const { t, lang } = useI18n();
  const { accounts, appid } = usePickedAccount(query);
  const m = useLoad(
    async () => (appid ? get<MaterialsView>(`/accounts/${seg(appid)}/materials`) : undefined),
    [appid],
    ["materials.changed", "clock.moved"],
    (name, data) => name === "clock.moved" || ofAccount(appid)(name, data),
  );
  const d = m.data;
  return (
    <div>
      <AccountToolbar panel="materials" title={t("materials")} appid={appid} accounts={accounts.data}>
        {d && (
          <Badge tone={d.draftBoxOpen ? "ok" : "muted"}>
            {d.draftBoxOpen ? t("draftBoxOpen") : t("draftBoxClosed")}
          </Badge>
        )}
      </AccountToolbar>
      <ErrorBox error={m.error ?? accounts.error} />
      <Card title={t("temporaryMedia")}>
        <p className="muted small">{t("temporaryMediaHelp")}</p>
        <DataTable<TemporaryMediaView>
          testId="temporary-media"
          rows={d?.temporary ?? []}
          rowKey={(r) => r.media_id}
          empty={t("noMedia")}
          columns={[
            { label: t("kind"), cell: (r) => r.type },
            {
              label: t("preview"),
              cell: (r) => (PICTURES.has(r.type) && !r.expired ? <Thumb appid={appid} row={r} /> : "—"),
            },
            { label: t("nameSize"), cell: nameOf, className: "ellipsis" },
            { label: "media_id", cell: (r) => <MediaId id={r.media_id} /> },
            { label: t("source"), cell: (r) => r.source },
            {
              label: t("expiresColumn"),
              cell: (r) =>
                r.expired ? (
                  <Badge tone="bad">{t("expired")}</Badge>
                ) : (
                  <span className="nowrap">{timeOf(r.expires_at, lang, true)}</span>
                ),
            },
          ]}
        />
      </Card>
      <Card title={t("permanentMaterials")}>
        <p className="small">
          {Object.entries(d?.counts ?? {}).map(([k, v]) => (
            <Badge key={k} tone="info">
              {k} {v}
            </Badge>
          ))}
        </p>
        <DataTable<PermanentMaterialView>
          testId="permanent-materials"
          rows={d?.permanent ?? []}
          rowKey={(r) => r.media_id}
          empty={t("noMaterials")}
          columns={[
            { label: t("kind"), cell: (r) => r.type },
            {
              label: t("preview"),
              cell: (r) => (PICTURES.has(r.type) ? <Thumb appid={appid} row={r} /> : "—"),
            },
            {
              label: t("nameSize"),
              cell: (r) => (r.titles ? r.titles.join(" · ") || "—" : nameOf(r)),
              className: "ellipsis",
            },
            { label: "media_id", cell: (r) => <MediaId id={r.media_id} /> },
            {
              label: t("updated"),
              cell: (r) => <span className="nowrap">{timeOf(r.updated_at, lang, true)}</span>,
            },
          ]}
        />
      </Card>
      <div className="grid-2">
        <Card title={`${t("drafts")} (${d?.drafts ?? 0})`}>
          <DataTable
            testId="drafts"
            rows={d?.draftList ?? []}
            rowKey={(r) => r.mediaId}
            empty={t("noDrafts")}
            columns={[
              { label: t("titles"), cell: (r) => r.titles.join(" · ") || "—" },
              { label: "media_id", cell: (r) => <MediaId id={r.mediaId} /> },
              {
                label: t("updated"),
                cell: (r) => <span className="nowrap">{timeOf(r.updatedAt, lang, true)}</span>,
              },
            ]}
          />
        </Card>
        <Card title={t("publications")}>
          <DataTable
            testId="publications"
            rows={d?.publications ?? []}
            rowKey={(r) => r.publish_id}
            empty={t("noPublications")}
            columns={[
              { label: t("titles"), cell: (r) => r.titles.join(" · ") || "—" },
              {
                label: t("status"),
                cell: (r) => {
                  const s = publicationStatus(r.status);
                  return (
                    <Badge tone={s.tone} title={`status ${r.status}`}>
                      {t(s.key)}
                    </Badge>
                  );
                },
              },
              { label: "publish_id", cell: (r) => <span className="mono small">{r.publish_id}</span> },
              { label: "article_id", cell: (r) => (r.article_id ? <MediaId id={r.article_id} /> : "—") },
              {
                label: t("time"),
                cell: (r) => <span className="nowrap">{timeOf(r.created_at, lang, true)}</span>,
              },
            ]}
          />
        </Card>
      </div>
    </div>
  );
}
