/**
 * API log: every WeChat API call the platform answered — errcode and errmsg, rid, latency, client
 * ip — newest first, filtered by account, path and errcode, updated live. A call opens to show its
 * redacted request and its response; an errcode links to what the spec says it means.
 */
import { useCallback, useEffect, useState } from "react";
import { get, seg } from "../api/client.js";
import type { ApiCallEvent, JournalCall } from "../api/types.js";
import { timeOf, useI18n } from "../i18n/index.js";
import { useLive } from "../live/bus.js";
import type { PanelProps } from "../panels/registry.js";
import { useAccounts } from "../ui/data.js";
import { AccountSelect, Badge, Code, DataTable, ErrorBox, prettyJson } from "../ui/kit.js";
import { href, navigate } from "../ui/route.js";

interface Row {
  rid: string;
  appid: string | null;
  method: string;
  path: string;
  errcode: number;
  errmsg: string;
  latencyMs: number;
  clientIp: string;
  time: number;
}

function fromJournal(c: JournalCall): Row {
  let errmsg = "";
  try {
    errmsg = String((JSON.parse(c.response) as { errmsg?: unknown }).errmsg ?? "");
  } catch {
    // binary or HTML answers
  }
  return {
    rid: c.rid,
    appid: c.appid,
    method: c.method,
    path: c.path,
    errcode: c.errcode,
    errmsg,
    latencyMs: c.latency_ms,
    clientIp: c.client_ip,
    time: c.time,
  };
}

function CallDetail({ rid }: { rid: string }) {
  const { t } = useI18n();
  const [call, setCall] = useState<JournalCall | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    get<JournalCall>(`/journal/${seg(rid)}`).then(setCall, setError);
  }, [rid]);
  if (error) return <ErrorBox error={error} />;
  if (!call) return <span className="muted">{t("loading")}</span>;
  return (
    <div className="grid-2 detail">
      <div>
        <h4>{t("request")}</h4>
        <Code>{`${call.method} ${call.path}${call.query ? `?${call.query}` : ""}`}</Code>
        {call.body && <Code>{prettyJson(call.body)}</Code>}
      </div>
      <div>
        <h4>{t("response")}</h4>
        <Code>{prettyJson(call.response)}</Code>
      </div>
    </div>
  );
}

export function ApiLogPanel({ query }: PanelProps) {
  const { t, lang } = useI18n();
  const accounts = useAccounts();
  const appid = query.get("appid") ?? "";
  const path = query.get("path") ?? "";
  const errcode = query.get("errcode") ?? "";
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [pathInput, setPathInput] = useState(path);
  const set = (k: string, v: string) => navigate(href("api", [], { appid, path, errcode, [k]: v }));
  const load = useCallback(() => {
    const code = errcode === "" ? undefined : Number(errcode);
    get<{ calls: JournalCall[] }>("/journal", { appid, path, errcode: code, limit: 200 }).then(
      (r) => {
        setRows(r.calls.map(fromJournal));
        setError(null);
      },
      (e: Error) => setError(e),
    );
  }, [appid, path, errcode]);
  useEffect(load, [load]);
  useLive(
    ["api.call"],
    (_n, d) => {
      const c = d as ApiCallEvent;
      if (
        (appid && c.appid !== appid) ||
        (path && c.path !== path) ||
        (errcode !== "" && c.errcode !== Number(errcode))
      )
        return;
      setRows((list) => (list.some((r) => r.rid === c.rid) ? list : [c, ...list].slice(0, 1000)));
    },
    load,
  );
  return (
    <div>
      <div className="toolbar">
        <h1>{t("apiLog")}</h1>
        <AccountSelect accounts={accounts.data} value={appid} onChange={(v) => set("appid", v)} allowAll />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            set("path", pathInput.trim());
          }}
        >
          <input
            aria-label={t("path")}
            placeholder="/cgi-bin/…"
            value={pathInput}
            onChange={(e) => setPathInput(e.target.value)}
          />
        </form>
        <input
          aria-label="errcode"
          placeholder="errcode"
          className="narrow"
          inputMode="numeric"
          value={errcode}
          onChange={(e) => set("errcode", e.target.value.replace(/[^0-9-]/g, ""))}
        />
        <a href={href("errcodes")} className="small">
          {t("errcodes")}
        </a>
      </div>
      <ErrorBox error={error} />
      <DataTable
        testId="api-log"
        rows={rows}
        rowKey={(r) => r.rid}
        empty={t("noCalls")}
        detail={(r) => <CallDetail rid={r.rid} />}
        columns={[
          { label: t("time"), cell: (r) => timeOf(r.time, lang) },
          { label: t("path"), cell: (r) => `${r.method} ${r.path}`, className: "mono" },
          { label: t("account"), cell: (r) => r.appid ?? "—", className: "mono" },
          {
            label: "errcode",
            cell: (r) =>
              r.errcode === 0 ? (
                <Badge tone="ok">0</Badge>
              ) : (
                <a href={href("errcodes", [String(r.errcode)])} title={t("whatItMeans")}>
                  <Badge tone="bad">{r.errcode}</Badge>
                </a>
              ),
          },
          { label: "errmsg", cell: (r) => r.errmsg, className: "ellipsis" },
          { label: t("latency"), cell: (r) => `${r.latencyMs} ms` },
          { label: "rid", cell: (r) => r.rid, className: "mono small" },
        ]}
      />
    </div>
  );
}
