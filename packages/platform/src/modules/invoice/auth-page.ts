/**
 * The invoice authorisation page at a merchant's `auth_url` (spec/applied-features.md §5): the
 * browsing simulated user consents (title, tax number, email) or refuses; the answer is stored and
 * user_authorize_invoice is pushed, then the browser goes to the order's redirect_url.
 */
import { acceptForms } from "../../http/forms.js";
import { html, pageFrame } from "../../http/html.js";
import type { ModuleContext } from "../../module.js";
import { getAccount, requireAccount } from "../accounts/index.js";
import { pushAccountEvent } from "../cards/index.js";
import { ensureIdentity, getFollow } from "../simulated-users/index.js";

type Ctx = ModuleContext<"accounts" | "simulated-users" | "push" | "web-identity" | "cards">;

export const AUTH_PATH = "/_mpstack/invoice/auth";

/** The user's answer: consent (with title fields) or refusal; pushes user_authorize_invoice. Returns the redirect or an error. */
export async function answerAuth(
  ctx: Ctx,
  token: string,
  userId: string,
  accept: boolean,
  fields: Record<string, string>,
): Promise<string | null | { redirect: string }> {
  const a = await ctx.db
    .selectFrom("invoice_auths")
    .selectAll()
    .where("token", "=", token)
    .executeTakeFirst();
  if (!a) return "授权链接无效";
  if (a.status !== "pending") return "该订单已授权";
  const now = ctx.clock.now();
  if (now >= Number(a.expires_at)) return "授权链接已过期";
  const account = await requireAccount(ctx.db, a.appid);
  const identity = await ensureIdentity(ctx, account, userId);
  const title = fields.title ?? "";
  if (accept && title.trim() === "") return "请填写发票抬头";
  const pick = (keys: string[]) =>
    Object.fromEntries(keys.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]]));
  const info = fields.tax_no
    ? { biz_field: pick(["title", "tax_no", "addr", "phone", "bank_type", "bank_no"]) }
    : { user_field: pick(["title", "phone", "email"]) };
  await ctx.db
    .updateTable("invoice_auths")
    .set({
      status: accept ? "authorized" : "refused",
      user_id: userId,
      openid: identity.openid,
      auth_info: JSON.stringify(info),
      auth_time: now,
    })
    .where("token", "=", token)
    .execute();
  await pushAccountEvent(ctx, account, userId, identity.openid, "user_authorize_invoice", {
    SuccOrderId: accept ? a.order_id : "",
    FailOrderId: accept ? "" : a.order_id,
    AppId: a.appid,
    Source: a.source,
  });
  return a.redirect_url ? { redirect: a.redirect_url } : null;
}

export function addAuthPage(ctx: Ctx): void {
  const identity = ctx.services["web-identity"];
  void ctx.app.register(async (scope) => {
    acceptForms(scope);
    scope.get<{ Params: { token: string } }>(`${AUTH_PATH}/:token`, async (req, reply) => {
      const user = await identity.userOf(req);
      if (!user) return reply.redirect(identity.chooserUrl(req.url), 302);
      const a = await ctx.db
        .selectFrom("invoice_auths")
        .selectAll()
        .where("token", "=", req.params.token)
        .executeTakeFirst();
      const account = a && (await getAccount(ctx.db, a.appid));
      if (!a || !account)
        return reply
          .code(404)
          .type("text/html; charset=utf-8")
          .send(
            pageFrame("授权链接无效", html`<h1>授权链接无效<br><span class="muted">Invalid link</span></h1>`),
          );
      const follow = await getFollow(ctx.db, a.appid, user.id);
      const body = html`<h1>申请开票 <span class="muted">Invoice authorisation</span></h1>
<div class="card"><div>${account.name}</div><div class="muted">订单 ${a.order_id} · ¥${(Number(a.money) / 100).toFixed(2)}</div>
<div class="muted">${user.nickname}${follow ? "" : " · 未关注"}</div></div>
<form method="post" class="card"><input type="hidden" name="accept" value="1">
<input name="title" id="title" placeholder="发票抬头 Title" style="width:100%;padding:8px;margin:4px 0">
<input name="tax_no" id="tax_no" placeholder="税号 Tax number (company)" style="width:100%;padding:8px;margin:4px 0">
<input name="email" id="email" placeholder="邮箱 Email" style="width:100%;padding:8px;margin:4px 0">
<button id="accept" class="btn btn-primary" type="submit">授权 · Authorise</button></form>
<form method="post"><input type="hidden" name="accept" value="0"><button id="refuse" class="btn btn-default" type="submit">拒绝 · Refuse</button></form>`;
      return reply.type("text/html; charset=utf-8").send(pageFrame("申请开票", body));
    });
    scope.post<{ Params: { token: string }; Body: Record<string, string> | undefined }>(
      `${AUTH_PATH}/:token`,
      async (req, reply) => {
        const user = await identity.userOf(req);
        if (!user) return reply.redirect(identity.chooserUrl(req.url), 302);
        const form = req.body ?? {};
        const r = await answerAuth(ctx, req.params.token, user.id, form.accept === "1", form);
        if (typeof r === "string")
          return reply
            .code(400)
            .type("text/html; charset=utf-8")
            .send(pageFrame(r, html`<h1 id="result">${r}</h1>`));
        if (r) return reply.redirect(r.redirect, 302);
        return reply
          .type("text/html; charset=utf-8")
          .send(
            pageFrame(
              "已授权",
              html`<h1 id="result">${form.accept === "1" ? "已授权 · Authorised" : "已拒绝 · Refused"}</h1>`,
            ),
          );
      },
    );
  });
}
