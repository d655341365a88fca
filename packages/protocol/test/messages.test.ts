/**
 * Inbound messages and events: the spec's XML examples parse into their typed shapes, and back.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  InboundError,
  type InboundMessage,
  type InboundPayload,
  inboundFromRecord,
  inboundToXml,
  KNOWN_EVENTS,
  parseInbound,
  parseXml,
  XmlError,
} from "@mpstack/protocol";
import { describe, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("./fixtures/xml/", import.meta.url));
const fixture = (name: string) => readFileSync(`${fixtures}${name}.xml`, "utf8");

/** The typed part of a parsed message (what inboundToXml consumes). */
function typed(message: InboundMessage): InboundPayload {
  const { raw, ...rest } = message;
  expect(raw).toEqual(expect.any(Object));
  return rest as InboundPayload;
}

const user = { ToUserName: "gh_0123456789ab", FromUserName: "oTestUser0000000000000000001" };
const event = (CreateTime: number, Event: string) => ({
  kind: "event",
  MsgType: "event",
  Event,
  ...user,
  CreateTime,
});

/** Every push example of callback.md §4–§5, with the object it must parse to. */
const callbackExamples: Record<string, InboundPayload> = {
  text: {
    kind: "text",
    MsgType: "text",
    ...user,
    CreateTime: 1700000000,
    Content: "Hello, account!",
    MsgId: "23456789012345678",
  },
  image: {
    kind: "image",
    MsgType: "image",
    ...user,
    CreateTime: 1700000001,
    PicUrl: "http://mmbiz.example.invalid/pic/0001",
    MediaId: "MEDIA_image_0001",
    MsgId: "23456789012345679",
  },
  voice: {
    kind: "voice",
    MsgType: "voice",
    ...user,
    CreateTime: 1700000002,
    MediaId: "MEDIA_voice_0001",
    Format: "amr",
    Recognition: "what is the weather today",
    MsgId: "23456789012345680",
  },
  shortvideo: {
    kind: "shortvideo",
    MsgType: "shortvideo",
    ...user,
    CreateTime: 1700000003,
    MediaId: "MEDIA_video_0001",
    ThumbMediaId: "MEDIA_thumb_0001",
    MsgId: "23456789012345681",
  },
  location: {
    kind: "location",
    MsgType: "location",
    ...user,
    CreateTime: 1700000004,
    Location_X: 23.134521,
    Location_Y: 113.358803,
    Scale: 20,
    Label: "Example Road 1, Example City",
    MsgId: "23456789012345682",
  },
  link: {
    kind: "link",
    MsgType: "link",
    ...user,
    CreateTime: 1700000005,
    Title: "An article",
    Description: "Worth reading",
    Url: "https://example.invalid/article/1",
    MsgId: "23456789012345683",
  },
  subscribe: { ...event(1700000010, "subscribe"), EventKey: "" } as InboundPayload,
  "subscribe.2": {
    ...event(1700000011, "subscribe"),
    EventKey: "qrscene_42",
    Ticket: "gQTestTicket0001",
  } as InboundPayload,
  SCAN: { ...event(1700000012, "SCAN"), EventKey: "42", Ticket: "gQTestTicket0001" } as InboundPayload,
  LOCATION: {
    ...event(1700000013, "LOCATION"),
    Latitude: 23.137466,
    Longitude: 113.352425,
    Precision: 119.38504,
  } as InboundPayload,
  CLICK: { ...event(1700000020, "CLICK"), EventKey: "V1001_TODAY_MUSIC" } as InboundPayload,
  VIEW: {
    ...event(1700000021, "VIEW"),
    EventKey: "https://example.invalid/shop",
    MenuId: "208379533",
  } as InboundPayload,
  scancode_waitmsg: {
    ...event(1700000022, "scancode_waitmsg"),
    EventKey: "rselfmenu_0_0",
    ScanCodeInfo: { ScanType: "qrcode", ScanResult: "https://example.invalid/scanned" },
  } as InboundPayload,
  pic_photo_or_album: {
    ...event(1700000023, "pic_photo_or_album"),
    EventKey: "rselfmenu_1_0",
    SendPicsInfo: { Count: 1, PicList: [{ PicMd5Sum: "5a105e8b9d40e1329780d62ea2265d8a" }] },
  } as InboundPayload,
  location_select: {
    ...event(1700000024, "location_select"),
    EventKey: "rselfmenu_2_0",
    SendLocationInfo: {
      Location_X: "23",
      Location_Y: "113",
      Scale: "15",
      Label: "Example District, Example City",
      Poiname: "Example Cafe",
    },
  } as InboundPayload,
  view_miniprogram: {
    ...event(1700000025, "view_miniprogram"),
    EventKey: "pages/index/index",
    MenuId: "MENUID",
  } as InboundPayload,
  TEMPLATESENDJOBFINISH: {
    ...event(1700000030, "TEMPLATESENDJOBFINISH"),
    MsgID: "200163836",
    Status: "success",
  } as InboundPayload,
  MASSSENDJOBFINISH: {
    ...event(1700000040, "MASSSENDJOBFINISH"),
    MsgID: "1000001625",
    Status: "send success",
    TotalCount: 100,
    FilterCount: 80,
    SentCount: 75,
    ErrorCount: 5,
    CopyrightCheckResult: {
      Count: 1,
      ResultList: [
        {
          ArticleIdx: 1,
          UserDeclareState: 0,
          AuditState: 2,
          OriginalArticleUrl: "",
          OriginalArticleType: 1,
          CanReprint: 1,
          NeedReplaceContent: 1,
          NeedShowReprintSource: 1,
        },
      ],
      CheckState: 2,
    },
    ArticleUrlResult: {
      Count: 1,
      ResultList: [{ ArticleIdx: 1, ArticleUrl: "https://mp.weixin.qq.com/s?__biz=EXAMPLE" }],
    },
  } as InboundPayload,
  PUBLISHJOBFINISH: {
    ...event(1700000050, "PUBLISHJOBFINISH"),
    PublishEventInfo: {
      publish_id: "2247503051",
      publish_status: 0,
      article_id: "ARTICLE_ID_EXAMPLE_0001",
      article_detail: { count: 1, item: [{ idx: 1, article_url: "https://mp.weixin.qq.com/s/EXAMPLE" }] },
      fail_idx: [],
    },
  } as InboundPayload,
  subscribe_msg_popup_event: {
    ...event(1700000060, "subscribe_msg_popup_event"),
    SubscribeMsgPopupEvent: [
      { TemplateId: "TPL_EXAMPLE_AAAA", SubscribeStatusString: "accept", PopupScene: 2 },
      { TemplateId: "TPL_EXAMPLE_BBBB", SubscribeStatusString: "reject", PopupScene: 2 },
    ],
  } as InboundPayload,
  subscribe_msg_sent_event: {
    ...event(1700000061, "subscribe_msg_sent_event"),
    SubscribeMsgSentEvent: [
      { TemplateId: "TPL_EXAMPLE_AAAA", MsgID: "1700827132819554304", ErrorCode: 0, ErrorStatus: "success" },
    ],
  } as InboundPayload,
  kf_switch_session: {
    ...event(1700000070, "kf_switch_session"),
    FromKfAccount: "kf2001@example_account",
    ToKfAccount: "kf2002@example_account",
  } as InboundPayload,
};

