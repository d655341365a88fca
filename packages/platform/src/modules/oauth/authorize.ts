/**
 * The authorize page (spec/oauth.md §2): the checks of §2.4 in order, each answered with WeChat's
 * error page; then who is browsing (the web-identity cookie; the chooser when nobody is); then a
 * silent code for snsapi_base, and for snsapi_userinfo the consent page, a silent code (a follower
 * entering from the account's menu or conversation, or a consent within `silentReauthDays`), or
 * the snapshot page (§7). The consent and snapshot pages hand the user a single-use ticket, which
 * `authorize_reply` takes.
 */
import { mayCall, OAUTH_SCOPES } from "@mpstack/protocol";
import { ExpiringMap } from "../../expiring-map.js";
import type { ApiCall } from "../../http/api.js";
import { type NonJsonResult, redirect } from "../../http/results.js";
import type { ModuleContext } from "../../module.js";
import { type Account, getAccount, getOpenPlatform } from "../accounts/index.js";
import { ensureIdentity, getFollow, openidFor, type User } from "../simulated-users/index.js";
import { httpUrl, inOAuthDomains, parseRawQuery, strictProblem, withParams } from "./links.js";
import { consentPage, errorPage, linkUnavailablePage, snapshotPage } from "./pages.js";
import type { MinuteCounter } from "./rate.js";
import { getOAuthSettings, setOAuthSettings } from "./settings.js";
import { consentTime, type Grant, issueCode, recordConsent } from "./store.js";

type Ctx = ModuleContext<"web-identity">;

declare module "../../events.js" {
  interface PlatformEventMap {
    /** A user's authorize flow ended: a code for the developer, a refusal, or a snapshot code. */
    "oauth.authorized": {
      appid: string;
      userId: string;
      scope: string;
      outcome: "code" | "denied" | "snapshot";
      /** No page was shown (snsapi_base, a recent consent, an entry from the menu or conversation). */
      silent: boolean;
      time: number;
    };
  }
}
// biome-ignore lint/suspicious/noExplicitAny: the page handlers take any catalog call
type PageCall = ApiCall<any, any>;

const MAX_STATE_BYTES = 128;
const TICKET_TTL_MS = 10 * 60_000;

/** A consent or snapshot page waiting for the user's answer. */
interface Pending {
  kind: "consent" | "snapshot";
  appid: string;
  userId: string;
  scope: string;
  redirectUri: string;
  state: string;
}

/** The snapshot OpenID: a virtual account distinct from the user's real one (§7). */
export const snapshotOpenid = (appid: string, userId: string) => openidFor(appid, `snapshot~${userId}`);

export class AuthorizePages {
  private readonly pending: ExpiringMap<Pending>;

  constructor(
    private readonly ctx: Ctx,
    private readonly perMinute: MinuteCounter,
  ) {
    this.pending = new ExpiringMap(ctx.clock, TICKET_TTL_MS);
  }

  clear(): void {
    this.pending.clear();
  }

