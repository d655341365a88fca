/**
 * One simulated phone: a user chatting with an account. The conversation (live), the composer
 * (text, and "+" for photo, voice, location, link, scan), follow / unfollow, and the account's menu
 * with each button type doing what WeChat's client does (click, view → in-app browser, scancode_*
 * → scan, pic_* → pictures, location_select → place, …).
 */
import { useCallback, useState } from "react";
import { get, post, seg } from "../api/client.js";
import type {
  AccountView,
  ApiCallEvent,
  MenuClickBody,
  PhoneMenu,
  QrcodeView,
  UserMessageBody,
  UserView,
} from "../api/types.js";
import { type MessageKey, useT } from "../i18n/index.js";
import { useLive } from "../live/bus.js";
import { useLoad } from "../ui/data.js";
import { attempt } from "../ui/kit.js";
import { openInAppBrowser } from "./browser.js";
import type { BubbleActions } from "./bubble.js";
import { Conversation } from "./conversation.js";
import type { Uploaded } from "./media.js";
import { MenuBar, type Tap } from "./menu-bar.js";
import { ScanSheet } from "./scan.js";
import { ImageSheet, LinkSheet, LocationSheet, PicturesSheet, VoiceSheet } from "./sheets.js";

type SheetKind = "plus" | "image" | "voice" | "location" | "link" | "scan";
type MenuSheet = { tap: Tap; kind: "scan" | "pictures" | "location" };

const PLUS: { kind: SheetKind; icon: string; label: MessageKey }[] = [
  { kind: "image", icon: "🖼", label: "photo" },
  { kind: "voice", icon: "🎙", label: "voice" },
  { kind: "location", icon: "📍", label: "location" },
  { kind: "link", icon: "🔗", label: "link" },
  { kind: "scan", icon: "⌗", label: "scan" },
];

