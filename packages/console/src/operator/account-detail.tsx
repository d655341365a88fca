/**
 * One account: credentials with copy buttons, basics (name, type, verified, grants, open platform),
 * server settings saved through WeChat's handshake with the last result and why it failed, the IP
 * whitelist, OAuth and JS-SDK domains, and policy overrides (JSON).
 */
import { useState } from "react";
import { ApiError, get, patch, post, put, seg } from "../api/client.js";
import type { AccountView, ServerCheckView } from "../api/types.js";
import { timeOf, useI18n } from "../i18n/index.js";
import { useLoad } from "../ui/data.js";
import { attempt, Badge, Card, CopyButton, ErrorBox, Field, toast } from "../ui/kit.js";
import { href } from "../ui/route.js";
import { AccountKindFields } from "./account-kind.js";

const lines = (s: string) =>
  s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);

function Credentials({ a }: { a: AccountView }) {
  const { t } = useI18n();
  const rows: [string, string][] = [
    ["AppID", a.appid],
    ["AppSecret", a.secret],
    ["Token", a.server.token],
    ["EncodingAESKey", a.server.encodingAESKey],
    [t("originalId"), a.originalId],
  ];
  return (
    <Card title={t("credentials")}>
      <dl className="creds">
        {rows.map(([k, v]) => (
          <div key={k} className="cred">
            <dt>{k}</dt>
            <dd>
              <code className="mono">{v}</code> <CopyButton text={v} label={k} />
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function Basics({ a, onSaved }: { a: AccountView; onSaved(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState(a.name);
  const [type, setType] = useState(a.type);
  const [verified, setVerified] = useState(a.verified);
  const [grants, setGrants] = useState<string[]>(a.grants);
  const [openPlatform, setOpenPlatform] = useState(a.openPlatform ?? "");
  return (
    <Card title={t("basics")}>
      <form
        className="form-grid"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await attempt(
            () =>
              patch(`/accounts/${seg(a.appid)}`, {
                name,
                type,
                verified,
                grants,
                openPlatform: openPlatform || null,
              }),
            t("saved"),
          );
          if (r) onSaved();
        }}
      >
        <Field label="name">
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <AccountKindFields {...{ type, setType, verified, setVerified, grants, setGrants }} />
        <Field label="openPlatform">
          <input value={openPlatform} onChange={(e) => setOpenPlatform(e.target.value)} />
        </Field>
        <div>
          <button type="submit" className="btn btn-primary">
            {t("save")}
          </button>
        </div>
      </form>
    </Card>
  );
}

function Server({ a, onSaved }: { a: AccountView; onSaved(): void }) {
  const { t, lang } = useI18n();
  const check = useLoad(
    () => get<ServerCheckView>(`/accounts/${seg(a.appid)}/server`),
    [a.appid, a.server.url],
  );
  const [url, setUrl] = useState(a.server.url);
  const [token, setToken] = useState(a.server.token);
  const [aesKey, setAesKey] = useState(a.server.encodingAESKey);
  const [mode, setMode] = useState(a.server.mode);
  const [busy, setBusy] = useState(false);
  const last = check.data?.lastCheck;
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      toast(t("handshakeOk"));
      onSaved();
    } catch (e) {
      const report =
        e instanceof ApiError ? (e.body as { handshake?: { reason?: string } } | null)?.handshake : undefined;
      toast(
        report?.reason ? `${t("handshakeFailed")}: ${report.reason}` : String((e as Error).message),
        "bad",
      );
    } finally {
      setBusy(false);
      check.reload();
    }
  };
  return (
    <Card title={t("serverSettings")}>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() =>
            put(`/accounts/${seg(a.appid)}/server`, { url, token, encodingAESKey: aesKey, mode }),
          );
        }}
      >
        <Field label="serverUrl" hint={t("serverUrlHint")}>
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="http://127.0.0.1:3000/wechat"
          />
        </Field>
        <Field label="token">
          <input value={token} onChange={(e) => setToken(e.target.value)} />
        </Field>
        <Field label="aesKey">
          <input value={aesKey} onChange={(e) => setAesKey(e.target.value)} className="mono" />
        </Field>
        <Field label="mode">
          <select value={mode} onChange={(e) => setMode(e.target.value as AccountView["server"]["mode"])}>
            <option value="plain">{t("modePlain")}</option>
            <option value="compatible">{t("modeCompatible")}</option>
            <option value="safe">{t("modeSafe")}</option>
          </select>
        </Field>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t("saveWithHandshake")}
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy || !a.server.url}
            onClick={() => void run(() => post(`/accounts/${seg(a.appid)}/server/verify`, {}))}
          >
            {t("verifyAgain")}
          </button>
        </div>
      </form>
      <div className="handshake" aria-live="polite">
        <strong>{t("lastHandshake")}:</strong>{" "}
        {last ? (
          <>
            <Badge tone={last.ok ? "ok" : "bad"}>{last.ok ? t("ok") : last.result}</Badge>{" "}
            <span className="mono">{last.url}</span> · {last.latencyMs} ms ·{" "}
            {timeOf(last.checkedAt, lang, true)}
            {!last.ok && <div className="error-box">{last.reason}</div>}
          </>
        ) : (
          <span className="muted">{t("none")}</span>
        )}
      </div>
    </Card>
  );
}

