/**
 * Routing: every message and event type reaches its route, and the router's matching, order,
 * middleware and fall-through.
 */
import type { Reply } from "@mpstack/protocol";
import { reply } from "@mpstack/sdk";
import { describe, expect, it } from "vitest";
import { ACCOUNT, MODES, msgId, OPENID, post, pushXml, textXml } from "./handler-fixtures.js";
import { handlerHarness } from "./handler-harness.js";

const serve = handlerHarness();

// Every ordinary message type and every event the protocol models, as the platform pushes them.
const ordinary: [string, Record<string, unknown>][] = [
  ["text", { MsgType: "text", Content: "hello" }],
  ["image", { MsgType: "image", PicUrl: "http://mmbiz.example.invalid/p", MediaId: "M1" }],
  ["voice", { MsgType: "voice", MediaId: "M2", Format: "amr", Recognition: "hi" }],
  ["video", { MsgType: "video", MediaId: "M3", ThumbMediaId: "T3" }],
  ["shortvideo", { MsgType: "shortvideo", MediaId: "M4", ThumbMediaId: "T4" }],
  [
    "location",
    { MsgType: "location", Location_X: 23.134521, Location_Y: 113.358803, Scale: 20, Label: "Road" },
  ],
  ["link", { MsgType: "link", Title: "A", Description: "B", Url: "https://example.invalid/a" }],
];
const pics = { Count: 1, PicList: { item: [{ PicMd5Sum: "5a105e8b9d40e1329780d62ea2265d8a" }] } };
const events: [string, Record<string, unknown>][] = [
  ["subscribe", { EventKey: "" }],
  ["unsubscribe", {}],
  ["SCAN", { EventKey: "42", Ticket: "gQ" }],
  ["LOCATION", { Latitude: 23.1, Longitude: 113.3, Precision: 119.3 }],
  ["CLICK", { EventKey: "V1001_TODAY_MUSIC" }],
  ["VIEW", { EventKey: "https://example.invalid/shop", MenuId: 208379533 }],
  ["view_miniprogram", { EventKey: "pages/index/index", MenuId: "MENUID" }],
  ["scancode_push", { EventKey: "rs_0", ScanCodeInfo: { ScanType: "qrcode", ScanResult: "r" } }],
  ["scancode_waitmsg", { EventKey: "rs_1", ScanCodeInfo: { ScanType: "barcode", ScanResult: "r" } }],
  ["pic_sysphoto", { EventKey: "p0", SendPicsInfo: pics }],
  ["pic_photo_or_album", { EventKey: "p1", SendPicsInfo: pics }],
  ["pic_weixin", { EventKey: "p2", SendPicsInfo: pics }],
  [
    "location_select",
    {
      EventKey: "l0",
      SendLocationInfo: { Location_X: "23", Location_Y: "113", Scale: "15", Label: "L", Poiname: "P" },
    },
  ],
  ["TEMPLATESENDJOBFINISH", { MsgID: 200163836, Status: "success" }],
  [
    "MASSSENDJOBFINISH",
    {
      MsgID: 1000001625,
      Status: "send success",
      TotalCount: 100,
      FilterCount: 80,
      SentCount: 75,
      ErrorCount: 5,
    },
  ],
  ["PUBLISHJOBFINISH", { PublishEventInfo: { publish_id: 2247503051, publish_status: 0, article_id: "A1" } }],
  [
    "subscribe_msg_popup_event",
    {
      SubscribeMsgPopupEvent: { List: [{ TemplateId: "T", SubscribeStatusString: "accept", PopupScene: 2 }] },
    },
  ],
  [
    "subscribe_msg_change_event",
    { SubscribeMsgChangeEvent: { List: [{ TemplateId: "T", SubscribeStatusString: "reject" }] } },
  ],
  [
    "subscribe_msg_sent_event",
    {
      SubscribeMsgSentEvent: {
        List: [{ TemplateId: "T", MsgID: 1700827132819554304n, ErrorCode: 0, ErrorStatus: "success" }],
      },
    },
  ],
  ["kf_create_session", { KfAccount: "kf2001@example" }],
  ["kf_close_session", { KfAccount: "kf2001@example" }],
  ["kf_switch_session", { FromKfAccount: "kf1@example", ToKfAccount: "kf2@example" }],
  ["qualification_verify_success", { ExpiredTime: 1700000000 }],
  ["naming_verify_fail", { FailTime: 1700000000, FailReason: "no" }],
  ["user_info_modified", { OpenID: OPENID, AppID: ACCOUNT.appId }],
];

describe("routing: every message and event type reaches its route", () => {
  for (const mode of ["plain", "safe"] as const) {
    it(`${mode}: ${ordinary.length} message types and ${events.length} events`, async () => {
      const { base } = await serve({}, (h) => {
        for (const [kind] of ordinary) h.on(kind as "text", (m) => `kind:${m.kind}:${m.MsgType}`);
        for (const [name] of events) h.event(name as "CLICK", (m) => `event:${m.kind}:${m.Event}`);
        h.on("unknown", (m) => `unknown:${m.MsgType}:${m.Event ?? ""}`);
      });
      for (const [kind, fields] of ordinary) {
        const answer = await post(base, mode, pushXml({ ...(fields as object), MsgId: msgId() } as never));
        expect(answer.reply, kind).toEqual({ type: "text", content: `kind:${kind}:${kind}` });
      }
      for (const [name, fields] of events) {
        const answer = await post(
          base,
          mode,
          pushXml({ MsgType: "event", Event: name, ...(fields as object) } as never),
        );
        expect(answer.reply, name).toEqual({ type: "text", content: `event:event:${name}` });
      }
      // Unknown events and message types are passed through, not dropped.
      const card = await post(
        base,
        mode,
        pushXml({ MsgType: "event", Event: "card_pass_check", CardId: "c" }),
      );
      expect(card.reply).toEqual({ type: "text", content: "unknown:event:card_pass_check" });
      const device = await post(
        base,
        mode,
        pushXml({ MsgType: "device_text", Content: "x", MsgId: msgId() }),
      );
      expect(device.reply).toEqual({ type: "text", content: "unknown:device_text:" });
    });
  }
});

