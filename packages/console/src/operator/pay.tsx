/**
 * Pay and cards of one account: the simulated merchant (mch_id and serials; the API keys hidden
 * until revealed), orders (out_trade_no, amount, state, payer, time) with their refunds, the
 * payment and refund notifications with every attempt (time, HTTP status and answer, next retry)
 * and the simulator's deliver-now / stop / send-again actions, and the account's cards. Reloads on
 * the account's `pay.*` and card events (and its card API calls) and when the clock moves.
 */
import { useState } from "react";
import type {
  CardsView,
  Merchant,
  PayNotificationsView,
  PayNotificationView,
  PayOrdersView,
  PayOrderView,
} from "../api/area-types.js";
import { get, post, seg } from "../api/client.js";
import type { ClockView } from "../api/types.js";
import { timeOf, useI18n } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { ofAccount, useLoad, usePickedAccount } from "../ui/data.js";
import {
  AccountToolbar,
  attempt,
  Badge,
  Card,
  Code,
  CopyButton,
  DataTable,
  ErrorBox,
  prettyJson,
} from "../ui/kit.js";
import { notifyTone, tradeTone, untilNext, yuan } from "./area-format.js";

const PAY_EVENTS = ["pay.order", "pay.refund", "pay.notification", "clock.moved"];