function ListsAndPolicies({ a, onSaved }: { a: AccountView; onSaved(): void }) {
  const { t } = useI18n();
  const [ips, setIps] = useState(a.ipWhitelist.join("\n"));
  const [oauth, setOauth] = useState(a.oauthDomains.join("\n"));
  const [jssdk, setJssdk] = useState(a.jssdkDomains.join("\n"));
  const [policies, setPolicies] = useState(JSON.stringify(a.policies, null, 2));
  const [problem, setProblem] = useState<Error | null>(null);
  return (
    <Card title={t("whitelistDomainsPolicies")}>
      <form
        className="form-grid"
        onSubmit={async (e) => {
          e.preventDefault();
          let parsed: unknown;
          try {
            parsed = JSON.parse(policies || "{}");
          } catch {
            setProblem(new Error(t("policiesNotJson")));
            return;
          }
          setProblem(null);
          const r = await attempt(
            () =>
              patch(`/accounts/${seg(a.appid)}`, {
                ipWhitelist: lines(ips),
                oauthDomains: lines(oauth),
                jssdkDomains: lines(jssdk),
                policies: parsed,
              }),
            t("saved"),
          );
          if (r) onSaved();
        }}
      >
        <Field label="ipWhitelist" hint={t("onePerLine")}>
          <textarea rows={3} value={ips} onChange={(e) => setIps(e.target.value)} />
        </Field>
        <Field label="oauthDomains" hint={t("onePerLine")}>
          <textarea rows={3} value={oauth} onChange={(e) => setOauth(e.target.value)} />
        </Field>
        <Field label="jssdkDomains" hint={t("onePerLine")}>
          <textarea rows={3} value={jssdk} onChange={(e) => setJssdk(e.target.value)} />
        </Field>
        <Field label="policies" hint={t("policiesHint")}>
          <textarea
            rows={6}
            className="mono"
            value={policies}
            onChange={(e) => setPolicies(e.target.value)}
          />
        </Field>
        <ErrorBox error={problem} />
        <div>
          <button type="submit" className="btn btn-primary">
            {t("save")}
          </button>
        </div>
      </form>
    </Card>
  );
}

export function AccountDetail({ appid }: { appid: string }) {
  const { t } = useI18n();
  const acc = useLoad(() => get<AccountView>(`/accounts/${seg(appid)}`), [appid], ["account.updated"]);
  const a = acc.data;
  // Forms start from the saved values again after a save or a change elsewhere.
  const version = a ? JSON.stringify(a) : "";
  return (
    <div>
      <div className="toolbar">
        <a href={href("accounts")} className="btn btn-small">
          ‹ {t("accounts")}
        </a>
        <h1>{a ? `${a.name} · ${a.kind}` : appid}</h1>
        {a && (
          <nav className="links" aria-label={t("related")}>
            <a href={href("permissions", [], { appid })}>{t("permissions")}</a>
            <a href={href("menus", [], { appid })}>{t("menusQr")}</a>
            <a href={href("pushes", [], { appid })}>{t("pushes")}</a>
            <a href={href("api", [], { appid })}>{t("apiLog")}</a>
            <a href={href("users", [], { appid })}>{t("followers")}</a>
          </nav>
        )}
      </div>
      <ErrorBox error={acc.error} />
      {a && (
        <div className="grid-2" key={version}>
          <Credentials a={a} />
          <Basics a={a} onSaved={acc.reload} />
          <Server a={a} onSaved={acc.reload} />
          <ListsAndPolicies a={a} onSaved={acc.reload} />
        </div>
      )}
    </div>
  );
}
