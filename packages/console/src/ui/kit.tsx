/**
 * Small building blocks of the operator console: cards, fields, badges, copy buttons, error boxes,
 * JSON/code views, the account picker and a per-account panel's toolbar, tables (`DataTable`,
 * `EmptyRow`), and a toast for results.
 */
import { type ReactNode, useEffect, useState } from "react";
import type { AccountView } from "../api/types.js";
import { type MessageKey, useT } from "../i18n/index.js";
import { href, navigate } from "./route.js";

export function Card({
  title,
  children,
  actions,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="card">
      {(title || actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Badge({
  tone,
  children,
  title,
}: {
  tone: "ok" | "bad" | "warn" | "muted" | "info";
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label={`${t("copy")} ${label ?? ""}`.trim()}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => setDone(true),
          () => setDone(false),
        );
        window.setTimeout(() => setDone(false), 1200);
      }}
    >
      {done ? t("copied") : t("copy")}
    </button>
  );
}

export function ErrorBox({ error }: { error: Error | null | undefined }) {
  if (!error) return null;
  return (
    <div className="error-box" role="alert">
      {error.message}
    </div>
  );
}

export function Loading({ loading }: { loading: boolean }) {
  const t = useT();
  return loading ? <span className="muted">{t("loading")}</span> : null;
}

export function Code({ children, label }: { children: string; label?: string }) {
  // Scrollable blocks are focusable so the keyboard can scroll them.
  return (
    <section className="code" aria-label={label ?? "code"} tabIndex={-1}>
      <pre>{children}</pre>
    </section>
  );
}

export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A labelled form control. */
export function Field({
  label,
  children,
  hint,
}: {
  label: MessageKey;
  children: ReactNode;
  hint?: ReactNode;
}) {
  const t = useT();
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label className="field">
      <span className="field-label">{t(label)}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}

export function AccountSelect({
  accounts,
  value,
  onChange,
  allowAll,
  id,
}: {
  accounts: AccountView[] | undefined;
  value: string;
  onChange(appid: string): void;
  allowAll?: boolean;
  id?: string;
}) {
  const t = useT();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-label={t("account")}>
      {allowAll && <option value="">{t("allAccounts")}</option>}
      {(accounts ?? []).map((a) => (
        <option key={a.appid} value={a.appid}>
          {a.name} · {a.kind} · {a.appid}
        </option>
      ))}
    </select>
  );
}

let pushToast: ((text: string, tone: "ok" | "bad") => void) | null = null;

/** Show a short result message (bottom of the screen, announced to screen readers). */
export function toast(text: string, tone: "ok" | "bad" = "ok"): void {
  pushToast?.(text, tone);
}

export function Toaster() {
  const [items, setItems] = useState<{ id: number; text: string; tone: "ok" | "bad" }[]>([]);
  useEffect(() => {
    let n = 0;
    pushToast = (text, tone) => {
      const id = ++n;
      setItems((xs) => [...xs.slice(-3), { id, text, tone }]);
      window.setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== id)), 3500);
    };
    return () => {
      pushToast = null;
    };
  }, []);
  return (
    <div className="toaster" aria-live="polite">
      {items.map((i) => (
        <div key={i.id} className={`toast toast-${i.tone}`}>
          {i.text}
        </div>
      ))}
    </div>
  );
}

/** Run an action, toast its error; returns its result or undefined. */
export async function attempt<T>(fn: () => Promise<T>, done?: string): Promise<T | undefined> {
  try {
    const r = await fn();
    if (done) toast(done, "ok");
    return r;
  } catch (e) {
    toast(e instanceof Error ? e.message : String(e), "bad");
    return undefined;
  }
}

/** A table's placeholder row: "no pushes yet" and the like, across every column. */
export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="muted">
        {children}
      </td>
    </tr>
  );
}

export interface Column<T> {
  /** Header text (already translated, or a literal field name such as `errcode`). */
  label: ReactNode;
  cell(row: T): ReactNode;
  className?: string;
}

/**
 * A dense table of rows: columns, a placeholder when empty, and — with `detail` — rows that open
 * (the first cell becomes the toggle button; the detail spans the whole row below).
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  empty,
  testId,
  label,
  detail,
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  empty: ReactNode;
  testId?: string;
  label?: string;
  detail?: (row: T) => ReactNode;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const n = columns.length;
  return (
    <div className="table-wrap">
      <table className="table data-table" data-testid={testId} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed per table
              <th key={i}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && <EmptyRow colSpan={n}>{empty}</EmptyRow>}
          {rows.flatMap((r) => {
            const key = rowKey(r);
            const isOpen = detail !== undefined && open === key;
            const row = (
              <tr key={key} className={isOpen ? "open" : undefined}>
                {columns.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed per table
                  <td key={i} className={c.className}>
                    {i === 0 && detail ? (
                      <button
                        type="button"
                        className="link-button"
                        aria-expanded={isOpen}
                        onClick={() => setOpen(isOpen ? null : key)}
                      >
                        {c.cell(r)}
                      </button>
                    ) : (
                      c.cell(r)
                    )}
                  </td>
                ))}
              </tr>
            );
            if (!isOpen) return [row];
            return [
              row,
              <tr key={`${key}-d`} className="detail-row">
                <td colSpan={n}>{detail(r)}</td>
              </tr>,
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The head of a per-account panel: its title and the account picker (`?appid=` in the URL). */
export function AccountToolbar({
  panel,
  title,
  appid,
  accounts,
  children,
}: {
  panel: string;
  title: string;
  appid: string;
  accounts: AccountView[] | undefined;
  children?: ReactNode;
}) {
  return (
    <div className="toolbar">
      <h1>{title}</h1>
      <AccountSelect
        accounts={accounts}
        value={appid}
        onChange={(a) => navigate(href(panel, [], { appid: a }))}
      />
      {children}
    </div>
  );
}
