/**
 * The table of bridge APIs (spec/jssdk.md §5, §7): each name WeChat's `jweixin` invokes on
 * `WeixinJSBridge`, the `wx.*` name a page lists in `jsApiList`, its permission row, the grant the
 * row needs on top, and whether it works without `wx.config` (bridge APIs older than JS-SDK). The
 * answers are WeChat's native `err_msg` strings, which `jweixin` turns into the `errMsg` a page sees.
 * Handlers are registered by family (share, media, device, ui, scan) and by other modules (pay,
 * cards, shop) through the module's `registerApi` service; a handler that needs the user answers
 * with a directive and `next` (a picker, a prompt, or a platform page in an overlay: `overlayPage`).
 */
import type { Grant, PermissionId } from "@mpstack/protocol";
import type { Account } from "../accounts/index.js";
import type { User } from "../simulated-users/index.js";

export interface ApiEntry {
  /** The name `WeixinJSBridge.invoke` receives. */
  bridge: string;
  /** The name in `jsApiList` and `checkJsApi` (`wx.<name>`). */
  wx: string;
  row: PermissionId;
  /** A grant the call needs beyond the row (cards, shop). */
  grant?: Grant;
  /** Callable without a verified `wx.config` (WeixinJSBridge APIs that predate JS-SDK). */
  legacy?: boolean;
  /** The name jweixin puts in `verifyJsApiList` and `checkJsApi` when it differs (`menu:share:timeline`). */
  listedAs?: string;
}

const e = (bridge: string, wx: string, row: PermissionId, more: Partial<ApiEntry> = {}): ApiEntry => ({
  bridge,
  wx,
  row,
  ...more,
});

export const API_TABLE: readonly ApiEntry[] = [
  e("checkJsApi", "checkJsApi", "jssdk.base", { legacy: true }),
  e("updateAppMessageShareData", "updateAppMessageShareData", "jssdk.share"),
  e("updateTimelineShareData", "updateTimelineShareData", "jssdk.share"),
  e("shareTimeline", "onMenuShareTimeline", "jssdk.share", { listedAs: "menu:share:timeline" }),
  e("sendAppMessage", "onMenuShareAppMessage", "jssdk.share", { listedAs: "menu:share:appmessage" }),
  e("shareQQ", "onMenuShareQQ", "jssdk.share", { listedAs: "menu:share:qq" }),
  e("shareWeiboApp", "onMenuShareWeibo", "jssdk.share", { listedAs: "menu:share:weiboApp" }),
  e("shareQZone", "onMenuShareQZone", "jssdk.share", { listedAs: "menu:share:QZone" }),
  e("chooseImage", "chooseImage", "jssdk.image"),
  e("imagePreview", "previewImage", "jssdk.image", { legacy: true }),
  e("uploadImage", "uploadImage", "jssdk.image"),
  e("downloadImage", "downloadImage", "jssdk.image"),
  e("getLocalImgData", "getLocalImgData", "jssdk.image"),
  e("startRecord", "startRecord", "jssdk.audio"),
  e("stopRecord", "stopRecord", "jssdk.audio"),
  e("playVoice", "playVoice", "jssdk.audio"),
  e("pauseVoice", "pauseVoice", "jssdk.audio"),
  e("stopVoice", "stopVoice", "jssdk.audio"),
  e("uploadVoice", "uploadVoice", "jssdk.audio"),
  e("downloadVoice", "downloadVoice", "jssdk.audio"),
  e("translateVoice", "translateVoice", "jssdk.voice_recognition"),
  e("getNetworkType", "getNetworkType", "jssdk.device_info", { legacy: true }),
  e("openLocation", "openLocation", "jssdk.location"),
  e("geoLocation", "getLocation", "jssdk.location"),
  e("hideOptionMenu", "hideOptionMenu", "jssdk.ui", { legacy: true }),
  e("showOptionMenu", "showOptionMenu", "jssdk.ui", { legacy: true }),
  e("closeWindow", "closeWindow", "jssdk.ui", { legacy: true }),
  e("hideMenuItems", "hideMenuItems", "jssdk.ui"),
  e("showMenuItems", "showMenuItems", "jssdk.ui"),
  e("hideAllNonBaseMenuItem", "hideAllNonBaseMenuItem", "jssdk.ui"),
  e("showAllNonBaseMenuItem", "showAllNonBaseMenuItem", "jssdk.ui"),
  e("scanQRCode", "scanQRCode", "jssdk.scan"),
  e("openProductViewWithPid", "openProductSpecificView", "jssdk.shop", { grant: "shop" }),
  e("batchAddCard", "addCard", "jssdk.card", { grant: "card" }),
  e("chooseCard", "chooseCard", "jssdk.card", { grant: "card" }),
  e("batchViewCard", "openCard", "jssdk.card", { grant: "card" }),
  // The pay sheet: WeixinJSBridge pages call it without wx.config (the pay directory rules instead).
  e("getBrandWCPayRequest", "chooseWXPay", "jssdk.pay", { legacy: true }),
];

const BY_BRIDGE = new Map(API_TABLE.map((a) => [a.bridge, a]));
const BY_WX = new Map(API_TABLE.map((a) => [a.wx, a]));
/** Every name a page's jsApiList may hold for an API: jweixin sends bridge names, other code wx names. */
const LISTED = new Set(API_TABLE.flatMap((a) => [a.bridge, a.wx, ...(a.listedAs ? [a.listedAs] : [])]));

