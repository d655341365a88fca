/**
 * The one-time subscription authorisation page (spec/template.md §9.2), served on the mp host at
 * `/mp/subscribemsg?action=get_confirm&appid&scene&template_id&redirect_url&reserved`. It knows the
 * browsing simulated user through web-identity (nobody browsing → the chooser), shows what the
 * account asks, and on allow/cancel (a POST of the page's own form) redirects exactly as WeChat:
 * `openid` (allow only), `template_id`, `action`, `scene`, `reserved`. Bad parameters get an error
 * page and no redirect. (`#wechat_redirect` never reaches a server, so it cannot be checked.)
 */
import { catalog, mayCall } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { html, pageFrame } from "../../http/html.js";
import { htmlPage, redirect } from "../../http/results.js";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { ensureIdentity } from "../simulated-users/index.js";
import { grantOnce, onceTemplateId, sceneOf } from "./once.js";
import { templatePolicies } from "./policy.js";

type Query = Record<string, string | undefined>;

const errorPage = (zh: string, en: string) =>
  htmlPage(
    pageFrame(
      "参数错误 · Parameter error",
      html`<h1>${zh}<br><span class="muted">${en}</span></h1><div class="card muted">mp/subscribemsg</div>`,
    ),
    400,
  );

class PageError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/** The redirect target's host must be a business domain (policy, else the OAuth and JS-SDK domains). */
function allowedRedirect(target: string, account: Account, business: string[] | null): URL {
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    throw new PageError("redirect_url 参数错误", "redirect_url is not a URL");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new PageError("redirect_url 参数错误", "redirect_url must be http or https");
  const domains = business ?? [...account.oauthDomains, ...account.jssdkDomains];
  if (!domains.some((d) => d === u.host || d === u.hostname))
    throw new PageError(
      "redirect_url 域名与业务域名不一致",
      "redirect_url's domain is not a business domain",
    );
  return u;
}

/** WeChat appends its parameters with `?` or `&`, before any fragment. */
function withParams(target: string, params: [string, string][]): string {
  const hash = target.indexOf("#");
  const base = hash < 0 ? target : target.slice(0, hash);
  const fragment = hash < 0 ? "" : target.slice(hash);
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  return `${base}${base.includes("?") ? "&" : "?"}${query}${fragment}`;
}

async function checked(ctx: ModuleContext, q: Query) {
  if (q.action !== "get_confirm") throw new PageError("action 参数错误", "action must be get_confirm");
  const account = q.appid ? await getAccount(ctx.db, q.appid) : undefined;
  if (!account) throw new PageError("应用访问参数错误", "unknown appid");
  const policies = ctx.policiesFor(account);
  if (!mayCall(account, "send.subscribe_once", policies.permissionOverrides))
    throw new PageError(
      "该公众号没有一次性订阅消息权限",
      "the account may not use one-time subscription messages",
    );
  if (q.template_id !== onceTemplateId(account.appid)) throw new PageError("模板出错", "wrong template_id");
  const scene = sceneOf(q.scene);
  if (scene === null) throw new PageError("scene 参数错误", "scene must be an integer 0-10000");
  const policy = await templatePolicies.of(ctx.db, account.appid);
  allowedRedirect(q.redirect_url ?? "", account, policy.businessDomains);
  const reserved = q.reserved ?? "";
  if (!/^[a-zA-Z0-9]*$/.test(reserved) || reserved.length > 128)
    throw new PageError("reserved 参数错误", "reserved: letters and digits, at most 128");
  return { account, scene, redirectUrl: q.redirect_url ?? "", reserved, templateId: q.template_id };
}

function consentPage(account: Account, scene: number, nickname: string, action: string) {
  return pageFrame(
    "订阅消息 · Subscription",
    html`<h1>${account.name}<br><span class="muted">申请向你发送一条消息 · wants to send you one message</span></h1>
<div class="card"><p>同意后，该公众号可向你发送一次消息（场景 ${scene}）。<br><span class="muted">If you allow, the account may send you one message (scene ${scene}).</span></p>
<p class="muted">当前用户 · Browsing as: ${nickname}</p></div>
<form method="post" action="${action}&decision=confirm"><button class="btn btn-primary" type="submit">允许 · Allow</button></form>
<form method="post" action="${action}&decision=cancel"><button class="btn btn-default" type="submit">取消 · Cancel</button></form>`,
  );
}

export function implementSubscribePage(ctx: ModuleContext<"web-identity">): void {
  const identity = ctx.services["web-identity"];
  ctx.implement(
    catalog.template.subscribePage,
    (fields) => {
      const q: Query = {};
      for (const [k, v] of Object.entries(fields)) if (typeof v === "string") q[k] = v;
      return q;
    },
    async (call) => {
      let page: Awaited<ReturnType<typeof checked>>;
      try {
        page = await checked(ctx, call.input);
      } catch (err) {
        if (err instanceof PageError) return errorPage(err.zh, err.en);
        throw err;
      }
      const { account, scene, redirectUrl, reserved, templateId } = page;
      call.identify(account.appid);
      const user = await identity.userOf(call.request);
      const here = call.request.url;
      if (!user) return redirect(identity.chooserUrl(here));
      const decision = call.input.decision;
      if (call.request.method !== "POST" || (decision !== "confirm" && decision !== "cancel")) {
        const action = here.replace(/&decision=[^&]*/g, "");
        return htmlPage(consentPage(account, scene, user.nickname, action));
      }
      const common: [string, string][] = [
        ["template_id", templateId],
        ["action", decision],
        ["scene", String(scene)],
        ["reserved", reserved],
      ];
      if (decision === "cancel") return redirect(withParams(redirectUrl, common));
      const identityRow = await ensureIdentity(ctx, account, user.id);
      await grantOnce(ctx, {
        appid: account.appid,
        userId: user.id,
        openid: identityRow.openid,
        scene,
        templateId,
      });
      ctx.events.emit("subscribe-once.granted", { appid: account.appid, userId: user.id, scene });
      return redirect(withParams(redirectUrl, [["openid", identityRow.openid], ...common]));
    },
  );
}
