/**
 * The clock and the world: the platform's time and its offset from real time, moving it forward by
 * a chosen amount (48-hour windows, token expiry, QR expiry become testable), back to real time;
 * exporting the whole world to a file, importing one, resetting it.
 */
import { useState } from "react";
import { get, post, put } from "../api/client.js";
import type { ClockView } from "../api/types.js";
import { type MessageKey, timeOf, useI18n } from "../i18n/index.js";
import { useLoad } from "../ui/data.js";
import { attempt, Card, ErrorBox, Field } from "../ui/kit.js";

const STEPS: { seconds: number; label: MessageKey }[] = [
  { seconds: 60, label: "plus1m" },
  { seconds: 3600, label: "plus1h" },
  { seconds: 7200, label: "plus2h" },
  { seconds: 86_400, label: "plus1d" },
  { seconds: 172_800, label: "plus48h" },
  { seconds: 604_800, label: "plus7d" },
  { seconds: 2_592_000, label: "plus30d" },
];

function offsetText(ms: number): string {
  const s = Math.round(ms / 1000);
  const d = Math.floor(Math.abs(s) / 86_400);
  const h = Math.floor((Math.abs(s) % 86_400) / 3600);
  const m = Math.floor((Math.abs(s) % 3600) / 60);
  return `${s < 0 ? "-" : "+"}${d}d ${h}h ${m}m`;
}

export function ClockPanel() {
  const { t, lang } = useI18n();
  const clock = useLoad(() => get<ClockView>("/clock"), [], ["clock.moved"]);
  const [custom, setCustom] = useState("3600");
  const [importError, setImportError] = useState<Error | null>(null);
  const move = (body: Record<string, unknown>) =>
    attempt(() => post<ClockView>("/clock", body), t("clockMovedDone")).then(clock.reload);
  const c = clock.data;
  return (
    <div>
      <div className="toolbar">
        <h1>{t("clockWorld")}</h1>
      </div>
      <ErrorBox error={clock.error} />
      <div className="grid-2">
        <Card title={t("clock")}>
          {c && (
            <p className="clock-big" data-testid="clock-now">
              {timeOf(c.now, lang, true)}{" "}
              <span className="muted small">
                ({t("offset")} {offsetText(c.offsetMs)})
              </span>
            </p>
          )}
          <div className="actions wrap">
            {STEPS.map((s) => (
              <button
                key={s.seconds}
                type="button"
                className="btn"
                onClick={() => void move({ advanceSeconds: s.seconds })}
              >
                {t(s.label)}
              </button>
            ))}
          </div>
          <form
            className="actions"
            onSubmit={(e) => {
              e.preventDefault();
              const n = Number(custom);
              if (Number.isFinite(n)) void move({ advanceSeconds: n });
            }}
          >
            <Field label="advanceSeconds">
              <input inputMode="numeric" value={custom} onChange={(e) => setCustom(e.target.value)} />
            </Field>
            <button type="submit" className="btn btn-primary">
              {t("move")}
            </button>
            <button type="button" className="btn" onClick={() => void move({ resetToRealTime: true })}>
              {t("realTime")}
            </button>
          </form>
        </Card>
        <Card title={t("world")}>
          <div className="actions wrap">
            <button
              type="button"
              className="btn"
              onClick={async () => {
                const world = await attempt(() => get<unknown>("/world"));
                if (!world) return;
                const url = URL.createObjectURL(
                  new Blob([JSON.stringify(world, null, 1)], { type: "application/json" }),
                );
                const a = document.createElement("a");
                a.href = url;
                a.download = `mpstack-world-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.json`;
                a.click();
                window.setTimeout(() => URL.revokeObjectURL(url), 1000);
              }}
            >
              {t("exportWorld")}
            </button>
            <label className="btn">
              {t("importWorld")}
              <input
                className="file-input"
                type="file"
                accept="application/json,.json"
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  if (!f) return;
                  if (!window.confirm(t("confirmImport"))) return;
                  try {
                    setImportError(null);
                    const world: unknown = JSON.parse(await f.text());
                    await attempt(() => put("/world", world), t("imported"));
                  } catch (err) {
                    setImportError(err as Error);
                  }
                }}
              />
            </label>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => {
                if (window.confirm(t("confirmReset"))) void attempt(() => post("/reset", {}), t("resetDone"));
              }}
            >
              {t("resetWorld")}
            </button>
          </div>
          <ErrorBox error={importError} />
          <p className="muted small">{t("worldHelp")}</p>
        </Card>
      </div>
    </div>
  );
}
