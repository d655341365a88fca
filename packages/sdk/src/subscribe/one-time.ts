/**
 * One-time subscription messages (一次性订阅消息, spec/template.md §9): the authorisation URL a user
 * opens inside WeChat, and the reading of WeChat's redirect back to the developer's page. Send the
 * message afterwards with `client.template.subscribeOnce({ touser: openid, scene, … })`.
 */
import { randomBytes } from "node:crypto";
import { HOSTS } from "@mpstack/protocol";

export interface OneTimeSubscribeUrlOptions {
  appId: string;
  /** The account's one-time subscription template id (shown in the console's permission list). */
  templateId: string;
  /** 0–10000; comes back on the redirect, and template/subscribe needs it. */
  scene: number;
  /** Where WeChat redirects; its domain must be one of the account's business domains. */
  redirectUrl: string;
  /**
   * Returned unchanged on the redirect (CSRF check): letters and digits, at most 128. Default: 32
   * random letters and digits (read it from the result to check the redirect).
   */
  reserved?: string;
  /** WeChat's mp host by default; the platform's URL for local work. */
  baseUrl?: string;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomReserved(n = 32): string {
  const bytes = randomBytes(n);
  return Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join("");
}

/** The authorisation page URL (with `#wechat_redirect`) and the `reserved` value it carries. */
export function oneTimeSubscribeUrl(o: OneTimeSubscribeUrlOptions): { url: string; reserved: string } {
  if (!Number.isInteger(o.scene) || o.scene < 0 || o.scene > 10_000)
    throw new RangeError("scene must be an integer from 0 to 10000");
  const reserved = o.reserved ?? randomReserved();
  if (!/^[A-Za-z0-9]{0,128}$/.test(reserved))
    throw new RangeError("reserved: letters and digits, at most 128");
  const query = new URLSearchParams({
    action: "get_confirm",
    appid: o.appId,
    scene: String(o.scene),
    template_id: o.templateId,
    redirect_url: o.redirectUrl,
    reserved,
  });
  const base = (o.baseUrl ?? HOSTS.mp).replace(/\/+$/, "");
  return { url: `${base}/mp/subscribemsg?${query.toString()}#wechat_redirect`, reserved };
}

export interface OneTimeSubscribeResult {
  /** `confirm` (the user allowed) or `cancel`. */
  action: "confirm" | "cancel";
  /** Only when the user allowed. */
  openid?: string;
  templateId: string;
  scene: number;
  reserved: string;
}

/**
 * Read WeChat's redirect to `redirectUrl` (the full URL or its query). Throws when it is not one, or
 * when `expectedReserved` is given and differs (a forged or replayed redirect).
 */
export function readOneTimeSubscribeRedirect(
  urlOrQuery: string | URLSearchParams,
  expectedReserved?: string,
): OneTimeSubscribeResult {
  const q =
    typeof urlOrQuery === "string"
      ? new URLSearchParams(
          urlOrQuery.includes("?") ? urlOrQuery.slice(urlOrQuery.indexOf("?") + 1).split("#")[0] : urlOrQuery,
        )
      : urlOrQuery;
  const action = q.get("action");
  if (action !== "confirm" && action !== "cancel")
    throw new Error("not a one-time subscription redirect: action");
  const scene = Number(q.get("scene"));
  if (!Number.isInteger(scene)) throw new Error("not a one-time subscription redirect: scene");
  const reserved = q.get("reserved") ?? "";
  if (expectedReserved !== undefined && reserved !== expectedReserved)
    throw new Error("reserved does not match");
  const openid = q.get("openid");
  return {
    action,
    ...(action === "confirm" && openid ? { openid } : {}),
    templateId: q.get("template_id") ?? "",
    scene,
    reserved,
  };
}