export function Phone({
  user,
  appid,
  users,
  accounts,
  onChange,
  onRemove,
}: {
  user: string;
  appid: string;
  users: UserView[];
  accounts: AccountView[];
  onChange(user: string, appid: string): void;
  onRemove?: () => void;
}) {
  const t = useT();
  const account = accounts.find((a) => a.appid === appid);
  const me = users.find((u) => u.id === user);
  const [text, setText] = useState("");
  const [sheet, setSheet] = useState<SheetKind | null>(null);
  const [menuSheet, setMenuSheet] = useState<MenuSheet | null>(null);
  const [keyboard, setKeyboard] = useState(false);
  const menu = useLoad(
    () => get<PhoneMenu>(`/users/${seg(user)}/menu`, { appid, refresh: true }),
    [user, appid],
    ["user.followed", "user.unfollowed"],
  );
  // A menu created or deleted through the API shows at once (the phone asks with refresh=true).
  useLive(["api.call"], (_n, d) => {
    const call = d as ApiCallEvent;
    if (call.appid === appid && call.path.startsWith("/cgi-bin/menu/") && call.errcode === 0) menu.reload();
  });
  const following = menu.data?.following ?? false;

  const send = useCallback(
    async (body: Omit<UserMessageBody, "appid">) => {
      await attempt(() => post(`/users/${seg(user)}/messages`, { appid, ...body }));
    },
    [user, appid],
  );
  const click = (tap: Tap, extra: Partial<MenuClickBody> = {}) =>
    attempt(() => post(`/users/${seg(user)}/menu-click`, { appid, button: tap.position, ...extra }));
  const actions: BubbleActions = {
    openLink: (url) => void openInAppBrowser(user, url),
    choose: (id, content) => void send({ type: "text", content, bizmsgmenuid: id }),
  };
  const onTap = (tap: Tap) => {
    const type = String((tap.button as { type?: string }).type ?? "");
    setSheet(null);
    if (type === "scancode_push" || type === "scancode_waitmsg") return setMenuSheet({ tap, kind: "scan" });
    if (type.startsWith("pic_")) return setMenuSheet({ tap, kind: "pictures" });
    if (type === "location_select") return setMenuSheet({ tap, kind: "location" });
    setMenuSheet(null);
    void click(tap).then(() => {
      const url = (tap.button as { url?: string }).url;
      if (type === "view" && url) void openInAppBrowser(user, url);
    });
  };
  const scanCode = async (target: { ticket?: string; url?: string }) => {
    setSheet(null);
    const r = await attempt(() => post<{ appid: string }>(`/users/${seg(user)}/scan`, target));
    if (r && r.appid !== appid) onChange(user, r.appid);
  };
  const toggleFollow = () =>
    attempt(() => post(`/users/${seg(user)}/${following ? "unfollow" : "follow"}`, { appid })).then(() =>
      menu.reload(),
    );
  const showMenu = following && (menu.data?.button.length ?? 0) > 0 && !keyboard;
  const avatar = (me?.nickname || user).slice(0, 1).toUpperCase();

  return (
    <div className="phone-wrap">
      <div className="phone-pickers">
        <select aria-label={t("user")} value={user} onChange={(e) => onChange(e.target.value, appid)}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.nickname || u.id} ({u.id})
            </option>
          ))}
        </select>
        <select aria-label={t("account")} value={appid} onChange={(e) => onChange(user, e.target.value)}>
          {accounts.map((a) => (
            <option key={a.appid} value={a.appid}>
              {a.name} · {a.kind}
            </option>
          ))}
        </select>
        {onRemove && (
          <button type="button" className="btn btn-small" onClick={onRemove} aria-label={t("removePhone")}>
            ✕
          </button>
        )}
      </div>
      <div className="phone" data-user={user} data-appid={appid}>
        <div className="phone-status" aria-hidden="true">
          <span>{me?.nickname || user}</span>
          <span>5G ▮▮▮</span>
        </div>
        <div className="phone-nav">
          <span className="phone-title">{account?.name ?? appid}</span>
          <button
            type="button"
            className="nav-action"
            onClick={toggleFollow}
            aria-label={following ? t("unfollow") : t("follow")}
          >
            {following ? t("unfollow") : t("follow")}
          </button>
        </div>
        <Conversation
          user={user}
          appid={appid}
          actions={actions}
          userAvatar={avatar}
          accountAvatar={(account?.name ?? "公").slice(0, 1)}
        />
        {!following && (
          <div className="follow-bar">
            <button type="button" className="weui-btn weui-btn_primary" onClick={toggleFollow}>
              {t("followAccount")}
            </button>
          </div>
        )}
        {following && menuSheet && (
          <div className="sheet-wrap">
            <div className="sheet-head">
              <span>{menuSheet.tap.button.name}</span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setMenuSheet(null)}
                aria-label={t("close")}
              >
                ✕
              </button>
            </div>
            {menuSheet.kind === "scan" && (
              <ScanSheet
                appid={appid}
                onCode={(c: QrcodeView) =>
                  void click(menuSheet.tap, { scanResult: c.url }).then(() => setMenuSheet(null))
                }
                onText={(s) => void click(menuSheet.tap, { scanResult: s }).then(() => setMenuSheet(null))}
              />
            )}
            {menuSheet.kind === "pictures" && (
              <PicturesSheet
                onSend={(pictures) =>
                  void click(menuSheet.tap, pictures.length ? { pictures } : {}).then(() =>
                    setMenuSheet(null),
                  )
                }
              />
            )}
            {menuSheet.kind === "location" && (
              <LocationSheet
                onSend={(p, scale) =>
                  void click(menuSheet.tap, {
                    location: { latitude: p.latitude, longitude: p.longitude, label: p.label, scale },
                  }).then(() => setMenuSheet(null))
                }
              />
            )}
          </div>
        )}
        {following && sheet && sheet !== "plus" && (
          <div className="sheet-wrap">
            <div className="sheet-head">
              <span>{t(PLUS.find((p) => p.kind === sheet)?.label ?? "photo")}</span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setSheet(null)}
                aria-label={t("close")}
              >
                ✕
              </button>
            </div>
            {sheet === "image" && (
              <ImageSheet
                onSend={(u: Uploaded) =>
                  void send({ type: "image", mediaId: u.mediaId, picUrl: u.url }).then(() => setSheet(null))
                }
              />
            )}
            {sheet === "voice" && (
              <VoiceSheet
                onSend={(u, recognition) =>
                  void send({
                    type: "voice",
                    mediaId: u.mediaId,
                    format: u.format,
                    ...(recognition ? { recognition } : {}),
                  }).then(() => setSheet(null))
                }
              />
            )}
            {sheet === "location" && (
              <LocationSheet
                onSend={(p, scale) =>
                  void send({
                    type: "location",
                    locationX: p.latitude,
                    locationY: p.longitude,
                    scale,
                    label: p.label,
                  }).then(() => setSheet(null))
                }
              />
            )}
            {sheet === "link" && (
              <LinkSheet onSend={(l) => void send({ type: "link", ...l }).then(() => setSheet(null))} />
            )}
            {sheet === "scan" && (
              <ScanSheet
                appid={appid}
                onCode={(c) => void scanCode({ ticket: c.ticket })}
                onText={(s) => void scanCode({ url: s })}
              />
            )}
          </div>
        )}
        {following && showMenu && menu.data && (
          <MenuBar buttons={menu.data.button} onTap={onTap} onKeyboard={() => setKeyboard(true)} />
        )}
        {following && !showMenu && (
          <form
            className="composer"
            onSubmit={(e) => {
              e.preventDefault();
              if (!text.trim()) return;
              const content = text;
              setText("");
              void send({ type: "text", content });
            }}
          >
            {(menu.data?.button.length ?? 0) > 0 && (
              <button
                type="button"
                className="menu-toggle"
                onClick={() => setKeyboard(false)}
                aria-label={t("showMenu")}
                title={t("showMenu")}
              >
                ☰
              </button>
            )}
            <input
              className="composer-input"
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-label={t("message")}
              placeholder={t("message")}
            />
            <button
              type="button"
              className="plus"
              aria-expanded={sheet === "plus"}
              aria-label={t("more")}
              onClick={() => setSheet(sheet === "plus" ? null : "plus")}
            >
              +
            </button>
            <button
              type="submit"
              className="weui-btn weui-btn_primary weui-btn_mini send"
              disabled={!text.trim()}
            >
              {t("send")}
            </button>
          </form>
        )}
        {following && !showMenu && sheet === "plus" && (
          <div className="plus-grid">
            {PLUS.map((p) => (
              <button key={p.kind} type="button" className="plus-item" onClick={() => setSheet(p.kind)}>
                <span className="plus-icon" aria-hidden="true">
                  {p.icon}
                </span>
                {t(p.label)}
              </button>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
