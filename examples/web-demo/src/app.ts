/**
 * The web demo: an Official Account's web pages built with @mpstack/sdk and Express. `/` signs the
 * visitor in with OAuth (snsapi_userinfo) and greets them by nickname; `/jssdk` configures JS-SDK
 * with a server-side signature and uses sharing, images (uploaded, then downloaded by this server
 * with media/get), the scanner and location. Against the platform, the page loads the platform's
 * WeixinJSBridge, so it runs in any browser.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  createClient,
  createJssdk,
  createOAuth,
  isMediaFile,
  type TokenStore,
  WechatApiError,
} from "@mpstack/sdk";
import express, { type Request, type Response } from "express";
import { escapeHtml, homePage, JS_API_LIST, jssdkPage, messagePage, type Profile } from "./pages.js";

export interface WebDemoOptions {
  appId: string;
  appSecret: string;
  /** The platform's URL (API, open host, bridge); unset: WeChat itself. */
  platformUrl?: string;
  /** Shared ticket and token cache (e.g. a RedisTokenStore). Default: memory. */
  tokenStore?: TokenStore;
}

const SESSION = "demo_session";
const STATE = "demo_state";
const MAX_SESSIONS = 10_000;

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

const setCookie = (res: Response, name: string, value: string) =>
  res.append("set-cookie", `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax`);

export function createWebDemo(options: WebDemoOptions): express.Express {
  const base = options.platformUrl?.replace(/\/+$/, "");
  const client = createClient({
    appId: options.appId,
    appSecret: options.appSecret,
    ...(base ? { baseUrl: base } : {}),
    ...(options.tokenStore ? { tokenStore: options.tokenStore } : {}),
  });
  const oauth = createOAuth({
    appId: options.appId,
    appSecret: options.appSecret,
    ...(base ? { baseUrl: base } : {}),
  });
  const jssdk = createJssdk({ client, ...(options.tokenStore ? { tokenStore: options.tokenStore } : {}) });
  const sessions = new Map<string, Profile>();
  const jweixin = readFileSync(createRequire(import.meta.url).resolve("weixin-js-sdk"), "utf8");
  const origin = (req: Request) => `${req.protocol}://${req.get("host")}`;

  const app = express();
  app.use(express.json({ limit: "16kb" }));

  app.get("/", (req, res) => {
    const profile = sessions.get(cookieOf(req, SESSION) ?? "");
    if (profile) return res.type("html").send(homePage(profile));
    const state = randomBytes(8).toString("hex");
    setCookie(res, STATE, state);
    res.redirect(
      oauth.authorizeUrl({ redirectUri: `${origin(req)}/oauth/callback`, scope: "snsapi_userinfo", state }),
    );
  });

  app.get("/oauth/callback", async (req, res) => {
    const { code, state } = req.query;
    if (typeof state !== "string" || state !== cookieOf(req, STATE))
      return res.status(400).type("html").send(messagePage("链接已失效 · Expired", "state does not match"));
    if (typeof code !== "string" || !code)
      return res.type("html").send(messagePage("你拒绝了授权 · You declined", "No profile was shared."));
    try {
      const token = await oauth.exchangeCode(code);
      const user = await oauth.userInfo(token.access_token, token.openid);
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value ?? "");
      const id = randomBytes(16).toString("hex");
      sessions.set(id, { openid: user.openid, nickname: user.nickname, headimgurl: user.headimgurl });
      setCookie(res, SESSION, id);
      res.redirect("/");
    } catch (err) {
      if (!(err instanceof WechatApiError)) throw err;
      res
        .status(502)
        .type("html")
        .send(messagePage(`errcode ${err.errcode}`, err.errmsg));
    }
  });

  app.get("/signout", (req, res) => {
    sessions.delete(cookieOf(req, SESSION) ?? "");
    res.redirect("/");
  });

  app.get("/jssdk", (req, res) => {
    const scripts =
      req.query.lib === "cdn"
        ? `<script src="${escapeHtml(base ?? "https://res.wx.qq.com")}/open/js/jweixin-1.6.0.js"></script>`
        : // The npm package is CommonJS: give it a module object, then expose what it exports.
          `${base ? `<script src="${escapeHtml(base)}/_mpstack/jsbridge.js"></script>` : ""}
<script>var module = { exports: {} };</script><script src="/vendor/jweixin.js"></script>
<script>window.wx = module.exports;</script>`;
    res.type("html").send(jssdkPage(scripts));
  });

  app.get("/vendor/jweixin.js", (_req, res) => res.type("application/javascript").send(jweixin));

  app.post("/jssdk/config", async (req, res) => {
    const url = typeof req.body?.url === "string" ? req.body.url : "";
    // Sign this app's pages only.
    if (!url.startsWith(`${origin(req)}/`))
      return res.status(400).json({ error: "url must be a page of this site" });
    res.json(await jssdk.configFor(url, { jsApiList: JS_API_LIST }));
  });

  app.post("/media/fetch", async (req, res) => {
    const serverId = typeof req.body?.serverId === "string" ? req.body.serverId : "";
    try {
      const file = await client.media.get({ media_id: serverId });
      if (!isMediaFile(file)) return res.json({ videoUrl: (file as { video_url: string }).video_url });
      res.json({ contentType: file.contentType, size: file.data.length });
    } catch (err) {
      if (!(err instanceof WechatApiError)) throw err;
      res.json({ errcode: err.errcode });
    }
  });

  return app;
}
