/**
 * Passive replies: the spec's examples, what the platform tolerates and rejects, the reply builder.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildReplyXml,
  isEmptyReply,
  NEWS_ARTICLE_LIMITS,
  parseReplyXml,
  type Reply,
  ReplyError,
  type ReplyErrorCode,
  XmlError,
} from "@mpstack/protocol";
import { describe, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("./fixtures/xml/", import.meta.url));
const fixture = (name: string) => readFileSync(`${fixtures}callback.reply-${name}.xml`, "utf8");
const env = { toUserName: "oTestUser0000000000000000001", fromUserName: "gh_0123456789ab" };

function replyError(fn: () => unknown): ReplyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ReplyError) return error;
    throw error;
  }
  throw new Error("expected a ReplyError");
}

const expectCode = (fn: () => unknown, code: ReplyErrorCode, field?: string) => {
  const error = replyError(fn);
  expect(error.code, error.message).toBe(code);
  if (field !== undefined) expect(error.field).toBe(field);
};

/** callback.md §6.2 examples and what they must parse to. */
const examples: Record<string, { createTime: number; reply: Reply }> = {
  text: { createTime: 1700000100, reply: { type: "text", content: "Thanks!\nWe got your message." } },
  image: { createTime: 1700000101, reply: { type: "image", mediaId: "MEDIA_image_reply_0001" } },
  voice: { createTime: 1700000102, reply: { type: "voice", mediaId: "MEDIA_voice_reply_0001" } },
  video: {
    createTime: 1700000103,
    reply: {
      type: "video",
      mediaId: "MEDIA_video_reply_0001",
      title: "Demo clip",
      description: "Thirty seconds",
    },
  },
  music: {
    createTime: 1700000104,
    reply: {
      type: "music",
      title: "Song",
      description: "Artist",
      musicUrl: "https://example.invalid/song.mp3",
      hqMusicUrl: "https://example.invalid/song-hq.mp3",
      thumbMediaId: "MEDIA_thumb_reply_0001",
    },
  },
  news: {
    createTime: 1700000105,
    reply: {
      type: "news",
      articles: [
        {
          title: "Weekly digest",
          description: "Five things you missed",
          picUrl: "https://example.invalid/cover.jpg",
          url: "https://example.invalid/digest",
        },
      ],
    },
  },
  transfer_customer_service: {
    createTime: 1700000106,
    reply: { type: "transfer_customer_service", kfAccount: "kf2001@example_account" },
  },
};

describe("callback.md reply examples", () => {
  for (const [name, { createTime, reply }] of Object.entries(examples)) {
    it(`${name}: parses, and buildReplyXml of it parses back equal with the same elements`, () => {
      const xml = fixture(name);
      expect(parseReplyXml(xml)).toEqual({ ...env, createTime, reply });
      const built = buildReplyXml(reply, { ...env, createTime });
      expect(parseReplyXml(built)).toEqual({ ...env, createTime, reply });
      expect(built.match(/<(\w+)>/g)).toEqual(xml.match(/<(\w+)>/g));
    });
  }

  it("builds the exact layout of a text reply", () => {
    expect(buildReplyXml({ type: "text", content: "a]]>b" }, { ...env, createTime: 1 })).toBe(
      "<xml><ToUserName><![CDATA[oTestUser0000000000000000001]]></ToUserName>\n" +
        "<FromUserName><![CDATA[gh_0123456789ab]]></FromUserName>\n<CreateTime>1</CreateTime>\n" +
        "<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[a]]]]><![CDATA[>b]]></Content>\n</xml>",
    );
  });

  it("omits optional parts that are absent", () => {
    const xml = buildReplyXml({ type: "transfer_customer_service" }, { ...env, createTime: 2 });
    expect(xml).not.toContain("TransInfo");
    expect(parseReplyXml(xml).reply).toEqual({ type: "transfer_customer_service" });
    const music = buildReplyXml({ type: "music", thumbMediaId: "T" }, { ...env, createTime: 2 });
    expect(music).toContain("<Music><ThumbMediaId><![CDATA[T]]></ThumbMediaId>\n</Music>");
  });
});

describe("what the platform tolerates", () => {
  it("accepts a declaration, escaped text, any order and unknown extras such as FuncFlag", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <MsgType>music</MsgType>\n' +
      "  <Music><FuncFlag>0</FuncFlag><ThumbMediaId>T&amp;1</ThumbMediaId><Title>A &lt;B&gt;</Title></Music>\n" +
      "  <CreateTime>7</CreateTime><FuncFlag>0</FuncFlag><FromUserName>gh</FromUserName><ToUserName>o</ToUserName>\n</xml>";
    expect(parseReplyXml(xml)).toEqual({
      toUserName: "o",
      fromUserName: "gh",
      createTime: 7,
      reply: { type: "music", thumbMediaId: "T&1", title: "A <B>" },
    });
  });

  it("accepts an empty text Content (an empty XML, not an empty body) and an empty TransInfo", () => {
    const text = fixture("text").replace(/<Content>[\s\S]*<\/Content>/, "<Content><![CDATA[]]></Content>");
    expect(parseReplyXml(text).reply).toEqual({ type: "text", content: "" });
    const transfer = fixture("transfer_customer_service").replace(
      /<TransInfo>[\s\S]*<\/TransInfo>/,
      "<TransInfo/>",
    );
    expect(parseReplyXml(transfer).reply).toEqual({ type: "transfer_customer_service" });
  });

  it("reads a single news item and keeps the article order", () => {
    const articles = [1, 2, 3].map((i) => ({ title: `T${i}`, description: "", picUrl: "", url: `u${i}` }));
    const xml = buildReplyXml({ type: "news", articles }, { ...env, createTime: 3 });
    expect(xml).toContain("<ArticleCount>3</ArticleCount>");
    expect(parseReplyXml(xml).reply).toEqual({ type: "news", articles });
  });
});

