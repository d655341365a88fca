/**
 * Property tests: every model type survives object → XML → object unchanged, with text full of
 * Chinese, emoji, `]]>`, `<`, `&` and look-alike markup. The arbitrary tables are keyed by MsgType /
 * Event / reply type, so the compiler fails this file when a model type has no generator.
 */
import {
  buildReplyXml,
  buildXml,
  type InboundEventName,
  type InboundPayload,
  inboundToXml,
  KNOWN_EVENTS,
  KNOWN_MESSAGE_TYPES,
  type OrdinaryMessage,
  parseInbound,
  parseReplyXml,
  parseXml,
  type Reply,
  type ReplyType,
  type XmlRecord,
  type XmlValue,
} from "@mpstack/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// ---- text and numbers ---------------------------------------------------------------------------------

const tricky = fc.constantFrom(
  "]]>",
  "]]",
  "]>",
  "<",
  ">",
  "&",
  "&amp;",
  "&lt;",
  "&xxe;",
  "<![CDATA[",
  "<!DOCTYPE x>",
  "</xml>",
  "中文",
  "你好，世界",
  "😀",
  "👨‍👩‍👧",
  "/::)",
  "\n",
  "\t",
  "\r\n",
  "\r",
  " ",
  '"',
  "'",
);
// biome-ignore lint/suspicious/noControlCharactersInRegex: excluding what XML cannot carry
const xmlSafe = (s: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s);
const piece = fc.oneof(
  tricky,
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 3 }).filter(xmlSafe),
);
const wxText = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(""));
const nonBlank = wxText.filter((s) => s.trim() !== "");
const int = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const time = fc.integer({ min: 0, max: 4_102_444_800 });
const decimal = fc.integer({ min: -180_000_000, max: 180_000_000 }).map((n) => n / 1e6);
const id64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);

const header = { ToUserName: wxText, FromUserName: wxText, CreateTime: time };

// ---- ordinary messages ----------------------------------------------------------------------------------

function message<T extends string>(
  type: T,
  fields: Record<string, fc.Arbitrary<unknown>>,
  optional: string[] = [],
): fc.Arbitrary<InboundPayload> {
  const model = { kind: fc.constant(type), MsgType: fc.constant(type), ...header, ...fields, MsgId: id64 };
  const all = { ...model, MsgDataId: id64, Idx: int };
  const requiredKeys = Object.keys(model).filter((k) => !optional.includes(k)) as (keyof typeof all)[];
  return fc.record(all, { requiredKeys }) as fc.Arbitrary<unknown> as fc.Arbitrary<InboundPayload>;
}

const messages: Record<OrdinaryMessage["MsgType"], fc.Arbitrary<InboundPayload>> = {
  text: message("text", { Content: wxText, bizmsgmenuid: wxText }, ["bizmsgmenuid"]),
  image: message("image", { PicUrl: wxText, MediaId: wxText }),
  voice: message("voice", { MediaId: wxText, Format: wxText, Recognition: wxText, MediaId16K: wxText }, [
    "Recognition",
    "MediaId16K",
  ]),
  video: message("video", { MediaId: wxText, ThumbMediaId: wxText }),
  shortvideo: message("shortvideo", { MediaId: wxText, ThumbMediaId: wxText }),
  location: message("location", { Location_X: decimal, Location_Y: decimal, Scale: int, Label: wxText }),
  link: message("link", { Title: wxText, Description: wxText, Url: wxText }),
};

// ---- events -----------------------------------------------------------------------------------------------

function event(
  name: InboundEventName,
  fields: Record<string, fc.Arbitrary<unknown>> = {},
  optional: string[] = [],
): fc.Arbitrary<InboundPayload> {
  const model = {
    kind: fc.constant("event"),
    MsgType: fc.constant("event"),
    Event: fc.constant(name),
    ...header,
    ...fields,
  };
  const requiredKeys = Object.keys(model).filter((k) => !optional.includes(k)) as (keyof typeof model)[];
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<InboundPayload>;
}

const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 4 });
const menuView = (name: InboundEventName) => event(name, { EventKey: wxText, MenuId: wxText }, ["MenuId"]);
const scanCode = (name: InboundEventName) =>
  event(name, { EventKey: wxText, ScanCodeInfo: fc.record({ ScanType: wxText, ScanResult: wxText }) });
const pictures = (name: InboundEventName) =>
  event(name, {
    EventKey: wxText,
    SendPicsInfo: fc.record({ Count: int, PicList: list(fc.record({ PicMd5Sum: wxText })) }),
  });
const kfSession = (name: InboundEventName) => event(name, { KfAccount: wxText });
const verifyExpiry = (name: InboundEventName) => event(name, { ExpiredTime: time });
const verifyFail = (name: InboundEventName) => event(name, { FailTime: time, FailReason: wxText });
const revokeInfo: fc.Arbitrary<XmlValue> = fc.oneof(
  wxText,
  fc.record({ item: fc.array(wxText, { minLength: 2, maxLength: 3 }) }),
);
const authorization = (name: InboundEventName) =>
  event(name, { OpenID: wxText, AppID: wxText, RevokeInfo: revokeInfo }, ["RevokeInfo"]);