/** The entry of a bridge name (or of a wx name, for pages that invoke the bridge with those). */
export function apiEntry(name: string): ApiEntry | undefined {
  return BY_BRIDGE.get(name) ?? BY_WX.get(name);
}

/** What the client supports, for checkJsApi (by any of its names). */
export const isKnownApi = (name: string) => LISTED.has(name);

/** Does a page's jsApiList name this API (by any of its names)? */
export const isListed = (entry: ApiEntry, jsApiList: readonly string[]) =>
  jsApiList.includes(entry.wx) ||
  jsApiList.includes(entry.bridge) ||
  (entry.listedAs !== undefined && jsApiList.includes(entry.listedAs));

/** A page session: a `wx.config` that passed. */
export interface PageSession {
  session: string;
  appid: string;
  userId: string;
  url: string;
  jsApiList: string[];
  openTagList: string[];
}

/** A client-side step the bridge performs (a sheet, a local file, the menu). */
export interface Directive {
  kind: string;
  [key: string]: unknown;
}

/** A file the bridge sends with an upload (the local resource's bytes). */
export interface Upload {
  data: Buffer;
  contentType: string;
  filename: string;
}

export interface BridgeCall {
  entry: ApiEntry;
  /** The name the page invoked (answers use it as the `err_msg` prefix). */
  name: string;
  /** Null only for legacy bridge calls of a page that never configured JS-SDK. */
  account: Account | null;
  user: User;
  page: PageSession | null;
  args: Record<string, unknown>;
  /** The page URL (without fragment). */
  url: string;
  upload?: Upload;
  /** Fields the bridge adds from the local resource (e.g. the recording's transcript). */
  local: Record<string, unknown>;
}

export interface BridgeAnswer {
  /** The native answer (`err_msg` and the API's fields). */
  result: Record<string, unknown>;
  /** A step the bridge performs before handing the result to the page. */
  directive?: Directive;
  /** With a directive that asks the user: what happens with the user's choice. */
  next?: (choice: unknown) => Promise<BridgeAnswer>;
}

export type BridgeHandler = (call: BridgeCall) => Promise<BridgeAnswer>;

export const ok = (name: string, fields: Record<string, unknown> = {}) => ({
  err_msg: `${name}:ok`,
  ...fields,
});
export const cancel = (name: string) => ({ err_msg: `${name}:cancel` });
export const fail = (name: string, why?: string) => ({
  err_msg: why ? `${name}:fail, ${why}` : `${name}:fail`,
});
/** WeChat's answer to an API the account may not use; jweixin shows `<api>:permission denied`. */
export const ACCESS_DENIED = { err_msg: "system:access_denied" };
/** An API this client does not have; jweixin shows `<api>:function not exist`. */
export const NOT_EXIST = { err_msg: "system:function_not_exist" };

/**
 * Show a page of the platform over the developer's page, as WeChat draws its native sheets (the
 * pay sheet): the bridge opens `path` (on the platform's origin, as the browsing user) in an
 * overlay and continues the call with the data that page posts to its parent (`postMessage` of an
 * object whose `type` is `message`), or with null when the user closes the overlay. The posted data
 * is only a signal, a page could forge it: `next` reads the outcome from the platform.
 */
export function overlayPage(
  call: BridgeCall,
  page: { path: string; message: string; title: string },
  next: (posted: unknown) => Promise<BridgeAnswer>,
): BridgeAnswer {
  return { result: ok(call.name), directive: { kind: "page", ...page }, next };
}

/**
 * Let the user pick among `options` in a native sheet (chooseCard's cards): the call continues
 * with the chosen values (only values offered are kept), or with null when the user cancels.
 */
export function chooseSheet(
  call: BridgeCall,
  sheet: { title: string; options: { value: string; label: string }[]; multiple: boolean },
  next: (chosen: string[] | null) => Promise<BridgeAnswer>,
): BridgeAnswer {
  const offered = new Set(sheet.options.map((o) => o.value));
  return {
    result: ok(call.name),
    directive: { kind: "choose", ...sheet },
    next: (choice) =>
      next(
        Array.isArray(choice)
          ? choice.filter((v): v is string => typeof v === "string" && offered.has(v))
          : null,
      ),
  };
}

/** A sheet of text lines the user reads and closes (a product view); the call answers at once. */
export const infoSheet = (title: string, lines: string[]): Directive => ({ kind: "info", title, lines });

/**
 * The `errMsg` a page sees for a native `err_msg` (jweixin's own mapping): the API's wx name,
 * then `ok` for ok/confirm, `permission denied` for access denied, the text after `fail_`, …
 */
export function pageErrMsg(name: string, errMsg: string): string {
  const api = name === "preVerifyJSAPI" ? "config" : (apiEntry(name)?.wx ?? name);
  // jweixin rewrites getNetworkType's answer (`network_type:wifi`) to ok, or fail when offline.
  if (api === "getNetworkType") return /:(wifi|wwan|edge)$/.test(errMsg) ? `${api}:ok` : `${api}:fail`;
  let tail = errMsg.slice(errMsg.indexOf(":") + 1);
  if (tail === "confirm") tail = "ok";
  if (tail === "failed") tail = "fail";
  if (tail.includes("failed_")) tail = tail.slice(7);
  if (tail.includes("fail_")) tail = tail.slice(5);
  tail = tail.replace(/_/g, " ").toLowerCase();
  if (tail === "access denied" || tail === "no permission to execute") tail = "permission denied";
  if (tail === "") tail = "fail";
  return `${api}:${tail}`;
}