function Secret({ label, value }: { label: string; value: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  return (
    <div className="cred">
      <dt>{label}</dt>
      <dd>
        <span className="mono">{shown ? value : "••••••••"}</span>{" "}
        <button type="button" className="btn btn-small" onClick={() => setShown(!shown)}>
          {shown ? t("hide") : t("reveal")}
        </button>
        {shown && <CopyButton text={value} label={label} />}
      </dd>
    </div>
  );
}

function MerchantCard({ m }: { m: Merchant }) {
  const { t } = useI18n();
  const plain: [string, string][] = [
    ["mch_id", m.mchId],
    [t("merchantSerial"), m.merchantSerialNo],
    [t("platformSerial"), m.platformSerialNo],
  ];
  return (
    <Card title={t("merchant")}>
      <dl className="creds">
        {plain.map(([k, v]) => (
          <div key={k} className="cred">
            <dt>{k}</dt>
            <dd>
              <span className="mono">{v}</span> <CopyButton text={v} label={k} />
            </dd>
          </div>
        ))}
        <Secret label={t("apiKeyV2")} value={m.apiKey} />
        <Secret label={t("apiKeyV3")} value={m.apiV3Key} />
      </dl>
    </Card>
  );
}

function NotificationDetail({ n }: { n: PayNotificationView }) {
  const { t, lang } = useI18n();
  const act = (action: string, done: string) =>
    void attempt(() => post(`/pay/notifications/${seg(n.id)}/${action}`, {}), done);
  return (
    <div className="detail">
      <div className="detail-actions">
        {n.status === "pending" && (
          <>
            <button type="button" className="btn" onClick={() => act("deliver", t("sent"))}>
              {t("deliverNow")}
            </button>
            <button type="button" className="btn" onClick={() => act("drop", t("stopped"))}>
              {t("stopRetrying")}
            </button>
          </>
        )}
        <button type="button" className="btn" onClick={() => act("duplicate", t("resent"))}>
          {t("resend")}
        </button>
        <span className="mono small ellipsis">POST {n.url}</span>
      </div>
      {n.attempts.map((a) => (
        <div key={a.attempt} className="attempt">
          <h4>
            {t("attempt")} {a.attempt} · {timeOf(a.startedAt, lang, true)} ·{" "}
            <Badge tone={a.outcome === "success" ? "ok" : "bad"}>{a.outcome}</Badge> ·{" "}
            {a.status === null ? t("noAnswer") : `HTTP ${a.status}`} · {a.latencyMs} ms
          </h4>
          {a.error && <div className="error-box">{a.error}</div>}
          {a.response !== null && (
            <Code label={t("response")}>{prettyJson(a.response) || t("emptyBody")}</Code>
          )}
        </div>
      ))}
      <h4>{t("rawBody")}</h4>
      <Code>{prettyJson(n.body)}</Code>
    </div>
  );
}

export function PayPanel({ query }: PanelProps) {
  const { t, lang } = useI18n();
  const { accounts, appid } = usePickedAccount(query);
  const account = accounts.data?.find((a) => a.appid === appid);
  const granted = account?.grants.includes("pay") ?? false;
  const mine = ofAccount(appid);
  const accept = (name: string, data: unknown) => name === "clock.moved" || mine(name, data);
  // The merchant exists with the pay grant only (asking without it would answer 404).
  const merchant = useLoad(
    async () => (appid && granted ? get<Merchant>(`/accounts/${seg(appid)}/merchant`) : undefined),
    [appid, granted],
    ["account.updated"],
  );
  const pay = useLoad(
    async () => {
      if (!appid) return undefined;
      const [orders, notes, clock] = await Promise.all([
        get<PayOrdersView>("/pay/orders", { appid, limit: 100 }),
        get<PayNotificationsView>("/pay/notifications", { appid, limit: 100 }),
        get<ClockView>("/clock"),
      ]);
      return { orders: orders.orders, notifications: notes.notifications, now: clock.now };
    },
    [appid],
    PAY_EVENTS,
    accept,
  );
  const cards = useLoad(
    async () => (appid ? (await get<CardsView>(`/accounts/${seg(appid)}/cards`)).cards : []),
    [appid],
    ["card.event", "api.call"],
    (name, data) =>
      mine(name, data) && (name !== "api.call" || /^\/card\//.test((data as { path: string }).path)),
  );
  const d = pay.data;
  const refunds = (d?.orders ?? []).flatMap((o) => o.refunds);
  return (
    <div>
      <AccountToolbar panel="pay" title={t("payCards")} appid={appid} accounts={accounts.data} />
      <ErrorBox error={merchant.error ?? pay.error ?? cards.error ?? accounts.error} />
      {account && !granted && <p className="muted">{t("noPayGrant")}</p>}
      {merchant.data && <MerchantCard m={merchant.data} />}
      <Card title={t("orders")}>
        <DataTable<PayOrderView>
          testId="pay-orders"
          rows={d?.orders ?? []}
          rowKey={(o) => o.out_trade_no}
          empty={t("noOrders")}
          columns={[
            { label: "out_trade_no", cell: (o) => <span className="mono">{o.out_trade_no}</span> },
            { label: t("amount"), cell: (o) => yuan(o.amount.total, o.amount.currency) },
            {
              label: t("state"),
              cell: (o) => <Badge tone={tradeTone(o.trade_state)}>{o.trade_state}</Badge>,
            },
            {
              label: t("payer"),
              cell: (o) => <span title={o.payer.openid}>{o.user || o.payer.openid}</span>,
            },
            { label: "API", cell: (o) => o.api },
            {
              label: t("time"),
              cell: (o) => <span className="nowrap">{timeOf(o.createdAt, lang, true)}</span>,
            },
          ]}
        />
      </Card>
      <Card title={t("refunds")}>
        <DataTable
          testId="pay-refunds"
          rows={refunds}
          rowKey={(r) => r.refund_id}
          empty={t("noRefunds")}
          columns={[
            { label: "out_refund_no", cell: (r) => <span className="mono">{r.out_refund_no}</span> },
            { label: "out_trade_no", cell: (r) => <span className="mono">{r.out_trade_no}</span> },
            { label: t("amount"), cell: (r) => `${yuan(r.amount.refund)} / ${yuan(r.amount.total)}` },
            { label: t("status"), cell: (r) => <Badge tone={tradeTone(r.status)}>{r.status}</Badge> },
            { label: t("time"), cell: (r) => r.create_time },
          ]}
        />
      </Card>
      <Card title={t("payNotifications")}>
        <DataTable<PayNotificationView>
          testId="pay-notifications"
          rows={d?.notifications ?? []}
          rowKey={(n) => n.id}
          empty={t("noNotifications")}
          detail={(n) => <NotificationDetail n={n} />}
          columns={[
            { label: t("time"), cell: (n) => timeOf(n.createdAt, lang, true) },
            { label: t("kind"), cell: (n) => `${n.eventType} · ${n.api}` },
            { label: t("related"), cell: (n) => <span className="mono small">{n.ref}</span> },
            { label: t("status"), cell: (n) => <Badge tone={notifyTone(n.status)}>{n.status}</Badge> },
            { label: t("attempts"), cell: (n) => n.attempts.length },
            {
              label: t("answer"),
              cell: (n) => {
                const last = n.attempts.at(-1);
                return last ? (last.status === null ? t("noAnswer") : `HTTP ${last.status}`) : "—";
              },
            },
            {
              label: t("nextTry"),
              cell: (n) =>
                n.nextAt === null
                  ? "—"
                  : `${timeOf(n.nextAt, lang)} (${untilNext(n.nextAt, d?.now ?? n.nextAt)})`,
            },
          ]}
        />
      </Card>
      <Card title={t("cards")}>
        <DataTable
          testId="cards"
          rows={cards.data ?? []}
          rowKey={(c) => c.cardId}
          empty={t("noCards")}
          columns={[
            { label: "card_id", cell: (c) => <span className="mono small">{c.cardId}</span> },
            { label: t("kind"), cell: (c) => c.type },
            {
              label: t("status"),
              cell: (c) => (
                <Badge tone={c.status === "CARD_STATUS_VERIFY_OK" ? "ok" : "muted"}>{c.status}</Badge>
              ),
            },
            { label: t("stock"), cell: (c) => c.quantity },
          ]}
        />
      </Card>
    </div>
  );
}