describe("callback.md examples", () => {
  for (const [name, expected] of Object.entries(callbackExamples)) {
    it(`${name} parses to its typed object and round-trips through inboundToXml`, () => {
      const xml = fixture(`callback.${name}`);
      const parsed = parseInbound(xml);
      expect(typed(parsed)).toEqual(expected);
      expect(parsed.raw).toEqual(parseXml(xml));
      const rebuilt = parseInbound(inboundToXml(parsed));
      expect(typed(rebuilt)).toEqual(expected);
      // Built from the bare typed object too (how the platform makes pushes), with every element kept.
      expect(parseXml(inboundToXml(expected))).toEqual(parseXml(inboundToXml(parsed)));
    });
  }

  it("covers every push example in the fixtures folder", () => {
    const files = readdirSync(fixtures).filter((f) => f.startsWith("callback.") && !f.includes("reply-"));
    expect(files.map((f) => f.slice("callback.".length, -".xml".length)).sort()).toEqual(
      Object.keys(callbackExamples).sort(),
    );
  });
});

describe("examples of the other spec files", () => {
  const others = readdirSync(fixtures).filter((f) => !f.startsWith("callback.") && f.endsWith(".xml"));

  it("parses every one to a known event that round-trips", () => {
    expect(others.length).toBeGreaterThanOrEqual(14);
    for (const file of others) {
      const parsed = parseInbound(readFileSync(`${fixtures}${file}`, "utf8"));
      expect(parsed.kind, file).toBe("event");
      expect(typed(parseInbound(inboundToXml(parsed)))).toEqual(typed(parsed));
    }
  });

  it("reads an empty ResultList as no items and writes it back as an empty element", () => {
    const parsed = parseInbound(fixture("mass-send.MASSSENDJOBFINISH"));
    if (parsed.kind !== "event" || parsed.Event !== "MASSSENDJOBFINISH") throw new Error("wrong kind");
    expect(parsed.CopyrightCheckResult).toEqual({ Count: 0, ResultList: [], CheckState: 1 });
    expect(parsed.ArticleUrlResult?.ResultList.map((r) => r.ArticleIdx)).toEqual([1, 2]);
    expect(inboundToXml(parsed)).toContain("<ResultList></ResultList>");
  });

  it("reads a plain follow without EventKey, and two pictures as a two-item list", () => {
    const follow = typed(parseInbound(fixture("users.subscribe")));
    expect(follow).toEqual({
      ...event(1717200000, "subscribe"),
      ToUserName: "gh_3f2a1b0c9d8e",
      FromUserName: "oQx7Tk2mJr9aB4cD8eF1gH3iJk5L",
    });
    const pics = parseInbound(fixture("menu.pic_photo_or_album"));
    if (pics.kind !== "event" || pics.Event !== "pic_photo_or_album") throw new Error("wrong kind");
    expect(pics.SendPicsInfo.PicList).toHaveLength(2);
  });
});

