/**
 * The pages of the authorize flow as the simulated WeChat client shows them: the 100xx error pages
 * (spec/oauth.md §2.4), the generic "this link cannot be accessed" page, the consent page of
 * snsapi_userinfo (§2.1) and the snapshot-page bar (§7). Every value is escaped; every error page
 * names its code in the `x-mpstack-oauth-error` header and a `data-errcode` attribute for tools.
 */
import { html, pageFrame } from "../../http/html.js";
import { type HtmlResult, htmlPage } from "../../http/results.js";
import type { Account } from "../accounts/index.js";
import type { User } from "../simulated-users/index.js";

/** The authorize page's own codes, with WeChat's wording and ours. */
export const AUTHORIZE_ERRORS = {
  10003: [
    "redirect_uri域名与后台配置不一致",
    "redirect_uri's domain is not a configured authorization domain",
  ],
  10004: ["此公众号被封禁", "this account is banned"],
  10005: ["此公众号并没有这些scope的权限", "this account has no permission for this scope"],
  10006: ["必须关注此测试号", "follow this test account first"],
  10009: ["操作太频繁了，请稍后重试", "too many requests, try again later"],
  10010: ["scope不能为空", "scope is empty"],
  10011: ["redirect_uri不能为空", "redirect_uri is empty"],
  10012: ["appid不能为空", "appid is empty"],
  10013: ["state不能为空", "state is empty"],
  10015: [
    "公众号未授权第三方平台，请检查授权状态",
    "the account has not authorized this third-party platform",
  ],
  10016: [
    "不支持微信开放平台的Appid，请使用公众号Appid",
    "open-platform appids are not supported: use the account's appid",
  ],
} as const;
export type AuthorizeErrorCode = keyof typeof AUTHORIZE_ERRORS;

export function errorPage(code: AuthorizeErrorCode): HtmlResult {
  const [zh, en] = AUTHORIZE_ERRORS[code];
  return htmlPage(
    pageFrame(
      "微信网页授权",
      html`<div class="card" data-errcode="${code}"><h1>${zh}</h1><p class="muted">${en}</p><p class="muted">错误码 · code ${code}</p></div>`,
    ),
    200,
    { "x-mpstack-oauth-error": String(code) },
  );
}

/** "该链接无法访问": bad appid, response_type, state, or parameter order; `why` helps the developer. */
export function linkUnavailablePage(why: string): HtmlResult {
  return htmlPage(
    pageFrame(
      "该链接无法访问",
      html`<div class="card" data-errcode="link"><h1>该链接无法访问</h1><p class="muted">This link cannot be accessed: check the parameters and that the account owns the scope.</p><p class="muted">mpstack: ${why}</p></div>`,
    ),
    200,
    { "x-mpstack-oauth-error": "link" },
  );
}

const replyUrl = (ticket: string, action: string) =>
  `/connect/oauth2/authorize_reply?ticket=${encodeURIComponent(ticket)}&action=${action}`;

export function consentPage(account: Account, user: User, ticket: string): HtmlResult {
  return htmlPage(
    pageFrame(
      `${account.name} 申请使用`,
      html`<div class="card"><h1>${account.name}<br><span class="muted">申请获得以下权限 · requests</span></h1>
<p>获得你的公开信息（昵称、头像等）<br><span class="muted">Your public profile (nickname, avatar)</span></p>
<p class="muted">${user.nickname} · ${user.id}</p></div>
<form method="post" action="${replyUrl(ticket, "allow")}"><button class="btn btn-primary" id="mpstack-allow" type="submit">允许 · Allow</button></form>
<form method="post" action="${replyUrl(ticket, "deny")}"><button class="btn btn-default" id="mpstack-deny" type="submit">拒绝 · Deny</button></form>`,
    ),
  );
}

/**
 * The snapshot bar (§7), as a page of its own: the real client opens the developer's page as a
 * scroll-only snapshot with a "使用完整服务" button; here the user picks either before going on.
 */
export function snapshotPage(account: Account, ticket: string): HtmlResult {
  return htmlPage(
    pageFrame(
      "快照页 · Snapshot",
      html`<div class="card"><h1>当前为快照页，仅可浏览<br><span class="muted">This page opens as a snapshot: scrolling only</span></h1>
<p class="muted">${account.name} 需要获取你的个人信息以提供完整服务 · needs your profile for the full service.</p></div>
<form method="post" action="${replyUrl(ticket, "snapshot")}"><button class="btn btn-default" id="mpstack-snapshot" type="submit">继续浏览快照 · Stay in the snapshot</button></form>
<form method="post" action="${replyUrl(ticket, "full")}"><button class="btn btn-primary" id="mpstack-full" type="submit">使用完整服务 · Use the full service</button></form>`,
    ),
  );
}