const copyrightItem = fc.record({
  ArticleIdx: int,
  UserDeclareState: int,
  AuditState: int,
  OriginalArticleUrl: wxText,
  OriginalArticleType: int,
  CanReprint: int,
  NeedReplaceContent: int,
  NeedShowReprintSource: int,
});

const events: Record<InboundEventName, fc.Arbitrary<InboundPayload>> = {
  subscribe: event("subscribe", { EventKey: wxText, Ticket: wxText }, ["EventKey", "Ticket"]),
  unsubscribe: event("unsubscribe", { EventKey: wxText }, ["EventKey"]),
  SCAN: event("SCAN", { EventKey: wxText, Ticket: wxText }, ["Ticket"]),
  LOCATION: event("LOCATION", { Latitude: decimal, Longitude: decimal, Precision: decimal }),
  CLICK: event("CLICK", { EventKey: wxText }),
  VIEW: menuView("VIEW"),
  view_miniprogram: menuView("view_miniprogram"),
  scancode_push: scanCode("scancode_push"),
  scancode_waitmsg: scanCode("scancode_waitmsg"),
  pic_sysphoto: pictures("pic_sysphoto"),
  pic_photo_or_album: pictures("pic_photo_or_album"),
  pic_weixin: pictures("pic_weixin"),
  location_select: event("location_select", {
    EventKey: wxText,
    SendLocationInfo: fc.record(
      { Location_X: wxText, Location_Y: wxText, Scale: wxText, Label: wxText, Poiname: wxText },
      { requiredKeys: ["Location_X", "Location_Y", "Scale", "Label"] },
    ),
  }),
  TEMPLATESENDJOBFINISH: event("TEMPLATESENDJOBFINISH", { MsgID: id64, Status: wxText }),
  MASSSENDJOBFINISH: event(
    "MASSSENDJOBFINISH",
    {
      MsgID: id64,
      Status: wxText,
      TotalCount: int,
      FilterCount: int,
      SentCount: int,
      ErrorCount: int,
      CopyrightCheckResult: fc.record({ Count: int, ResultList: list(copyrightItem), CheckState: int }),
      ArticleUrlResult: fc.record({
        Count: int,
        ResultList: list(fc.record({ ArticleIdx: int, ArticleUrl: wxText })),
      }),
    },
    ["CopyrightCheckResult", "ArticleUrlResult"],
  ),
  PUBLISHJOBFINISH: event("PUBLISHJOBFINISH", {
    PublishEventInfo: fc.record(
      {
        publish_id: id64,
        publish_status: fc.integer({ min: 0, max: 6 }),
        article_id: wxText,
        article_detail: fc.record({ count: int, item: list(fc.record({ idx: int, article_url: wxText })) }),
        fail_idx: list(int),
      },
      { requiredKeys: ["publish_id", "publish_status", "fail_idx"] },
    ),
  }),
  subscribe_msg_popup_event: event("subscribe_msg_popup_event", {
    SubscribeMsgPopupEvent: list(
      fc.record(
        { TemplateId: wxText, SubscribeStatusString: fc.constantFrom("accept", "reject"), PopupScene: int },
        { requiredKeys: ["TemplateId", "SubscribeStatusString"] },
      ),
    ),
  }),
  subscribe_msg_change_event: event("subscribe_msg_change_event", {
    SubscribeMsgChangeEvent: list(fc.record({ TemplateId: wxText, SubscribeStatusString: wxText })),
  }),
  subscribe_msg_sent_event: event("subscribe_msg_sent_event", {
    SubscribeMsgSentEvent: list(
      fc.record({ TemplateId: wxText, MsgID: id64, ErrorCode: int, ErrorStatus: wxText }),
    ),
  }),
  kf_create_session: kfSession("kf_create_session"),
  kf_close_session: kfSession("kf_close_session"),
  kf_switch_session: event("kf_switch_session", { FromKfAccount: wxText, ToKfAccount: wxText }),
  qualification_verify_success: verifyExpiry("qualification_verify_success"),
  naming_verify_success: verifyExpiry("naming_verify_success"),
  annual_renew: verifyExpiry("annual_renew"),
  verify_expired: verifyExpiry("verify_expired"),
  qualification_verify_fail: verifyFail("qualification_verify_fail"),
  naming_verify_fail: verifyFail("naming_verify_fail"),
  user_info_modified: authorization("user_info_modified"),
  user_authorization_revoke: authorization("user_authorization_revoke"),
  user_authorization_cancellation: authorization("user_authorization_cancellation"),
};