  async authorize(call: PageCall): Promise<NonJsonResult> {
    const q = parseRawQuery(call.request.url);
    if (!q) return linkUnavailablePage("the query's percent-encoding is broken");
    const v = (name: string) => q.values.get(name) ?? "";
    if (!v("appid")) return errorPage(10012);
    if (!v("redirect_uri")) return errorPage(10011);
    if (!v("scope")) return errorPage(10010);
    const account = await getAccount(this.ctx.db, v("appid"));
    if (!account) {
      if (await getOpenPlatform(this.ctx.db, v("appid"))) return errorPage(10016);
      return linkUnavailablePage(`no account has the appid ${v("appid")}`);
    }
    call.identify(account.appid);
    const settings = await getOAuthSettings(this.ctx.db, account.appid);
    if (q.values.has("component_appid")) return errorPage(10015);
    if (settings.banned) return errorPage(10004);
    if (v("response_type") !== "code") return linkUnavailablePage("response_type must be code");
    if (settings.strictLinks) {
      if (!q.values.has("state") || v("state") === "") return errorPage(10013);
      const problem = strictProblem(q);
      if (problem) return linkUnavailablePage(problem);
    }
    if (Buffer.byteLength(v("state")) > MAX_STATE_BYTES)
      return linkUnavailablePage("state is over 128 bytes");
    const scope = v("scope");
    const overrides = this.ctx.policiesFor(account).permissionOverrides;
    if (!(OAUTH_SCOPES as readonly string[]).includes(scope) || !mayCall(account, "user.oauth", overrides))
      return errorPage(10005);
    const target = httpUrl(v("redirect_uri"));
    if (!target) return linkUnavailablePage("redirect_uri must be an absolute http(s) URL");
    if (!inOAuthDomains(target, account.oauthDomains)) return errorPage(10003);

    const identity = this.ctx.services["web-identity"];
    const user = await identity.userOf(call.request);
    if (!user) return redirect(identity.chooserUrl(call.request.url));
    const follow = await getFollow(this.ctx.db, account.appid, user.id);
    if (settings.testAccount && follow?.subscribed !== 1) return errorPage(10006);
    if (
      settings.authorizePerMinute > 0 &&
      !this.perMinute.take(`authorize|${account.appid}|${user.id}`, settings.authorizePerMinute)
    )
      return errorPage(10009);

    const req = { appid: account.appid, userId: user.id, scope, redirectUri: target.href, state: v("state") };
    if (scope === "snsapi_base") return this.redirectWithCode(account, user, req, false, true);
    if (settings.snapshot !== "off") {
      if (settings.snapshot === "next")
        await setOAuthSettings(this.ctx.db, account.appid, { snapshot: "off" });
      return snapshotPage(account, this.ticket({ kind: "snapshot", ...req }));
    }
    const entry = await identity.entryOf(call.request);
    const fromConversation = entry?.appid === account.appid && follow?.subscribed === 1;
    const consentedAt = await consentTime(this.ctx.db, account.appid, user.id, scope);
    const recent =
      q.values.get("forcePopup") !== "true" &&
      settings.silentReauthDays > 0 &&
      consentedAt !== null &&
      this.ctx.clock.now() - consentedAt < settings.silentReauthDays * 86_400_000;
    if (fromConversation || recent) return this.redirectWithCode(account, user, req, false, true);
    return consentPage(account, user, this.ticket({ kind: "consent", ...req }));
  }

  /** The consent or snapshot page's buttons. */
  async reply(call: PageCall): Promise<NonJsonResult> {
    const q = parseRawQuery(call.request.url);
    const ticket = q?.values.get("ticket") ?? "";
    const action = q?.values.get("action") ?? "";
    const p = this.take(ticket);
    if (!p) return linkUnavailablePage("the authorization page was used or has expired: open the link again");
    call.identify(p.appid);
    const user = await this.ctx.services["web-identity"].userOf(call.request);
    if (!user || user.id !== p.userId)
      return linkUnavailablePage("this authorization page belongs to another simulated user");
    const account = await getAccount(this.ctx.db, p.appid);
    if (!account) return linkUnavailablePage(`no account has the appid ${p.appid}`);
    if (p.kind === "consent" && action === "allow") {
      await recordConsent(this.ctx, account.appid, user.id, p.scope);
      return this.redirectWithCode(account, user, p, false);
    }
    // Refused: back to the developer without a code (§2.2).
    if (p.kind === "consent" && action === "deny") {
      this.announce(p, "denied", false);
      return redirect(withParams(p.redirectUri, [["state", p.state]]));
    }
    if (p.kind === "snapshot" && action === "snapshot") return this.redirectWithCode(account, user, p, true);
    if (p.kind === "snapshot" && action === "full")
      return consentPage(account, user, this.ticket({ ...p, kind: "consent" }));
    return linkUnavailablePage(`unknown action ${action}`);
  }

  private announce(
    p: { appid: string; userId: string; scope: string },
    outcome: "code" | "denied" | "snapshot",
    silent: boolean,
  ): void {
    this.ctx.events.emit("oauth.authorized", {
      appid: p.appid,
      userId: p.userId,
      scope: p.scope,
      outcome,
      silent,
      time: this.ctx.clock.now(),
    });
  }

  private async redirectWithCode(
    account: Account,
    user: User,
    p: { scope: string; redirectUri: string; state: string },
    snapshot: boolean,
    silent = false,
  ): Promise<NonJsonResult> {
    const openid = snapshot
      ? snapshotOpenid(account.appid, user.id)
      : (await ensureIdentity(this.ctx, account, user.id)).openid;
    const grant: Grant = { appid: account.appid, userId: user.id, openid, scope: p.scope, snapshot };
    const code = await issueCode(this.ctx, grant);
    this.announce(
      { appid: account.appid, userId: user.id, scope: p.scope },
      snapshot ? "snapshot" : "code",
      silent,
    );
    return redirect(
      withParams(p.redirectUri, [
        ["code", code],
        ["state", p.state],
      ]),
    );
  }

  private ticket(p: Pending): string {
    return this.pending.put(p);
  }

  private take(ticket: string): Pending | undefined {
    return this.pending.take(ticket);
  }
}
