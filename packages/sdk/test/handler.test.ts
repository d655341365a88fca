/**
 * The message handler end to end: verification, the three modes, routing, de-duplication of
 * retries, the time budget and error reports.
 */
import { createServer } from "node:http";
import { MessageCrypto, parseReplyXml, type Reply } from "@mpstack/protocol";
import {
  type CustomerMessageSender,
  createClient,
  createHandler,
  customerMessageSender,
  customMessageFromReply,
  type HandlerErrorInfo,
  type HandlerOptions,
  MemoryDedupeStore,
  type MessageHandler,
  reply,
  toNodeHttp,
} from "@mpstack/sdk";
import { afterEach, describe, expect, it } from "vitest";
import {
  ACCOUNT,
  close,
  createTime,
  handshakeQuery,
  listen,
  MODES,
  msgId,
  OPENID,
  post,
  pushXml,
  readAnswer,
  sealPush,
  sleep,
  textXml,
} from "./handler-fixtures.js";
import { startFakeWechat } from "./helpers/fake-wechat.js";

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
});

interface Harness {
  handler: MessageHandler;
  base: string;
  errors: { error: unknown; info: HandlerErrorInfo }[];
}

async function serve(
  options: Partial<HandlerOptions> = {},
  setup?: (h: MessageHandler) => void,
): Promise<Harness> {
  const errors: Harness["errors"] = [];
  const handler = createHandler({
    token: ACCOUNT.token,
    appId: ACCOUNT.appId,
    encodingAESKey: ACCOUNT.encodingAESKey,
    onError: (error, info) => errors.push({ error, info }),
    ...options,
  });
  setup?.(handler);
  const server = createServer(toNodeHttp(handler));
  servers.push(server);
  return { handler, base: await listen(server), errors };
}

