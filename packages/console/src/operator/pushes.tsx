/**
 * Push inspector: every push to a developer's server, newest first, filtered by account, user and
 * outcome, updated live. A push opens to show the message as pushed (the plain XML: the decrypted
 * view) and each attempt — the request as sent (query and raw, possibly encrypted, body), the
 * answer, latency, outcome and error — and the reply the user got. A push can be sent again.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { get, post, seg } from "../api/client.js";
import type { PushView } from "../api/types.js";
import { timeOf, useI18n } from "../i18n/index.js";
import { useLive } from "../live/bus.js";
import type { PanelProps } from "../panels/registry.js";
import { useAccounts, useUsers } from "../ui/data.js";
import { AccountSelect, attempt, Badge, Code, DataTable, ErrorBox, prettyJson } from "../ui/kit.js";
import { href, navigate } from "../ui/route.js";

const STATUSES = ["replied", "empty", "failed", "pending", "no_server", "blocked"];

export const statusTone = (s: string) =>
  s === "replied"
    ? "ok"
    : s === "empty"
      ? "info"
      : s === "failed"
        ? "bad"
        : s === "pending"
          ? "warn"
          : "muted";

function PushDetail({ p }: { p: PushView }) {
  const { t, lang } = useI18n();
  return (
    <div className="detail">
      <div className="detail-actions">
        <button
          type="button"
          className="btn"
          onClick={() => void attempt(() => post(`/pushes/${seg(p.id)}/resend`, {}), t("resent"))}
        >
          {t("resend")}
        </button>
        <span className="muted small mono">{p.id}</span>
        {p.msgId && <span className="muted small">MsgId {p.msgId}</span>}
      </div>
      <h3>{t("decryptedView")}</h3>
      <Code label={t("decryptedView")}>{p.xml}</Code>
      {(p.reply !== null || p.notice) && (
        <>
          <h3>{t("whatUserGot")}</h3>
          <Code>{p.notice ?? JSON.stringify(p.reply, null, 2)}</Code>
        </>
      )}
      {p.attempts.map((a) => (
        <div key={a.attempt} className="attempt">
          <h3>
            {t("attempt")} {a.attempt} ·{" "}
            <Badge tone={a.outcome === "replied" || a.outcome === "empty" ? "ok" : "bad"}>{a.outcome}</Badge>{" "}
            · {a.latencyMs} ms · {timeOf(a.startedAt, lang)}
          </h3>
          {a.error && <div className="error-box">{a.error}</div>}
          <div className="grid-2">
            <div>
              <h4>{t("request")}</h4>
              <Code>{`POST ${a.request.url}\n${Object.entries(a.request.query)
                .map(([k, v]) => `${k}=${v}`)
                .join("\n")}`}</Code>
              <h4>{t("rawBody")}</h4>
              <Code>{a.request.body}</Code>
            </div>
            <div>
              <h4>
                {t("response")} {a.response ? `HTTP ${a.response.status}` : `(${t("noAnswer")})`}
              </h4>
              {a.response && <Code>{prettyJson(a.response.body) || t("emptyBody")}</Code>}
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}

export function PushesPanel({ query }: PanelProps) {
  const { t, lang } = useI18n();
  const accounts = useAccounts();
  const users = useUsers();
  const appid = query.get("appid") ?? "";
  const user = query.get("user") ?? "";
  const status = query.get("status") ?? "";
  const [pushes, setPushes] = useState<PushView[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const set = (k: string, v: string) => navigate(href("pushes", [], { appid, user, status, [k]: v }));
  const load = useCallback(() => {
    get<{ pushes: PushView[] }>("/pushes", { appid, user, status, limit: 100 }).then(
      (r) => {
        setPushes(r.pushes);
        setError(null);
      },
      (e: Error) => setError(e),
    );
  }, [appid, user, status]);
  useEffect(load, [load]);

  // Live: the pushes named by events are read again (at most every 200 ms), newest first.
  const dirty = useRef(new Set<string>());
  const timer = useRef<number | undefined>(undefined);
  useLive(
    ["push.created", "push.attempt", "push.finished"],
    (_n, d) => {
      const e = d as { pushId: string; appid: string; user: string };
      if ((appid && e.appid !== appid) || (user && e.user !== user)) return;
      dirty.current.add(e.pushId);
      timer.current ??= window.setTimeout(async () => {
        timer.current = undefined;
        const ids = [...dirty.current];
        dirty.current.clear();
        const fresh = (
          await Promise.all(ids.map((id) => get<PushView>(`/pushes/${seg(id)}`).catch(() => null)))
        ).filter((p): p is PushView => p !== null && (!status || p.status === status));
        setPushes((list) => {
          const byId = new Map(list.map((p) => [p.id, p]));
          for (const p of fresh) byId.set(p.id, p);
          return [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, 500);
        });
      }, 200);
    },
    load,
  );
  useEffect(() => () => window.clearTimeout(timer.current), []);

  return (
    <div>
      <div className="toolbar">
        <h1>{t("pushes")}</h1>
        <AccountSelect accounts={accounts.data} value={appid} onChange={(v) => set("appid", v)} allowAll />
        <select aria-label={t("user")} value={user} onChange={(e) => set("user", e.target.value)}>
          <option value="">{t("allUsers")}</option>
          {(users.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.id}
            </option>
          ))}
        </select>
        <select aria-label={t("outcome")} value={status} onChange={(e) => set("status", e.target.value)}>
          <option value="">{t("allOutcomes")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <ErrorBox error={error} />
      <DataTable
        testId="pushes"
        rows={pushes}
        rowKey={(p) => p.id}
        empty={t("noPushes")}
        detail={(p) => <PushDetail p={p} />}
        columns={[
          { label: t("time"), cell: (p) => timeOf(p.createdAt, lang) },
          { label: t("account"), cell: (p) => p.appid, className: "mono" },
          { label: t("user"), cell: (p) => p.user },
          { label: t("message"), cell: (p) => (p.event ? `event · ${p.event}` : p.msgType) },
          { label: t("outcome"), cell: (p) => <Badge tone={statusTone(p.status)}>{p.status}</Badge> },
          { label: t("attempts"), cell: (p) => p.attempts.length },
          {
            label: t("latency"),
            cell: (p) => {
              const last = p.attempts.at(-1);
              return last ? `${last.latencyMs} ms` : "—";
            },
          },
        ]}
      />
    </div>
  );
}
