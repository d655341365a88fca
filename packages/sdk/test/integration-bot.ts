/**
 * The developer server of the integration tests: a handler whose answers spell out the typed fields
 * each message and event arrived with (so the platform's judged reply proves them), and the menu
 * with a button of every type that pushes an event.
 */
import type { InboundMessage, MenuButton, SecurityMode } from "@mpstack/protocol";
import { createHandler, type HandlerResult, type MessageHandler, reply } from "../src/index.js";

/** A push as the handler received it, with the mode it detected. */
export interface Received {
  message: InboundMessage;
  mode: SecurityMode;
}

/** Three parents: key buttons, picture buttons, links (view, miniprogram). */
export const EVERY_PUSHING_BUTTON = [
  {
    name: "Keys",
    sub_button: [
      { type: "click", name: "Click", key: "K_CLICK" },
      { type: "click", name: "Fall", key: "K_FALL" },
      { type: "scancode_push", name: "ScanPush", key: "S_PUSH" },
      { type: "scancode_waitmsg", name: "ScanWait", key: "S_WAIT" },
      { type: "location_select", name: "Place", key: "L_SELECT" },
    ],
  },
  {
    name: "Pics",
    sub_button: [
      { type: "pic_sysphoto", name: "Camera", key: "P_SYS" },
      { type: "pic_photo_or_album", name: "Album", key: "P_ALBUM" },
      { type: "pic_weixin", name: "WeChat", key: "P_WX" },
      { type: "click", name: "Other", key: "OTHER" },
    ],
  },
  {
    name: "Links",
    sub_button: [
      { type: "view", name: "Site", url: "https://example.com/site" },
      {
        type: "miniprogram",
        name: "Mini",
        url: "https://example.com/fallback",
        appid: "wx1234567890abcdef",
        pagepath: "pages/index",
      },
    ],
  },
] satisfies MenuButton[];

export function integrationHandler(
  account: { appId: string; token: string; encodingAESKey: string },
  received: Received[],
): MessageHandler {
  const h = createHandler(account);
  h.use((message, ctx, next) => {
    received.push({ message, mode: ctx.mode });
    return next();
  });
  // ---- ordinary messages: the reply proves the typed fields arrived ----
  h.text("news", () =>
    reply.news([
      { title: "T", description: "D", picUrl: "http://127.0.0.1/p.png", url: "http://127.0.0.1/a" },
    ]),
  );
  h.text(/^echo (.+)$/, (_m, ctx) => `echo:${ctx.match?.[1]}`);
  h.on("text", (m) => `text:${m.Content}`);
  h.on("image", (m) => `image:${m.MediaId}:${m.PicUrl.startsWith("http") ? "url" : "no-url"}`);
  h.on("voice", (m) => `voice:${m.Format}:${m.Recognition ?? ""}`);
  h.on(["video", "shortvideo"], (m) => `${m.kind}:${m.MediaId}:${m.ThumbMediaId}`);
  h.on(
    "location",
    (m) => `location:${typeof m.Location_X}:${m.Location_X},${m.Location_Y}:${m.Scale}:${m.Label}`,
  );
  h.on("link", (m) => `link:${m.Title}:${m.Description}:${m.Url}`);
  // ---- events ----
  h.scan(/^vip-(.+)$/, (m, ctx) => `scan-vip:${m.Event}:${ctx.match?.[1]}`);
  h.scan(undefined, (m) => `scan:${m.Event}:${m.EventKey}:${m.Ticket ? "ticket" : "no-ticket"}`);
  h.event("subscribe", () => "welcome");
  h.event("unsubscribe", () => "bye"); // WeChat shows nobody an unsubscribe reply
  h.event("LOCATION", (m) => `LOCATION:${typeof m.Latitude}:${m.Latitude},${m.Longitude}:${m.Precision}`);
  // Falls through to the next matching route and wraps its answer.
  h.click("K_FALL", async (_m, _ctx, next) => `wrapped(${await next()})`);
  h.click(/^K_(.+)$/, (_m, ctx) => `click:${ctx.match?.[1]}`);
  h.event(["VIEW", "view_miniprogram"], (m) => `${m.Event}:${m.EventKey}:${m.MenuId ?? ""}`);
  h.event(
    ["scancode_push", "scancode_waitmsg"],
    (m) => `${m.Event}:${m.EventKey}:${m.ScanCodeInfo.ScanResult}`,
  );
  h.event(["pic_sysphoto", "pic_photo_or_album", "pic_weixin"], (m) => {
    return `${m.Event}:${m.SendPicsInfo.Count}:${m.SendPicsInfo.PicList.map((p) => p.PicMd5Sum).join(",")}`;
  });
  h.event(
    "location_select",
    (m) => `location_select:${m.SendLocationInfo.Label}:${m.SendLocationInfo.Poiname}`,
  );
  h.event(["kf_create_session", "kf_close_session"], (m) => `${m.Event}:${m.KfAccount}`);
  h.event("kf_switch_session", (m) => `kf_switch_session:${m.FromKfAccount}>${m.ToKfAccount}`);
  h.event("CLICK", (m) => `fallthrough:${m.EventKey}`);
  // System events: nobody reads a reply; the route only acknowledges.
  h.default((): HandlerResult => undefined);
  return h;
}