// ---- unknown types: arbitrary records -----------------------------------------------------------------

const HEADER = new Set(["ToUserName", "FromUserName", "CreateTime", "MsgType", "Event"]);
const elementName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/).filter((n) => !HEADER.has(n));

/** Records that parse back identically: no empty records, repeated elements at least twice. */
const xmlRecord: fc.Arbitrary<XmlRecord> = fc.letrec<{
  record: XmlRecord;
  value: XmlValue;
  single: XmlValue;
}>((tie) => ({
  single: fc.oneof({ depthSize: "small", withCrossShrink: true }, wxText, tie("record")),
  value: fc.oneof(tie("single"), fc.array(tie("single"), { minLength: 2, maxLength: 3 })),
  record: fc
    .array(fc.tuple(elementName, tie("value")), { minLength: 1, maxLength: 4 })
    .map((entries) => Object.fromEntries(entries) as XmlRecord),
})).record;

const unknownInbound: fc.Arbitrary<InboundPayload> = fc.oneof(
  fc.record({
    kind: fc.constant("unknown" as const),
    MsgType: fc.constantFrom("miniprogrampage", "device_event", "hardware", "transfer_customer_service"),
    ...header,
    fields: xmlRecord,
  }),
  fc.record({
    kind: fc.constant("unknown" as const),
    MsgType: fc.constant("event"),
    Event: fc.constantFrom(
      "user_get_card",
      "card_pass_check",
      "WifiConnected",
      "weapp_audit_success",
      "scan",
    ),
    ...header,
    fields: xmlRecord,
  }),
);

// ---- replies ------------------------------------------------------------------------------------------

const article = fc.record({ title: wxText, description: wxText, picUrl: wxText, url: wxText });
const replies: Record<ReplyType, fc.Arbitrary<Reply>> = {
  text: fc.record({ type: fc.constant("text" as const), content: wxText }),
  image: fc.record({ type: fc.constant("image" as const), mediaId: nonBlank }),
  voice: fc.record({ type: fc.constant("voice" as const), mediaId: nonBlank }),
  video: fc.record(
    { type: fc.constant("video" as const), mediaId: nonBlank, title: wxText, description: wxText },
    { requiredKeys: ["type", "mediaId"] },
  ),
  music: fc.record(
    {
      type: fc.constant("music" as const),
      thumbMediaId: nonBlank,
      title: wxText,
      description: wxText,
      musicUrl: wxText,
      hqMusicUrl: wxText,
    },
    { requiredKeys: ["type", "thumbMediaId"] },
  ),
  news: fc.record({
    type: fc.constant("news" as const),
    articles: fc.array(article, { minLength: 1, maxLength: 8 }),
  }),
  transfer_customer_service: fc.record(
    { type: fc.constant("transfer_customer_service" as const), kfAccount: wxText },
    { requiredKeys: ["type"] },
  ),
};

// ---- properties ---------------------------------------------------------------------------------------

function roundTrips(message: InboundPayload): void {
  const xml = inboundToXml(message);
  const { raw, ...back } = parseInbound(xml);
  expect(back).toEqual(message);
  expect(raw).toEqual(parseXml(xml));
}

describe("inbound round trips (object → inboundToXml → parseInbound)", () => {
  it("has a generator for every known message type and event", () => {
    expect(Object.keys(messages).sort()).toEqual([...KNOWN_MESSAGE_TYPES].sort());
    expect(Object.keys(events).sort()).toEqual([...KNOWN_EVENTS].sort());
  });

  for (const [type, arbitrary] of Object.entries(messages)) {
    it(`message ${type}`, () => fc.assert(fc.property(arbitrary, roundTrips), { numRuns: 60 }));
  }
  for (const [name, arbitrary] of Object.entries(events)) {
    it(`event ${name}`, () => fc.assert(fc.property(arbitrary, roundTrips), { numRuns: 40 }));
  }
  it("unknown types and events keep every field", () => {
    fc.assert(fc.property(unknownInbound, roundTrips), { numRuns: 200 });
  });
});

describe("reply round trips (buildReplyXml → parseReplyXml)", () => {
  for (const [type, arbitrary] of Object.entries(replies)) {
    it(`reply ${type}`, () => {
      fc.assert(
        fc.property(arbitrary, wxText, wxText, time, (reply, toUserName, fromUserName, createTime) => {
          const env = { toUserName, fromUserName, createTime };
          expect(parseReplyXml(buildReplyXml(reply, env))).toEqual({ ...env, reply });
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe("codec round trip (buildXml → parseXml)", () => {
  it("returns any string-leaved record unchanged", () => {
    fc.assert(
      fc.property(xmlRecord, (record) => {
        expect(parseXml(buildXml(record))).toEqual(record);
        expect(parseXml(Buffer.from(buildXml(record, "root")))).toEqual(record);
      }),
      { numRuns: 300 },
    );
  });
});