describe("inboundToXml output", () => {
  it("looks like a real push: header first, CDATA strings, bare numbers and ids, one element per line", () => {
    const xml = inboundToXml({
      kind: "text",
      MsgType: "text",
      ToUserName: "gh_a96a4a619366",
      FromUserName: "olPjZjsXuQPJoV0HlruZkNzKc91E",
      CreateTime: 1414387151,
      Content: "你好",
      MsgId: "6074746557628292943",
    });
    // Byte for byte the plaintext of the 2014 capture (crypto.md V7).
    expect(xml).toBe(
      "<xml><ToUserName><![CDATA[gh_a96a4a619366]]></ToUserName>\n" +
        "<FromUserName><![CDATA[olPjZjsXuQPJoV0HlruZkNzKc91E]]></FromUserName>\n" +
        "<CreateTime>1414387151</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n" +
        "<Content><![CDATA[你好]]></Content>\n<MsgId>6074746557628292943</MsgId>\n</xml>",
    );
  });

  it("writes the fields in the order of the spec examples", () => {
    const expected = fixture("callback.MASSSENDJOBFINISH").match(/<(\w+)>/g);
    expect(inboundToXml(callbackExamples.MASSSENDJOBFINISH as InboundPayload).match(/<(\w+)>/g)).toEqual(
      expected,
    );
    const voice = fixture("callback.voice").match(/<(\w+)>/g);
    expect(inboundToXml(callbackExamples.voice as InboundPayload).match(/<(\w+)>/g)).toEqual(voice);
  });
});

