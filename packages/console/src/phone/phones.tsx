/**
 * The user-simulator panel: one or more phones side by side (two users chatting to one account, or
 * one user with two accounts). The set of phones is kept in localStorage; each phone picks its user
 * and account.
 */
import { useEffect, useState } from "react";
import { useT } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { useAccounts, useUsers } from "../ui/data.js";
import { ErrorBox, Loading } from "../ui/kit.js";
import { Phone } from "./phone.js";

interface PhoneSlot {
  key: number;
  user: string;
  appid: string;
}

const STORE = "mpstack.phones";
const MAX_PHONES = 4;

function loadSlots(): PhoneSlot[] {
  try {
    const raw = JSON.parse(localStorage.getItem(STORE) ?? "[]") as PhoneSlot[];
    return Array.isArray(raw)
      ? raw.filter((s) => typeof s.user === "string" && typeof s.appid === "string")
      : [];
  } catch {
    return [];
  }
}

export function PhonesPanel({ query }: PanelProps) {
  const t = useT();
  const accounts = useAccounts();
  const users = useUsers();
  const [slots, setSlots] = useState<PhoneSlot[]>(loadSlots);
  const a = accounts.data ?? [];
  const u = users.data ?? [];

  // A first phone: ?user=&appid= from a link (replaces the first phone), else the first user with
  // the last (most capable) account. Runs when the world or the link changes, not on every render.
  const wantUser = query.get("user") ?? "";
  const wantApp = query.get("appid") ?? "";
  const worldKey = `${a.map((x) => x.appid).join(",")}|${u.map((x) => x.id).join(",")}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by worldKey (a and u are new arrays each render)
  useEffect(() => {
    if (a.length === 0 || u.length === 0) return;
    setSlots((cur) => {
      const valid = cur.filter((s) => a.some((x) => x.appid === s.appid) && u.some((x) => x.id === s.user));
      if (wantUser && wantApp && !valid.some((s) => s.user === wantUser && s.appid === wantApp))
        return [{ key: Date.now(), user: wantUser, appid: wantApp }, ...valid.slice(1)];
      if (valid.length === 0) return [{ key: 1, user: u[0]!.id, appid: a.at(-1)!.appid }];
      return valid.length === cur.length ? cur : valid;
    });
  }, [worldKey, wantUser, wantApp]);
  useEffect(() => {
    try {
      localStorage.setItem(STORE, JSON.stringify(slots));
    } catch {
      // not kept
    }
  }, [slots]);

  const add = () => {
    const first = slots[0];
    const next = u.find((x) => !slots.some((s) => s.user === x.id)) ?? u[0];
    if (!next || !first) return;
    setSlots([...slots, { key: Date.now(), user: next.id, appid: first.appid }]);
  };
  return (
    <div className="phones-panel">
      <div className="toolbar">
        <h1>{t("phones")}</h1>
        <button
          type="button"
          className="btn"
          onClick={add}
          disabled={slots.length >= MAX_PHONES || u.length === 0}
        >
          {t("addPhone")}
        </button>
        <span className="muted small">{t("phonesHelp")}</span>
        <Loading loading={accounts.loading || users.loading} />
      </div>
      <ErrorBox error={accounts.error ?? users.error} />
      <div className="phones">
        {slots.map((s) => (
          <Phone
            key={s.key}
            user={s.user}
            appid={s.appid}
            users={u}
            accounts={a}
            onChange={(user, appid) =>
              setSlots(slots.map((x) => (x.key === s.key ? { ...x, user, appid } : x)))
            }
            {...(slots.length > 1 ? { onRemove: () => setSlots(slots.filter((x) => x.key !== s.key)) } : {})}
          />
        ))}
      </div>
    </div>
  );
}
