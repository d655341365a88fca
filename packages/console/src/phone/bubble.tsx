/**
 * One message in the phone's conversation, drawn as WeChat does: bubbles left (the account) and
 * right (the user), cards for news / mpnews / templates, a player for voice, centered gray lines for
 * events and notices. Hovering (or focusing) a message shows its kind, type and time.
 */
import { memo, type ReactNode } from "react";
import { timeOf, useI18n } from "../i18n/index.js";
import type { DrawnMessage, MessageView } from "./messages.js";
import { segments } from "./text.js";

export interface BubbleActions {
  openLink(url: string): void;
  /** Tap an option of a menu message (msgmenu): the user sends it back with its id. */
  choose?(id: string, content: string): void;
}

function RichText({ text, openLink }: { text: string; openLink(url: string): void }) {
  return (
    <>
      {segments(text).map((s, i) =>
        s.kind === "link" ? (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of one text never reorder
            key={i}
            href={s.url}
            onClick={(e) => {
              e.preventDefault();
              openLink(s.url);
            }}
          >
            {s.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of one text never reorder
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

/**
 * Pictures from the platform itself (uploads, QR codes) are drawn; other hosts (a CDN the developer's
 * server names, WeChat's own) are shown as a link instead: the platform runs offline, and a picture
 * that cannot load would only be a broken image and a browser console error.
 */
export function isLocalUrl(url: string): boolean {
  if (url.startsWith("data:") || url.startsWith("blob:") || (url.startsWith("/") && !url.startsWith("//")))
    return true;
  try {
    return new URL(url).origin === window.location.origin;
  } catch {
    return false;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 30);
  }
}

function Player({ src, label }: { src: string; label: string }) {
  // biome-ignore lint/a11y/useMediaCaption: simulated voice and music have no captions (recognition text is shown)
  return <audio controls preload="none" src={src} aria-label={label} />;
}

function Body({ view, a }: { view: MessageView; a: BubbleActions }): ReactNode {
  const { t } = useI18n();
  switch (view.type) {
    case "text":
      return (
        <div className="bubble-text">
          <RichText text={view.text} openLink={a.openLink} />
        </div>
      );
    case "image":
      return view.url && isLocalUrl(view.url) ? (
        <img className="bubble-image" src={view.url} alt={t("msgImage")} loading="lazy" />
      ) : view.url ? (
        <button
          type="button"
          className="link-button bubble-text"
          onClick={() => a.openLink(view.url ?? "")}
          title={view.url}
        >
          🖼 {t("msgImage")} · {hostOf(view.url)}
        </button>
      ) : (
        <div className="bubble-text muted">
          [{t("msgImage")}] {view.mediaId.slice(0, 12)}…
        </div>
      );
    case "voice":
      return (
        <div className="bubble-voice">
          <span aria-hidden="true">🔊</span>
          {view.url ? <Player src={view.url} label={t("msgVoice")} /> : <span>{t("msgVoice")}</span>}
          {view.recognition && <div className="muted small">{view.recognition}</div>}
        </div>
      );
    case "video":
      return (
        <div className="bubble-card">
          <div className="card-title">▶ {view.title || t("msgVideo")}</div>
          {view.description && <div className="muted small">{view.description}</div>}
        </div>
      );
    case "music":
      return (
        <div className="bubble-card">
          <div className="card-title">♪ {view.title || t("msgMusic")}</div>
          {view.description && <div className="muted small">{view.description}</div>}
          {view.url && <Player src={view.url} label={t("msgMusic")} />}
        </div>
      );
    case "news":
      return (
        <div className="bubble-news">
          {view.articles.map((art, i) => (
            <a
              // biome-ignore lint/suspicious/noArrayIndexKey: articles of one message never reorder
              key={i}
              className={i === 0 ? "news-first" : "news-item"}
              href={art.url || "#"}
              onClick={(e) => {
                e.preventDefault();
                if (art.url) a.openLink(art.url);
              }}
            >
              {art.picUrl &&
                (isLocalUrl(art.picUrl) ? (
                  <img src={art.picUrl} alt="" loading="lazy" />
                ) : (
                  <span className="news-pic" title={art.picUrl}>
                    🖼 {hostOf(art.picUrl)}
                  </span>
                ))}
              <span className="news-title">{art.title}</span>
              {i === 0 && art.description && <span className="news-desc">{art.description}</span>}
            </a>
          ))}
        </div>
      );
    case "mpnews":
      return (
        <div className="bubble-card">
          <div className="card-title">📰 {view.title}</div>
          <div className="muted small">{view.id}</div>
        </div>
      );
    case "card":
      return (
        <div className="bubble-card template">
          <div className="card-title">{view.title}</div>
          {view.fields.map(([k, v]) => (
            <div key={k} className="card-field">
              <span className="muted">{k}</span> {v}
            </div>
          ))}
          {view.url && (
            <button type="button" className="link-button" onClick={() => a.openLink(view.url)}>
              {t("viewDetails")}
            </button>
          )}
        </div>
      );
    case "choices":
      return (
        <div className="bubble-text">
          {view.head && <div>{view.head}</div>}
          {view.options.map((o) => (
            <button
              key={o.id}
              type="button"
              className="link-button"
              onClick={() => a.choose?.(o.id, o.content)}
            >
              {o.content}
            </button>
          ))}
          {view.tail && <div>{view.tail}</div>}
        </div>
      );
    case "location":
      return (
        <div className="bubble-card">
          <div className="card-title">📍 {view.label || t("msgLocation")}</div>
          <div className="muted small">
            {view.latitude.toFixed(5)}, {view.longitude.toFixed(5)}
          </div>
        </div>
      );
    case "link":
      return (
        <div className="bubble-card">
          <button type="button" className="link-button card-title" onClick={() => a.openLink(view.url)}>
            🔗 {view.title || view.url}
          </button>
          {view.description && <div className="muted small">{view.description}</div>}
        </div>
      );
    case "event":
    case "notice":
      return <span>{view.text}</span>;
    default:
      return <code className="small">{view.json}</code>;
  }
}

export const Bubble = memo(function Bubble({
  m,
  a,
  avatar,
}: {
  m: DrawnMessage;
  a: BubbleActions;
  avatar: string;
}) {
  const { lang } = useI18n();
  const title = `${m.kind} · ${m.msgType} · ${timeOf(m.time, lang, true)}`;
  if (m.side === "center") {
    return (
      <div
        className={`msg-center ${m.view.type === "notice" ? "notice" : ""}`}
        title={title}
        data-kind={m.kind}
      >
        <Body view={m.view} a={a} />
      </div>
    );
  }
  return (
    <div className={`msg msg-${m.side}`} title={title} data-kind={m.kind} data-type={m.msgType}>
      <span className="avatar" aria-hidden="true">
        {avatar}
      </span>
      <div className={`bubble bubble-${m.view.type}`}>
        <Body view={m.view} a={a} />
      </div>
      <span className="sr-only">{title}</span>
    </div>
  );
});