describe("robust parsing", () => {
  it("keeps 64-bit ids exact", () => {
    const parsed = parseInbound(
      fixture("callback.text").replace("23456789012345678", "18446744073709551615"),
    );
    if (parsed.kind !== "text") throw new Error("wrong kind");
    expect(parsed.MsgId).toBe("18446744073709551615");
  });

  it("accepts escaped text instead of CDATA, any element order, declarations and optional trailer fields", () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\n<xml>\n  <MsgId>1</MsgId>\n  <Content>a &lt;b&gt; &amp; c</Content>\n' +
      "  <MsgType>text</MsgType><CreateTime> 5 </CreateTime><FromUserName>o</FromUserName><ToUserName>gh</ToUserName>\n" +
      "  <MsgDataId>2247484106</MsgDataId><Idx>2</Idx><bizmsgmenuid>101</bizmsgmenuid><Extra>kept in raw</Extra>\n</xml>";
    const parsed = parseInbound(xml);
    expect(typed(parsed)).toEqual({
      kind: "text",
      MsgType: "text",
      ToUserName: "gh",
      FromUserName: "o",
      CreateTime: 5,
      Content: "a <b> & c",
      MsgId: "1",
      MsgDataId: "2247484106",
      Idx: 2,
      bizmsgmenuid: "101",
    });
    expect(parsed.raw.Extra).toBe("kept in raw");
  });

  it("reads a voice push with an empty Recognition, and a picture event with one item as a list", () => {
    const voice = parseInbound(fixture("callback.voice").replace("what is the weather today", ""));
    expect(voice.kind === "voice" && voice.Recognition).toBe("");
    const pics = parseInbound(fixture("callback.pic_photo_or_album"));
    expect(
      pics.kind === "event" && pics.Event === "pic_photo_or_album" && pics.SendPicsInfo.PicList,
    ).toHaveLength(1);
  });

  it("keeps unknown message types and events with all fields, and writes them back", () => {
    const card =
      "<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o]]></FromUserName>" +
      "<CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[user_get_card]]></Event>" +
      "<CardId><![CDATA[pX]]></CardId><IsGiveByFriend>0</IsGiveByFriend><UserCardCode><![CDATA[12]]></UserCardCode>" +
      "<Nested><item><A>1</A></item><item><A>2</A></item></Nested></xml>";
    const parsed = parseInbound(card);
    expect(typed(parsed)).toEqual({
      kind: "unknown",
      MsgType: "event",
      Event: "user_get_card",
      ToUserName: "gh",
      FromUserName: "o",
      CreateTime: 1,
      fields: {
        CardId: "pX",
        IsGiveByFriend: "0",
        UserCardCode: "12",
        Nested: { item: [{ A: "1" }, { A: "2" }] },
      },
    });
    const xml = inboundToXml(parsed);
    expect(xml).toContain("<IsGiveByFriend>0</IsGiveByFriend>");
    expect(parseXml(xml)).toEqual(parseXml(card));

    const miniprogram = parseInbound(card.replace("<![CDATA[event]]>", "<![CDATA[miniprogrampage]]>"));
    expect(miniprogram.kind).toBe("unknown");
    expect(miniprogram.MsgType).toBe("miniprogrampage");
  });

  it("treats event names case-sensitively", () => {
    const lower = parseInbound(fixture("callback.SCAN").replace("[SCAN]", "[scan]"));
    expect(lower.kind).toBe("unknown");
  });

  it("turns a known type with broken fields into unknown with the reason, instead of failing", () => {
    const noMsgId = parseInbound(fixture("callback.text").replace(/<MsgId>.*<\/MsgId>/, ""));
    expect(noMsgId.kind).toBe("unknown");
    expect(noMsgId.kind === "unknown" && noMsgId.problem).toContain("MsgId: missing");
    const badLat = parseInbound(fixture("callback.LOCATION").replace("23.137466", "north"));
    expect(badLat.kind === "unknown" && badLat.problem).toContain("Latitude: expected a number");
    expect(badLat.kind === "unknown" && badLat.fields.Latitude).toBe("north");
    const noEvent = parseInbound(fixture("callback.CLICK").replace(/<Event>.*<\/Event>/, ""));
    expect(noEvent.kind).toBe("unknown");
  });

  it("throws InboundError when the header is missing or broken, XmlError when the XML is bad", () => {
    const noTime = fixture("callback.text").replace(/<CreateTime>.*<\/CreateTime>/, "");
    expect(() => parseInbound(noTime)).toThrow(InboundError);
    expect(() =>
      inboundFromRecord({ ToUserName: "a", FromUserName: "b", CreateTime: "soon", MsgType: "text" }),
    ).toThrow(expect.objectContaining({ name: "InboundError", code: "InvalidField", field: "CreateTime" }));
    expect(() => inboundFromRecord({ ToUserName: "a", FromUserName: "b", CreateTime: "1" })).toThrow(
      expect.objectContaining({ code: "MissingField", field: "MsgType" }),
    );
    expect(() => inboundFromRecord({ Encrypt: "abc" })).toThrow(InboundError);
    expect(() => parseInbound("<xml><ToUserName>")).toThrow(XmlError);
  });

  it("knows every event the spec files name with fields", () => {
    expect([...KNOWN_EVENTS].sort()).toEqual(
      [
        "subscribe",
        "unsubscribe",
        "SCAN",
        "LOCATION",
        "CLICK",
        "VIEW",
        "view_miniprogram",
        "scancode_push",
        "scancode_waitmsg",
        "pic_sysphoto",
        "pic_photo_or_album",
        "pic_weixin",
        "location_select",
        "TEMPLATESENDJOBFINISH",
        "MASSSENDJOBFINISH",
        "PUBLISHJOBFINISH",
        "subscribe_msg_popup_event",
        "subscribe_msg_change_event",
        "subscribe_msg_sent_event",
        "kf_create_session",
        "kf_close_session",
        "kf_switch_session",
        "qualification_verify_success",
        "qualification_verify_fail",
        "naming_verify_success",
        "naming_verify_fail",
        "annual_renew",
        "verify_expired",
        "user_info_modified",
        "user_authorization_revoke",
        "user_authorization_cancellation",
      ].sort(),
    );
  });
});
