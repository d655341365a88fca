/**
 * Users and followers: the simulated users, and for one account which of them follow it, with
 * their OpenID, UnionID, tags, remark and blacklist state; create users; follow / unfollow; open a
 * user's phone on the account.
 */
import { useState } from "react";
import { get, post, seg } from "../api/client.js";
import type { FollowView, TagView } from "../api/types.js";
import { useT } from "../i18n/index.js";
import type { PanelProps } from "../panels/registry.js";
import { useAccounts, useLoad, useUsers } from "../ui/data.js";
import { AccountSelect, attempt, Badge, Card, ErrorBox, Field } from "../ui/kit.js";
import { href, navigate } from "../ui/route.js";

function CreateUser({ onCreated }: { onCreated(): void }) {
  const t = useT();
  const [id, setId] = useState("");
  const [nickname, setNickname] = useState("");
  const [city, setCity] = useState("");
  const [sex, setSex] = useState(0);
  return (
    <form
      className="form-grid"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await attempt(
          () =>
            post("/users", {
              ...(id ? { id } : {}),
              nickname: nickname || undefined,
              city: city || undefined,
              sex,
            }),
          t("created"),
        );
        if (r) {
          setId("");
          setNickname("");
          onCreated();
        }
      }}
    >
      <Field label="userIdOptional">
        <input value={id} onChange={(e) => setId(e.target.value)} />
      </Field>
      <Field label="nickname">
        <input value={nickname} onChange={(e) => setNickname(e.target.value)} />
      </Field>
      <Field label="city">
        <input value={city} onChange={(e) => setCity(e.target.value)} />
      </Field>
      <Field label="sex">
        <select value={sex} onChange={(e) => setSex(Number(e.target.value))}>
          <option value={0}>{t("sexUnknown")}</option>
          <option value={1}>{t("sexMale")}</option>
          <option value={2}>{t("sexFemale")}</option>
        </select>
      </Field>
      <div>
        <button type="submit" className="btn btn-primary">
          {t("createUser")}
        </button>
      </div>
    </form>
  );
}

export function UsersPanel({ query }: PanelProps) {
  const t = useT();
  const accounts = useAccounts();
  const users = useUsers();
  const appid = query.get("appid") ?? accounts.data?.at(-1)?.appid ?? "";
  const [creating, setCreating] = useState(false);
  const follows = useLoad(
    async () => {
      if (!appid)
        return {
          followers: [] as FollowView[],
          tags: [] as TagView[],
          members: {} as Record<string, number[]>,
        };
      const [f, tg] = await Promise.all([
        get<{ followers: FollowView[] }>(`/accounts/${seg(appid)}/followers`, { all: true, limit: 1000 }),
        get<{ tags: TagView[]; members: Record<string, number[]> }>(`/accounts/${seg(appid)}/tags`),
      ]);
      return { followers: f.followers, tags: tg.tags, members: tg.members };
    },
    [appid],
    ["user.followed", "user.unfollowed"],
  );
  const byUser = new Map((follows.data?.followers ?? []).map((f) => [f.user, f]));
  const tagName = new Map((follows.data?.tags ?? []).map((x) => [x.id, x.name]));
  const toggle = (user: string, follow: boolean) =>
    attempt(() => post(`/users/${seg(user)}/${follow ? "follow" : "unfollow"}`, { appid })).then(
      follows.reload,
    );
  return (
    <div>
      <div className="toolbar">
        <h1>{t("usersFollowers")}</h1>
        <AccountSelect
          accounts={accounts.data}
          value={appid}
          onChange={(a) => navigate(href("users", [], { appid: a }))}
        />
        <button
          type="button"
          className="btn btn-primary"
          aria-expanded={creating}
          onClick={() => setCreating(!creating)}
        >
          {t("newUser")}
        </button>
      </div>
      {creating && (
        <Card title={t("newUser")}>
          <CreateUser
            onCreated={() => {
              setCreating(false);
              users.reload();
            }}
          />
        </Card>
      )}
      <ErrorBox error={users.error ?? follows.error} />
      {(follows.data?.tags.length ?? 0) > 0 && (
        <p className="small">
          {t("tags")}:{" "}
          {follows.data?.tags.map((x) => (
            <Badge key={x.id} tone="info">
              {x.name} ({x.count})
            </Badge>
          ))}
        </p>
      )}
      <div className="table-wrap">
        <table className="table" data-testid="users">
          <thead>
            <tr>
              <th>{t("user")}</th>
              <th>{t("nickname")}</th>
              <th>{t("following")}</th>
              <th>OpenID</th>
              <th>UnionID</th>
              <th>{t("tags")}</th>
              <th>{t("remark")}</th>
              <th>{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => {
              const f = byUser.get(u.id);
              const tags = f ? (follows.data?.members[f.openid] ?? []) : [];
              return (
                <tr key={u.id}>
                  <td className="mono">{u.id}</td>
                  <td>
                    {u.nickname} <span className="muted small">{u.city}</span>
                  </td>
                  <td>
                    {f?.subscribed ? (
                      <Badge tone="ok">{t("yes")}</Badge>
                    ) : (
                      <Badge tone="muted">{f ? t("unfollowed") : t("no")}</Badge>
                    )}
                    {f?.blacklisted && <Badge tone="bad">{t("blacklisted")}</Badge>}
                  </td>
                  <td className="mono small">{f?.openid ?? "—"}</td>
                  <td className="mono small">{f?.unionid ?? "—"}</td>
                  <td>{tags.map((id) => tagName.get(id) ?? id).join(", ")}</td>
                  <td>{f?.remark ?? ""}</td>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void toggle(u.id, !f?.subscribed)}
                    >
                      {f?.subscribed ? t("unfollow") : t("follow")}
                    </button>{" "}
                    <a className="btn btn-small" href={href("phones", [], { user: u.id, appid })}>
                      {t("openPhone")}
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
