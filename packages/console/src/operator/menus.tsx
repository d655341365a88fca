/**
 * Menus and QR codes of one account, drawn rather than dumped: the default menu as the phone shows
 * it (buttons, sub-menus, each button's type and key/url), the personalised menus with their match
 * rules, and the parametric QR codes with their images, scenes and expiry.
 */
import { get, seg } from "../api/client.js";
import type { MenuButtonView, QrcodeView } from "../api/types.js";
import { timeOf, useI18n } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { useAccounts, useLoad } from "../ui/data.js";
import { AccountSelect, Badge, Card, ErrorBox } from "../ui/kit.js";
import { href, navigate } from "../ui/route.js";

interface MenusAnswer {
  menu: { button: MenuButtonView[]; menuid?: number } | null;
  conditionalmenu?: { button: MenuButtonView[]; matchrule: Record<string, string>; menuid: number }[];
}

function target(b: MenuButtonView): string {
  const r = b as Record<string, unknown>;
  return String(r.key ?? r.url ?? r.media_id ?? r.article_id ?? r.pagepath ?? "");
}

function MenuDrawing({ buttons }: { buttons: MenuButtonView[] }) {
  return (
    <div className="menu-drawing">
      {buttons.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a menu button is its position
        <div key={`${i}-${b.name}`} className="menu-col">
          {(b.sub_button ?? []).length > 0 && (
            <ul className="menu-subs">
              {(b.sub_button ?? []).map((s, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a menu button is its position
                <li key={`${j}-${s.name}`}>
                  <strong>{s.name}</strong>
                  <span className="muted small">
                    {String((s as Record<string, unknown>).type ?? "")} · {target(s as MenuButtonView)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <div className="menu-top">
            <strong>{b.name}</strong>
            {(b.sub_button ?? []).length === 0 && (
              <span className="muted small">
                {String((b as Record<string, unknown>).type ?? "")} · {target(b)}
              </span>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}

export function MenusPanel({ query }: PanelProps) {
  const { t, lang } = useI18n();
  const accounts = useAccounts();
  const appid = query.get("appid") ?? accounts.data?.at(-1)?.appid ?? "";
  const menus = useLoad(
    async () => (appid ? get<MenusAnswer>(`/accounts/${seg(appid)}/menus`) : undefined),
    [appid],
    ["api.call"],
  );
  const codes = useLoad(
    async () =>
      appid
        ? (await get<{ qrcodes: QrcodeView[] }>(`/accounts/${seg(appid)}/qrcodes`, { limit: 50 })).qrcodes
        : [],
    [appid],
    ["api.call", "clock.moved"],
  );
  return (
    <div>
      <div className="toolbar">
        <h1>{t("menusQr")}</h1>
        <AccountSelect
          accounts={accounts.data}
          value={appid}
          onChange={(a) => navigate(href("menus", [], { appid: a }))}
        />
      </div>
      <ErrorBox error={menus.error ?? codes.error} />
      <Card title={t("defaultMenu")}>
        {menus.data?.menu ? (
          <MenuDrawing buttons={menus.data.menu.button} />
        ) : (
          <p className="muted">{t("noMenu")}</p>
        )}
      </Card>
      {(menus.data?.conditionalmenu ?? []).map((m) => (
        <Card key={m.menuid} title={`${t("personalisedMenu")} ${m.menuid}`}>
          <p className="small">
            {Object.entries(m.matchrule).map(([k, v]) => (
              <Badge key={k} tone="info">
                {k} = {v}
              </Badge>
            ))}
          </p>
          <MenuDrawing buttons={m.button} />
        </Card>
      ))}
      <Card title={t("qrcodes")}>
        {(codes.data ?? []).length === 0 && <p className="muted">{t("noQrcodes")}</p>}
        <div className="qr-cards">
          {(codes.data ?? []).map((c) => (
            <figure key={c.ticket} className="qr-card">
              <img
                src={`/_mpstack/accounts/${seg(appid)}/qrcodes/${seg(c.ticket)}/image`}
                alt={`QR ${c.scene}`}
                width={120}
                height={120}
                loading="lazy"
              />
              <figcaption>
                <strong>{c.scene}</strong>{" "}
                <Badge tone={c.expired ? "bad" : c.permanent ? "info" : "ok"}>
                  {c.expired ? t("expired") : c.actionName}
                </Badge>
                <div className="muted small">
                  {c.expireAt ? `${t("expires")} ${timeOf(c.expireAt, lang, true)}` : t("permanent")}
                </div>
                <div className="mono small ellipsis">{c.url}</div>
              </figcaption>
            </figure>
          ))}
        </div>
      </Card>
    </div>
  );
}