describe("what the platform rejects", () => {
  it("unknown MsgType, including inbound-only types and case variants", () => {
    for (const type of ["json", "shortvideo", "link", "Text", "mpnews"]) {
      expectCode(
        () => parseReplyXml(fixture("text").replace("[text]", `[${type}]`)),
        "UnknownMsgType",
        "MsgType",
      );
    }
  });

  it("missing header fields or a broken CreateTime", () => {
    for (const field of ["ToUserName", "FromUserName", "CreateTime", "MsgType"]) {
      const xml = fixture("text").replace(new RegExp(`<${field}>.*</${field}>`), "");
      expectCode(() => parseReplyXml(xml), "MissingField", field);
    }
    expectCode(
      () => parseReplyXml(fixture("text").replace("1700000100", "soon")),
      "InvalidField",
      "CreateTime",
    );
    expectCode(
      () => parseReplyXml(fixture("text").replace("1700000100", "-5")),
      "InvalidField",
      "CreateTime",
    );
  });

  it("missing or empty required body fields", () => {
    expectCode(
      () => parseReplyXml(fixture("text").replace(/<Content>[\s\S]*<\/Content>/, "")),
      "MissingField",
      "Content",
    );
    expectCode(
      () => parseReplyXml(fixture("image").replace(/<Image>[\s\S]*<\/Image>/, "")),
      "MissingField",
      "Image",
    );
    expectCode(
      () => parseReplyXml(fixture("image").replace(/<MediaId>.*<\/MediaId>/, "<Other>x</Other>")),
      "MissingField",
      "Image.MediaId",
    );
    expectCode(
      () => parseReplyXml(fixture("voice").replace("MEDIA_voice_reply_0001", "  ")),
      "MissingField",
      "MediaId",
    );
    expectCode(
      () => parseReplyXml(fixture("music").replace(/<ThumbMediaId>.*<\/ThumbMediaId>/, "")),
      "MissingField",
      "Music.ThumbMediaId",
    );
    expectCode(
      () => parseReplyXml(fixture("news").replace(/<Url>.*<\/Url>/, "")),
      "MissingField",
      "Articles.item[0].Url",
    );
    expectCode(
      () => parseReplyXml(fixture("image").replace(/<Image>[\s\S]*<\/Image>/, "<Image>MEDIA</Image>")),
      "InvalidField",
      "Image",
    );
    expectCode(
      () => parseReplyXml(fixture("text").replace("</xml>", "<Content>again</Content></xml>")),
      "InvalidField",
      "Content",
    );
  });

  it("news with a wrong ArticleCount, no articles, or more than the limit", () => {
    expectCode(
      () => parseReplyXml(fixture("news").replace("<ArticleCount>1", "<ArticleCount>2")),
      "ArticleCount",
    );
    expectCode(
      () => parseReplyXml(fixture("news").replace("<ArticleCount>1", "<ArticleCount>x")),
      "InvalidField",
    );
    const none = fixture("news")
      .replace("<ArticleCount>1", "<ArticleCount>0")
      .replace(/<item>[\s\S]*<\/item>/, "");
    expectCode(() => parseReplyXml(none), "ArticleCount");
    const article = { title: "t", description: "d", picUrl: "p", url: "u" };
    const nine =
      `${buildReplyXml({ type: "news", articles: Array(8).fill(article) }, { ...env, createTime: 1 })}`
        .replace("<ArticleCount>8", "<ArticleCount>9")
        .replace("</Articles>", "<item><Title>t</Title><Description/><PicUrl/><Url/></item></Articles>");
    expectCode(() => parseReplyXml(nine), "ArticleCount");
    expect(parseReplyXml(nine, { maxArticles: NEWS_ARTICLE_LIMITS.legacy }).reply).toMatchObject({
      type: "news",
    });
    const two = buildReplyXml({ type: "news", articles: [article, article] }, { ...env, createTime: 1 });
    expectCode(() => parseReplyXml(two, { maxArticles: NEWS_ARTICLE_LIMITS.userMessage }), "ArticleCount");
  });

  it("bodies that are not XML replies at all", () => {
    expect(() => parseReplyXml('{"msgtype":"text"}')).toThrow(XmlError);
    expect(() => parseReplyXml("success")).toThrow(XmlError);
    expect(() => parseReplyXml("")).toThrow(XmlError);
    expect(() =>
      parseReplyXml(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${fixture("text")}`),
    ).toThrow(XmlError);
  });
});

describe("buildReplyXml checks what it builds", () => {
  it("refuses empty media ids and article counts outside 1..limit", () => {
    const e = { ...env, createTime: 1 };
    expectCode(() => buildReplyXml({ type: "image", mediaId: "" }, e), "MissingField");
    expectCode(() => buildReplyXml({ type: "music", thumbMediaId: "" }, e), "MissingField");
    expectCode(() => buildReplyXml({ type: "news", articles: [] }, e), "ArticleCount");
    const article = { title: "t", description: "d", picUrl: "p", url: "u" };
    expectCode(() => buildReplyXml({ type: "news", articles: Array(9).fill(article) }, e), "ArticleCount");
    expect(() =>
      buildReplyXml({ type: "news", articles: Array(10).fill(article) }, e, { maxArticles: 10 }),
    ).not.toThrow();
  });
});

describe("isEmptyReply", () => {
  it("is true for exactly '' and 'success'", () => {
    expect(isEmptyReply("")).toBe(true);
    expect(isEmptyReply("success")).toBe(true);
    for (const body of ["success\n", " success", "SUCCESS", "ok", "<xml></xml>", fixture("text")]) {
      expect(isEmptyReply(body)).toBe(false);
    }
  });
});
