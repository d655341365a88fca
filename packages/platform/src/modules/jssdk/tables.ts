/**
 * The JS-SDK module's tables (spec/jssdk.md): tickets (7200 s each), verified pages (one row per
 * successful `wx.config`, the bridge's session), the calls pages made (for the console and tests),
 * the share settings of each page, media uploaded from pages (until the materials module stores
 * them), and each simulated user's device settings. Times are platform-clock ms.
 */
export interface JssdkTicketTable {
  ticket: string;
  appid: string;
  /** `jsapi` or `wx_card`. */
  type: string;
  created_at: number;
  expires_at: number;
}

/** A page whose `wx.config` passed: what the bridge's later calls are checked against. */
export interface JssdkPageTable {
  session: string;
  appid: string;
  user_id: string;
  /** The page URL without its fragment, as signed. */
  url: string;
  /** JSON array of the `jsApiList` names. */
  api_list: string;
  /** JSON array of the `openTagList` names. */
  open_tags: string;
  created_at: number;
}

/** One bridge call of a page, with its outcome (`errMsg` as the page sees it). */
export interface JssdkCallTable {
  id: string;
  appid: string;
  user_id: string;
  url: string;
  /** The wx.* name (`chooseImage`), or the bridge's own name for calls jweixin does not wrap. */
  api: string;
  /** JSON of the arguments (file data left out, at most 2 KB). */
  args: string;
  result: string;
  time: number;
}

/** The share content a page set (per target: appMessage, timeline, qq, weibo, qzone). */
export interface JssdkShareTable {
  appid: string;
  user_id: string;
  url: string;
  target: string;
  title: string;
  description: string;
  link: string;
  img_url: string;
  /** Which API set it (updateAppMessageShareData, onMenuShareTimeline, …). */
  api: string;
  updated_at: number;
}

/** A simulated user's phone as JS-SDK sees it. */
export interface JssdkUserSettingsTable {
  user_id: string;
  /** wifi, 4g, 3g, 2g, 5g, none. */
  network_type: string;
  /** What the location prompt answers: ask (the page shows it), allow, deny. */
  location_prompt: string;
}

declare module "../../db/schema.js" {
  interface Database {
    jssdk_tickets: JssdkTicketTable;
    jssdk_pages: JssdkPageTable;
    jssdk_calls: JssdkCallTable;
    jssdk_shares: JssdkShareTable;
    jssdk_user_settings: JssdkUserSettingsTable;
  }
}