describe("URL verification (GET echostr)", () => {
  it("echoes echostr as text/plain when the signature is valid", async () => {
    const { base } = await serve();
    const response = await fetch(base + handshakeQuery("4375120948345356249"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("4375120948345356249");
  });

  it("checks the official example (token AAAAA)", async () => {
    const { base } = await serve({ token: "AAAAA" });
    const query =
      "?signature=f464b24fc39322e44b38aa78f5edd27bd1441696&echostr=4375120948345356249&timestamp=1714036504&nonce=1514711492";
    const response = await fetch(base + query);
    expect(await response.text()).toBe("4375120948345356249");
  });

  it("refuses a forged or missing signature and never echoes", async () => {
    const { base, errors } = await serve();
    const forged = handshakeQuery("12345").replace(/signature=[0-9a-f]{40}/, `signature=${"0".repeat(40)}`);
    for (const query of [forged, "?timestamp=1&nonce=2&echostr=12345", "?echostr=12345"]) {
      const response = await fetch(base + query);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("12345");
    }
    expect(errors.every((e) => e.info.stage === "request")).toBe(true);
  });
});

describe("signature checks on pushes", () => {
  for (const mode of MODES) {
    it(`${mode}: a wrong signature is refused with 401 and no route runs`, async () => {
      let runs = 0;
      const { base } = await serve({}, (h) => h.on("text", () => void runs++));
      const answer = await post(base, mode, textXml("hi"), { tamper: { signature: "0".repeat(40) } });
      expect(answer.status).toBe(401);
      expect(runs).toBe(0);
    });
  }

  it("plain: a push without any signature is refused", async () => {
    let runs = 0;
    const { base } = await serve({}, (h) => h.on("text", () => void runs++));
    const response = await fetch(`${base}/?timestamp=1700000000&nonce=1`, {
      method: "POST",
      body: textXml("x"),
    });
    expect(response.status).toBe(401);
    expect(runs).toBe(0);
  });

  for (const mode of ["compatible", "safe"] as const) {
    it(`${mode}: a wrong msg_signature, or another body under a valid query, is refused`, async () => {
      let runs = 0;
      const { base } = await serve({}, (h) => h.on("text", () => void runs++));
      const bad = await post(base, mode, textXml("hi"), { tamper: { msg_signature: "f".repeat(40) } });
      expect(bad.status).toBe(401);
      // msg_signature binds the body: a valid query with a swapped body must fail.
      const first = sealPush(mode, textXml("one"));
      const second = sealPush(mode, textXml("two"));
      const swapped = await fetch(base + first.search, { method: "POST", body: second.body });
      expect(swapped.status).toBe(401);
      expect(runs).toBe(0);
    });
  }

  it("safe: a push encrypted for another appid is refused (400, generic)", async () => {
    let runs = 0;
    const { base } = await serve({}, (h) => h.on("text", () => void runs++));
    const other = new MessageCrypto(ACCOUNT.encodingAESKey, "wxffffffffffffffff");
    const { sealInbound } = await import("@mpstack/protocol");
    const sealed = sealInbound({
      xml: textXml("hi"),
      mode: "safe",
      token: ACCOUNT.token,
      crypto: other,
      timestamp: String(Math.floor(Date.now() / 1000)),
      nonce: "42",
      appId: "wxffffffffffffffff",
      toUserName: ACCOUNT.originalId,
    });
    const response = await fetch(`${base}/?${new URLSearchParams(sealed.query)}`, {
      method: "POST",
      body: sealed.body,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("invalid message");
    expect(runs).toBe(0);
  });
});

describe("timestamp window", () => {
  const old = String(Math.floor(Date.now() / 1000) - 3600);

  it("refuses old GETs and pushes when a window is set", async () => {
    let runs = 0;
    const { base } = await serve({ timestampWindowSeconds: 300 }, (h) => h.on("text", () => void runs++));
    expect((await fetch(base + handshakeQuery("77", old))).status).toBe(401);
    for (const mode of MODES) {
      expect((await post(base, mode, textXml("late"), { timestamp: old })).status).toBe(401);
    }
    expect(runs).toBe(0);
    // Inside the window everything passes.
    expect(await (await fetch(base + handshakeQuery("77"))).text()).toBe("77");
    expect((await post(base, "safe", textXml("now"))).status).toBe(200);
    expect(runs).toBe(1);
  });

  it("follows the handler's clock and is off by default", async () => {
    const shifted = await serve({ timestampWindowSeconds: 300, now: () => Date.now() - 3600_000 });
    expect(await (await fetch(shifted.base + handshakeQuery("9", old))).text()).toBe("9");
    const open = await serve();
    expect(await (await fetch(open.base + handshakeQuery("8", "1000000000"))).text()).toBe("8");
  });
});

describe("round trip in every mode", () => {
  for (const mode of MODES) {
    it(`${mode}: text in, text reply out, addressed back to the sender`, async () => {
      const seen: string[] = [];
      const { base } = await serve({}, (h) =>
        h.on("text", (message, ctx) => {
          seen.push(`${ctx.mode}:${ctx.openid}:${message.MsgId}`);
          return `echo: ${message.Content}`;
        }),
      );
      const id = msgId();
      const answer = await post(base, mode, textXml("你好 <&]]> world", id));
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/xml/);
      expect(answer.reply).toEqual({ type: "text", content: "echo: 你好 <&]]> world" });
      expect(answer.toUserName).toBe(OPENID);
      expect(answer.fromUserName).toBe(ACCOUNT.originalId);
      expect(seen).toEqual([`${mode}:${OPENID}:${id}`]);
      if (mode !== "plain") expect(answer.body).toContain("<Encrypt>");
    });
  }

  it("answers success (not an encrypted empty reply) when a route returns nothing", async () => {
    const { base } = await serve({}, (h) => h.on("text", async () => {}));
    for (const mode of MODES) {
      const answer = await post(base, mode, textXml("quiet"));
      expect([answer.status, answer.body]).toEqual([200, "success"]);
    }
  });

  it("accepts encrypt_type=raw as plaintext", async () => {
    const { base } = await serve({}, (h) => h.on("text", () => "raw ok"));
    const { search, body } = sealPush("plain", textXml("x"));
    const response = await fetch(`${base}/${search}&encrypt_type=raw`, { method: "POST", body });
    expect((await readAnswer(response, "plain")).reply).toEqual({ type: "text", content: "raw ok" });
  });

  it("decrypts with the previous EncodingAESKey during a key change and answers with it", async () => {
    const oldKey = ACCOUNT.encodingAESKey;
    const newKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
    const { base } = await serve({ encodingAESKey: newKey, previousEncodingAESKey: oldKey }, (h) =>
      h.on("text", () => "rotated"),
    );
    // The fixtures' platform still encrypts with the old key; openReply with it must succeed.
    const answer = await post(base, "safe", textXml("old key"));
    expect(answer.reply).toEqual({ type: "text", content: "rotated" });
  });
});

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

describe("de-duplication of retried pushes", () => {
  for (const mode of MODES) {
    it(`${mode}: the same MsgId three times runs the route once and answers the same reply three times`, async () => {
      let runs = 0;
      const { base } = await serve({}, (h) => h.on("text", () => `run ${++runs}`));
      const xml = textXml("retry me");
      // WeChat may re-sign a retry with new timestamp/nonce: each answer is sealed for its own request.
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await post(base, mode, xml, { nonce: String(1000 + i) }));
      expect(runs).toBe(1);
      expect(answers.map((a) => a.reply)).toEqual([
        reply.text("run 1"),
        reply.text("run 1"),
        reply.text("run 1"),
      ]);
      // A different message still runs.
      expect((await post(base, mode, textXml("retry me"))).reply).toEqual(reply.text("run 2"));
    });
  }

  it("de-duplicates events on FromUserName + CreateTime + Event, keeping distinct events apart", async () => {
    let runs = 0;
    const { base } = await serve({}, (h) => h.event("CLICK", (m) => `${m.EventKey} ${++runs}`));
    const time = createTime();
    const click = (key: string) =>
      `<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>${time}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[${key}]]></EventKey></xml>`;
    expect((await post(base, "safe", click("A"))).reply).toEqual(reply.text("A 1"));
    expect((await post(base, "safe", click("A"))).reply).toEqual(reply.text("A 1"));
    expect((await post(base, "safe", click("B"))).reply).toEqual(reply.text("B 2"));
    expect(runs).toBe(2);
  });

  it("a retry arriving while the first run is in flight waits for that run's reply", async () => {
    let runs = 0;
    const { base } = await serve({}, (h) =>
      h.on("text", async () => {
        runs++;
        await sleep(200);
        return "slow but in time";
      }),
    );
    const xml = textXml("concurrent");
    const first = post(base, "safe", xml);
    await sleep(50);
    const retries = [post(base, "safe", xml), post(base, "compatible", xml)];
    const answers = await Promise.all([first, ...retries]);
    expect(runs).toBe(1);
    expect(answers.map((a) => a.reply)).toEqual(Array(3).fill(reply.text("slow but in time")));
  });

  it("a retry in flight past the budget answers success; the reply goes out once through the fallback", async () => {
    let runs = 0;
    const sent: [string, Reply][] = [];
    const fallback: CustomerMessageSender = {
      sendCustomerMessage: async (openid, r) => void sent.push([openid, r]),
    };
    const { base } = await serve({ budgetMs: 150, fallback }, (h) =>
      h.on("text", async () => {
        runs++;
        await sleep(400);
        return "late";
      }),
    );
    const xml = textXml("very slow");
    const first = post(base, "plain", xml);
    await sleep(50);
    const answers = await Promise.all([first, post(base, "plain", xml)]);
    expect(answers.map((a) => a.body)).toEqual(["success", "success"]);
    // After the budget, a further retry is answered from the store at once.
    expect((await post(base, "plain", xml)).body).toBe("success");
    await sleep(450);
    expect(runs).toBe(1);
    expect(sent).toEqual([[OPENID, reply.text("late")]]);
  });

  it("runs every delivery when dedupe is off", async () => {
    let runs = 0;
    const { base } = await serve({ dedupe: false }, (h) => h.on("text", () => void runs++));
    const xml = textXml("twice");
    await post(base, "plain", xml);
    await post(base, "plain", xml);
    expect(runs).toBe(2);
  });
});

describe("time budget and errors", () => {
  it("answers success at once when a route is slower than budgetMs; the fallback gets the reply", async () => {
    const sent: [string, Reply][] = [];
    let delivered: () => void = () => {};
    const fallback: CustomerMessageSender = {
      sendCustomerMessage: async (openid, r) => {
        sent.push([openid, r]);
        delivered();
      },
    };
    const { base } = await serve({ budgetMs: 100, fallback }, (h) =>
      h.on("text", async () => {
        await sleep(300);
        return reply.image("MEDIA_late");
      }),
    );
    for (const mode of ["plain", "safe"] as const) {
      sent.length = 0;
      const arrived = new Promise<void>((resolve) => {
        delivered = resolve;
      });
      const started = Date.now();
      const answer = await post(base, mode, textXml("take your time"));
      const elapsed = Date.now() - started;
      expect([answer.status, answer.body]).toEqual([200, "success"]);
      expect(elapsed).toBeGreaterThanOrEqual(90);
      expect(elapsed).toBeLessThan(280);
      await arrived;
      expect(sent).toEqual([[OPENID, { type: "image", mediaId: "MEDIA_late" }]]);
    }
  });

  it("delivers the late reply through the API client's customer-service send", async () => {
    const wechat = await startFakeWechat({ appId: ACCOUNT.appId });
    try {
      const client = createClient({ appId: wechat.appId, appSecret: wechat.appSecret, baseUrl: wechat.url });
      const { base } = await serve({ budgetMs: 50, fallback: customerMessageSender(client) }, (h) =>
        h.on("text", async (m) => {
          await sleep(120);
          return `late answer to ${m.Content}`;
        }),
      );
      expect((await post(base, "safe", textXml("slow question"))).body).toBe("success");
      for (let i = 0; i < 50 && wechat.apiRequests("/cgi-bin/message/custom/send").length === 0; i++)
        await sleep(20);
      const [sent] = wechat.apiRequests("/cgi-bin/message/custom/send");
      expect(JSON.parse(sent!.body.toString())).toEqual({
        touser: OPENID,
        msgtype: "text",
        text: { content: "late answer to slow question" },
      });
    } finally {
      await wechat.close();
    }
  });

  it("maps every reply type to its customer-service message", () => {
    expect(customMessageFromReply(OPENID, reply.image("I"))).toEqual({
      touser: OPENID,
      msgtype: "image",
      image: { media_id: "I" },
    });
    expect(customMessageFromReply(OPENID, reply.voice("V"))).toMatchObject({
      msgtype: "voice",
      voice: { media_id: "V" },
    });
    expect(customMessageFromReply(OPENID, reply.video("M", { title: "t" }))).toMatchObject({
      msgtype: "video",
      video: { media_id: "M", title: "t" },
    });
    expect(customMessageFromReply(OPENID, reply.music({ thumbMediaId: "T", musicUrl: "u" }))).toMatchObject({
      msgtype: "music",
      music: { thumb_media_id: "T", musicurl: "u", hqmusicurl: "u" },
    });
    const article = { title: "a", description: "b", picUrl: "p", url: "u" };
    expect(customMessageFromReply(OPENID, reply.news([article]))).toMatchObject({
      msgtype: "news",
      news: { articles: [{ title: "a", description: "b", picurl: "p", url: "u" }] },
    });
    expect(() => customMessageFromReply(OPENID, reply.transferCustomerService())).toThrow(
      /transfer_customer_service/,
    );
  });

  it("reports a late reply it cannot deliver when no fallback is configured", async () => {
    const { base, errors } = await serve({ budgetMs: 50 }, (h) =>
      h.on("text", async () => {
        await sleep(120);
        return "too late";
      }),
    );
    expect((await post(base, "plain", textXml("x"))).body).toBe("success");
    await sleep(150);
    expect(errors.map((e) => e.info.stage)).toEqual(["budget"]);
  });

  it("reports a failing fallback", async () => {
    const fallback: CustomerMessageSender = {
      sendCustomerMessage: async () => {
        throw new Error("45047 out of quota");
      },
    };
    const { base, errors } = await serve({ budgetMs: 30, fallback }, (h) =>
      h.on("text", async () => {
        await sleep(80);
        return "late";
      }),
    );
    await post(base, "plain", textXml("x"));
    await sleep(120);
    expect(errors.map((e) => [e.info.stage, (e.error as Error).message])).toEqual([
      ["fallback", "45047 out of quota"],
    ]);
  });

  it("turns a throwing route into success + onError (never a 500 that makes WeChat retry)", async () => {
    let runs = 0;
    const { base, errors } = await serve({}, (h) =>
      h.on("text", () => {
        runs++;
        throw new Error("boom");
      }),
    );
    const xml = textXml("explode");
    for (const mode of MODES) {
      const answer = await post(base, mode, mode === "plain" ? xml : textXml("explode"));
      expect([answer.status, answer.body]).toEqual([200, "success"]);
    }
    // The retry of the failed push does not run it again.
    expect((await post(base, "plain", xml)).body).toBe("success");
    expect(runs).toBe(3);
    expect(errors.map((e) => [e.info.stage, (e.error as Error).message])).toEqual(
      Array(3).fill(["route", "boom"]),
    );
    expect(errors[0]?.info.message?.kind).toBe("text");
  });

  it("answers an invalid reply object with success and reports it", async () => {
    const { base, errors } = await serve({}, (h) =>
      h.on("text", () => ({ type: "image", mediaId: "" }) as Reply),
    );
    expect((await post(base, "plain", textXml("x"))).body).toBe("success");
    expect(errors).toHaveLength(1);
  });
});

describe("request handling", () => {
  it("405 for other methods, 413 for huge bodies, 400 for a signed body that is not a push", async () => {
    const { base } = await serve({ maxBodyBytes: 2048 });
    expect((await fetch(base, { method: "PUT", body: "x" })).status).toBe(405);
    const big = sealPush("plain", textXml("x".repeat(5000)));
    expect((await fetch(base + big.search, { method: "POST", body: big.body })).status).toBe(413);
    const junk = sealPush("plain", "<xml><Foo>1</Foo></xml>");
    const response = await fetch(base + junk.search, { method: "POST", body: junk.body });
    expect([response.status, await response.text()]).toEqual([400, "invalid message"]);
    const doctype = sealPush(
      "plain",
      '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml>&x;</xml>',
    );
    expect((await fetch(base + doctype.search, { method: "POST", body: doctype.body })).status).toBe(400);
  });

  it("refuses an encrypted push when no EncodingAESKey is configured, after checking its signature", async () => {
    const { base } = await serve({ encodingAESKey: undefined });
    expect((await post(base, "safe", textXml("x"))).status).toBe(500);
    expect((await post(base, "safe", textXml("x"), { tamper: { signature: "0".repeat(40) } })).status).toBe(
      401,
    );
    expect((await post(base, "plain", textXml("x"))).status).toBe(200);
  });

  it("works through handle() directly, with a Uint8Array body", async () => {
    const handler = createHandler({ token: ACCOUNT.token, appId: ACCOUNT.appId });
    handler.on("text", (m) => m.Content.toUpperCase());
    const { query, body } = sealPush("plain", textXml("direct"));
    const response = await handler.handle({ method: "POST", query, body: new TextEncoder().encode(body) });
    expect(response.status).toBe(200);
    expect(parseReplyXml(response.body).reply).toEqual(reply.text("DIRECT"));
  });
});

describe("MemoryDedupeStore", () => {
  it("claims once, remembers answers for the TTL and keeps at most maxEntries keys", () => {
    let now = 0;
    const store = new MemoryDedupeStore({ maxEntries: 4, now: () => now });
    expect(store.claim("a", 10)).toEqual({ status: "new" });
    expect(store.claim("a", 10)).toEqual({ status: "pending" });
    store.complete("a", "<xml/>", 10);
    expect(store.claim("a", 10)).toEqual({ status: "done", answer: "<xml/>" });
    expect(store.lookup("a")).toBe("<xml/>");
    now = 10_001;
    expect(store.lookup("a")).toBeUndefined();
    expect(store.claim("a", 10)).toEqual({ status: "new" });
    for (const key of ["b", "c", "d", "e", "f"]) expect(store.claim(key, 100)).toEqual({ status: "new" });
    expect(store.size).toBeLessThanOrEqual(4);
    expect(store.claim("f", 100)).toEqual({ status: "pending" }); // the newest stay
    expect(store.claim("b", 100)).toEqual({ status: "new" }); // the oldest went first
  });
});