describe("router", () => {
  const event = (name: string, key?: string) =>
    pushXml({ MsgType: "event", Event: name, ...(key === undefined ? {} : { EventKey: key }) });

  it("matches text exactly or by RegExp (with ctx.match), menu keys, event keys and QR scenes", async () => {
    const { base } = await serve({}, (h) =>
      h
        .text("help", () => "exact")
        .text(/^weather (\w+)$/i, (_m, ctx) => `weather in ${ctx.match?.[1]}`)
        .click("MENU_A", () => "click A")
        .click(/^MENU_/, (m) => `click ${m.EventKey}`)
        .scan("42", () => "scene 42")
        .scan(/^promo_/, (_m, ctx) => `promo ${ctx.match?.[0]}`)
        .eventKey("rs_0", (m) => `key on ${m.Event}`)
        .event("subscribe", () => "welcome")
        .default((m) => `default ${m.kind}`),
    );
    const text = async (xml: string) => (await post(base, "plain", xml)).reply;
    expect(await text(textXml("help"))).toEqual(reply.text("exact"));
    expect(await text(textXml("help me"))).toEqual(reply.text("default text"));
    expect(await text(textXml("Weather Paris"))).toEqual(reply.text("weather in Paris"));
    expect(await text(event("CLICK", "MENU_A"))).toEqual(reply.text("click A"));
    expect(await text(event("CLICK", "MENU_B"))).toEqual(reply.text("click MENU_B"));
    expect(await text(event("SCAN", "42"))).toEqual(reply.text("scene 42"));
    expect(await text(event("subscribe", "qrscene_42"))).toEqual(reply.text("scene 42"));
    expect(await text(event("subscribe", "qrscene_promo_x"))).toEqual(reply.text("promo promo_"));
    expect(await text(event("subscribe", ""))).toEqual(reply.text("welcome"));
    const scancode = pushXml({
      MsgType: "event",
      Event: "scancode_push",
      EventKey: "rs_0",
      ScanCodeInfo: { ScanType: "qrcode", ScanResult: "r" },
    });
    expect(await text(scancode)).toEqual(reply.text("key on scancode_push"));
    expect(await text(event("VIEW", "https://example.invalid"))).toEqual(reply.text("default event"));
  });

  it("runs middleware and routes in order, with next() falling through to later routes and the default", async () => {
    const trail: string[] = [];
    const { base } = await serve({}, (h) =>
      h
        .use(async (_m, ctx, next) => {
          trail.push("mw:before");
          ctx.state.user = "alice";
          const result = await next();
          trail.push(`mw:after:${typeof result === "string" ? result : "?"}`);
          return result;
        })
        .text(/./, (_m, _ctx, next) => {
          trail.push("any-text");
          return next();
        })
        .text("skip", (_m, _ctx, next) => {
          trail.push("skip");
          return next();
        })
        .on("text", (_m, ctx) => `for ${ctx.state.user}`)
        .default(() => "fallback"),
    );
    expect((await post(base, "plain", textXml("hello"))).reply).toEqual(reply.text("for alice"));
    expect(trail).toEqual(["mw:before", "any-text", "mw:after:for alice"]);
    trail.length = 0;
    const skipped = await serve({}, (h) =>
      h
        .text("skip", (_m, _ctx, next) => {
          trail.push("skip");
          return next();
        })
        .default(() => "fallback"),
    );
    expect((await post(skipped.base, "plain", textXml("skip"))).reply).toEqual(reply.text("fallback"));
    expect(trail).toEqual(["skip"]);
  });

  it("sends every passive reply type built with the reply builders", async () => {
    const replies: Reply[] = [
      reply.text("line 1\nline 2"),
      reply.image("MEDIA_image"),
      reply.voice("MEDIA_voice"),
      reply.video("MEDIA_video", { title: "Clip", description: "30 s" }),
      reply.music({
        thumbMediaId: "THUMB",
        title: "Song",
        musicUrl: "https://e.invalid/a.mp3",
        hqMusicUrl: "https://e.invalid/hq.mp3",
      }),
      reply.news([
        {
          title: "Digest",
          description: "Five things",
          picUrl: "https://e.invalid/c.jpg",
          url: "https://e.invalid/d",
        },
      ]),
      reply.transferCustomerService(),
      reply.transferCustomerService("kf2001@example"),
    ];
    let index = 0;
    const { base } = await serve({}, (h) => h.event("CLICK", () => replies[index]));
    for (; index < replies.length; index++) {
      for (const mode of MODES) {
        const answer = await post(base, mode, event("CLICK", `K${index}`));
        expect(answer.reply).toEqual(replies[index]);
      }
    }
  });
});
