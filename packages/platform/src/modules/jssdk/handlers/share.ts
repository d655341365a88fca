/**
 * Sharing (spec/jssdk.md §5.2): `updateAppMessageShareData` / `updateTimelineShareData` set what
 * "send to friend" (and QQ) and "share to Moments" (and QQ Zone) share; the older `onMenuShare*`
 * hooks hand their content over when the user taps the menu item (the bridge invokes
 * `sendAppMessage`, `shareTimeline`, …). Each records the page's share settings. Since 2017 the
 * link must lie within the account's JS safe domains.
 */
import type { BridgeCall, BridgeHandler } from "../apis.js";
import { fail, ok } from "../apis.js";
import { saveShare } from "../records.js";
import { inJssdkDomains } from "../verify.js";
import type { Toolkit } from "./toolkit.js";

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Which menu targets each API sets. */
const TARGETS: Record<string, string[]> = {
  updateAppMessageShareData: ["appMessage", "qq"],
  updateTimelineShareData: ["timeline", "qzone"],
  sendAppMessage: ["appMessage"],
  shareTimeline: ["timeline"],
  shareQQ: ["qq"],
  shareWeiboApp: ["weibo"],
  shareQZone: ["qzone"],
};

function linkAllowed(call: BridgeCall, link: string): boolean {
  try {
    return inJssdkDomains(new URL(link), call.account?.jssdkDomains ?? []);
  } catch {
    return false;
  }
}

export function shareHandlers(kit: Toolkit): Record<string, BridgeHandler> {
  const share: BridgeHandler = async (call) => {
    const a = call.args;
    const content = {
      title: str(a.title),
      desc: str(a.desc),
      link: str(a.link) || call.url,
      // jweixin sends `imgUrl` to the new APIs and `img_url` to the hooks.
      imgUrl: str(a.imgUrl) || str(a.img_url),
    };
    if (!linkAllowed(call, content.link)) return { result: fail(call.name, "invalid url domain") };
    if (call.account) {
      const key = { appid: call.account.appid, userId: call.user.id, url: call.url };
      await saveShare(kit.ctx, key, TARGETS[call.entry.bridge] ?? [], content, call.entry.wx);
    }
    return { result: ok(call.name) };
  };
  return Object.fromEntries(Object.keys(TARGETS).map((name) => [name, share]));
}
