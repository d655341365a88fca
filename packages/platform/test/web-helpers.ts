/**
 * Helpers of the web-page suites (OAuth, JS-SDK): a browsing cookie for a simulated user (through
 * a one-time link, as a browser gets it), authorize links, and the demo world's verified service
 * account that owns OAuth.
 */
import type { Running } from "./helpers.js";

export const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
export const VS = { appid: "wxd000000000000002", secret: "d0000000000000000000000000000002" };
export const CALLBACK = "http://127.0.0.1:3000/cb";

/** The Cookie header a browser sends after opening a one-time link for `user`. */
export async function browseAs(
  r: Running,
  user: string,
  entry?: { appid: string; from: "menu" | "message" },
): Promise<string> {
  const made = await r.post(`/_mpstack/users/${user}/browse-link`, {
    next: "/",
    ...(entry ? { entry } : {}),
  });
  const res = await r.raw(String(made.body.path), { redirect: "manual" });
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((c) => !c?.endsWith("="))
    .join("; ");
}

/** An authorize link with the parameters in the documented order, plus extras. */
export function authorizePath(p: {
  appid?: string;
  redirect?: string;
  scope?: string;
  state?: string;
  responseType?: string;
  extra?: string;
}): string {
  const parts = [
    p.appid === undefined ? `appid=${VV.appid}` : `appid=${p.appid}`,
    `redirect_uri=${encodeURIComponent(p.redirect ?? CALLBACK)}`,
    `response_type=${p.responseType ?? "code"}`,
    `scope=${p.scope ?? "snsapi_base"}`,
    `state=${p.state ?? "s1"}`,
  ];
  return `/connect/oauth2/authorize?${parts.join("&")}${p.extra ?? ""}#wechat_redirect`;
}

/** Open an authorize link as a browser with `cookie` (no redirect following). */
export async function openPage(r: Running, path: string, cookie?: string, method = "GET") {
  const res = await r.raw(path, { redirect: "manual", method, headers: cookie ? { cookie } : {} });
  const text = await res.text();
  return {
    status: res.status,
    location: res.headers.get("location"),
    error: res.headers.get("x-mpstack-oauth-error"),
    text,
  };
}

/** The code and state of a redirect back to the developer. */
export function codeOf(location: string | null): { code: string | null; state: string | null } {
  const u = new URL(String(location));
  return { code: u.searchParams.get("code"), state: u.searchParams.get("state") };
}

/** The consent (or snapshot) page's ticket. */
export function ticketOf(page: string): string {
  const m = /authorize_reply\?ticket=([A-Za-z0-9_-]+)/.exec(page);
  if (!m?.[1]) throw new Error(`no ticket in page: ${page.slice(0, 300)}`);
  return m[1];
}

export const exchange = (r: Running, code: string, account = VV) =>
  r.get(
    `/sns/oauth2/access_token?appid=${account.appid}&secret=${account.secret}&code=${code}&grant_type=authorization_code`,
  );

/** The bridge token a page of this browser gets (the platform writes it into the bridge script). */
export async function bridgeTokenOf(r: Running, cookie: string): Promise<string> {
  const js = await (await r.raw("/_mpstack/jsbridge.js", { headers: { cookie } })).text();
  const token = /"token":"([^"]+)"/.exec(js)?.[1];
  if (!token) throw new Error("no bridge token in the script");
  return token;
}

/** A page at `pageUrl` talking to the platform's bridge API, as the bridge script does. */
export function bridgePage(r: Running, token: string, pageUrl: string, origin = new URL(pageUrl).origin) {
  let session: string | undefined;
  const post = async (body: Record<string, unknown>) => {
    const res = await r.raw("/_mpstack/jsbridge/invoke", {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin },
      body: JSON.stringify({ t: token, s: session, u: pageUrl, ...body }),
    });
    return (await res.json()) as {
      r: Record<string, unknown>;
      s?: string;
      do?: Record<string, unknown>;
      c?: string;
    };
  };
  return {
    post,
    /** wx.config as jweixin sends it (preVerifyJSAPI with the verify* fields). */
    async config(c: {
      appId: string;
      timestamp: number;
      nonceStr: string;
      signature: string;
      jsApiList: string[];
    }) {
      const a = await post({
        n: "preVerifyJSAPI",
        a: {
          verifyAppId: c.appId,
          verifyTimestamp: String(c.timestamp),
          verifyNonceStr: c.nonceStr,
          verifySignature: c.signature,
          verifyJsApiList: c.jsApiList,
        },
      });
      if (a.s) session = a.s;
      return String(a.r.err_msg);
    },
    invoke: (n: string, a: Record<string, unknown> = {}, more: Record<string, unknown> = {}) =>
      post({ n, a, ...more }),
    /** Answer a step the platform asked the bridge to show. */
    choose: (n: string, c: string | undefined, ch: unknown) => post({ n, c, ch }),
  };
}
