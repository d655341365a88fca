/**
 * The console's frame: a header (brand, live status, platform clock, language switch), the
 * navigation built from the panel registry (phone simulator first, then the operator panels), the
 * current panel, and the admin-key prompt when the platform asks for one.
 */
import { Suspense, useEffect, useState } from "react";
import { ApiError, get, setAdminKey } from "./api/client.js";
import type { ClockView } from "./api/types.js";
import { timeOf, useI18n } from "./i18n/index.js";
import { useLive, useLiveStatus } from "./live/bus.js";
import { allPanels, panelById } from "./panels/registry.js";
import { Toaster } from "./ui/kit.js";
import { href, useRoute } from "./ui/route.js";

const DEFAULT_PANEL = "phones";

function useClock(): ClockView | null {
  const [clock, setClock] = useState<ClockView | null>(null);
  const [now, setNow] = useState(Date.now());
  const load = () => {
    get<ClockView>("/clock").then(
      (c) => setClock({ ...c, offsetMs: c.offsetMs }),
      () => {},
    );
  };
  useEffect(load, []);
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);
  useLive(["clock.moved", "world.replaced"], load, load);
  if (!clock) return null;
  const ms = now + clock.offsetMs;
  return { ...clock, now: ms, nowSeconds: Math.floor(ms / 1000), iso: new Date(ms).toISOString() };
}

/** The platform clock in the header, ticking each second (its own component: only it re-renders). */
function HeaderClock() {
  const { t, lang } = useI18n();
  const clock = useClock();
  if (!clock) return null;
  return (
    <a className="clock" href={href("clock")} title={clock.iso}>
      {timeOf(clock.now, lang, true)}
      {clock.offsetMs !== 0 && <span className="badge badge-warn">{t("clockMoved")}</span>}
    </a>
  );
}

function AdminKeyPrompt({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const [key, setKey] = useState("");
  return (
    <form
      className="card admin-key"
      onSubmit={(e) => {
        e.preventDefault();
        setAdminKey(key);
        onDone();
      }}
    >
      <h2>{t("adminKeyTitle")}</h2>
      <p className="muted">{t("adminKeyHelp")}</p>
      <input
        type="password"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        aria-label={t("adminKeyTitle")}
      />
      <button type="submit" className="btn btn-primary">
        {t("save")}
      </button>
    </form>
  );
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  const status = useLiveStatus();
  const [needKey, setNeedKey] = useState(false);
  const [forbidden, setForbidden] = useState<string | null>(null);
  useEffect(() => {
    get("/health").catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 401) setNeedKey(true);
      else if (e instanceof ApiError && e.status === 403) setForbidden(e.message);
    });
  }, []);
  const panel = panelById(route.panel) ?? panelById(DEFAULT_PANEL);
  const panels = allPanels().filter((p) => !p.hidden);
  return (
    <div className="app">
      <a className="skip" href="#main">
        {t("skipToContent")}
      </a>
      <header className="topbar">
        <a className="brand" href={href(DEFAULT_PANEL)}>
          mpstack <span className="muted">{t("consoleTitle")}</span>
        </a>
        <output className={`live live-${status}`} title={t(`live_${status}`)}>
          <span className="dot" aria-hidden="true" /> {t(`live_${status}`)}
        </output>
        <HeaderClock />
        <fieldset className="lang">
          <legend className="sr-only">{t("language")}</legend>
          <button
            type="button"
            className={lang === "zh" ? "on" : ""}
            aria-pressed={lang === "zh"}
            onClick={() => setLang("zh")}
          >
            中文
          </button>
          <button
            type="button"
            className={lang === "en" ? "on" : ""}
            aria-pressed={lang === "en"}
            onClick={() => setLang("en")}
          >
            English
          </button>
        </fieldset>
      </header>
      <nav className="nav" aria-label={t("navigation")}>
        {panels.map((p, i) => (
          <a
            key={p.id}
            href={href(p.id)}
            className={`${p.id === panel?.id ? "on" : ""} ${i > 0 && panels[i - 1]?.section !== p.section ? "sep" : ""}`}
            aria-current={p.id === panel?.id ? "page" : undefined}
          >
            {t(p.label)}
          </a>
        ))}
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        {forbidden && <div className="error-box">{forbidden}</div>}
        {needKey ? (
          <AdminKeyPrompt onDone={() => window.location.reload()} />
        ) : (
          panel && (
            <Suspense fallback={<span className="muted">{t("loading")}</span>}>
              <panel.Component
                key={panel.id}
                path={panel.id === route.panel ? route.path : []}
                query={route.query}
              />
            </Suspense>
          )
        )}
      </main>
      <Toaster />
    </div>
  );
}
