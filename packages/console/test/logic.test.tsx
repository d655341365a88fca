/**
 * The console's logic outside the browser: text with links and faces, how each kind of stored
 * message is drawn, the SSE parser, merging live messages without loss, the dictionaries, hash
 * routes, the voice sample, and message bubbles rendered to HTML.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ConversationMessage } from "../src/api/types.js";
import { en } from "../src/i18n/en.js";
import { detectLang, I18nProvider, translate } from "../src/i18n/index.js";
import { zh } from "../src/i18n/zh.js";
import { SseParser } from "../src/live/sse.js";
import { Bubble } from "../src/phone/bubble.js";
import { mergeMessages } from "../src/phone/conversation.js";
import { toneWav } from "../src/phone/media.js";
import { type DrawnMessage, drawMessage, registerMessageView } from "../src/phone/messages.js";
import { faces, segments } from "../src/phone/text.js";
import { href, parseHash } from "../src/ui/route.js";

let n = 0;
const msg = (m: Partial<ConversationMessage>): ConversationMessage => ({
  id: `m${String(++n).padStart(6, "0")}`,
  appid: "wx1",
  userId: "alice",
  openid: "o1",
  direction: "out",
  kind: "passive",
  msgType: "text",
  payload: {},
  msgId: null,
  createdAt: 1_700_000_000_000,
  ...m,
});

describe("text", () => {
  it("turns anchors and bare URLs into links, faces into emoji, and keeps javascript: as text", () => {
    expect(
      segments('see <a href="https://a.example/x?y=1&amp;z=2">docs</a> or http://b.example/ /::)'),
    ).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "docs", url: "https://a.example/x?y=1&z=2" },
      { kind: "text", text: " or " },
      { kind: "link", text: "http://b.example/", url: "http://b.example/" },
      { kind: "text", text: " 🙂" },
    ]);
    expect(segments('<a href="javascript:alert(1)">x</a>')).toEqual([{ kind: "text", text: "x" }]);
    expect(faces("/::D/:strong")).toBe("😁👍");
  });
});

describe("drawing stored messages", () => {
  it("draws the user's pushes, passive replies, API messages, events and notices", () => {
    expect(
      drawMessage(msg({ direction: "in", kind: "message", payload: { Content: "hi", MsgId: "1" } })),
    ).toMatchObject({
      side: "user",
      view: { type: "text", text: "hi" },
    });
    const voice = drawMessage(
      msg({
        direction: "in",
        kind: "message",
        msgType: "voice",
        payload: { MediaId: "abc", Format: "wav", Recognition: "你好" },
      }),
    );
    expect(voice.view).toEqual({
      type: "voice",
      url: "/_mpstack/user-media/abc",
      mediaId: "abc",
      format: "wav",
      recognition: "你好",
    });
    expect(
      drawMessage(
        msg({
          msgType: "news",
          payload: { type: "news", articles: [{ title: "T", description: "D", picUrl: "p", url: "u" }] },
        }),
      ).view,
    ).toEqual({
      type: "news",
      articles: [{ title: "T", description: "D", picUrl: "p", url: "u" }],
    });
    expect(
      drawMessage(
        msg({
          kind: "customer_service",
          msgType: "news",
          payload: { msgtype: "news", news: { articles: [{ title: "A", url: "u", picurl: "p" }] } },
        }),
      ).view,
    ).toEqual({ type: "news", articles: [{ title: "A", description: "", picUrl: "p", url: "u" }] });
    expect(
      drawMessage(
        msg({
          kind: "customer_service",
          msgType: "text",
          payload: { msgtype: "text", text: { content: "cs" } },
        }),
      ).view,
    ).toEqual({
      type: "text",
      text: "cs",
    });
    expect(
      drawMessage(
        msg({
          kind: "customer_service",
          msgType: "msgmenu",
          payload: {
            msgtype: "msgmenu",
            msgmenu: { head_content: "H", list: [{ id: "1", content: "yes" }], tail_content: "T" },
          },
        }),
      ).view,
    ).toEqual({ type: "choices", head: "H", options: [{ id: "1", content: "yes" }], tail: "T" });
    expect(
      drawMessage(
        msg({
          kind: "template",
          msgType: "template",
          payload: { template_id: "tpl", url: "https://x", data: { first: { value: "Hi" } } },
        }),
      ).view,
    ).toEqual({
      type: "card",
      title: "tpl",
      fields: [["first", "Hi"]],
      url: "https://x",
    });
    expect(
      drawMessage(
        msg({ direction: "in", kind: "event", msgType: "event", payload: { Event: "CLICK", EventKey: "K" } }),
      ),
    ).toMatchObject({
      side: "center",
      view: { type: "event", text: "CLICK · K" },
    });
    expect(
      drawMessage(
        msg({
          kind: "system",
          msgType: "notice",
          payload: { content: "该公众号暂时无法提供服务，请稍后再试" },
        }),
      ),
    ).toMatchObject({
      side: "center",
      view: { type: "notice" },
    });
    expect(drawMessage(msg({ msgType: "weird", payload: { type: "weird", x: 1 } })).view.type).toBe(
      "unknown",
    );
  });

  it("lets an area register its own drawing first", () => {
    registerMessageView((m) => (m.kind === "mass_receipt" ? { type: "notice", text: "mass" } : null));
    expect(drawMessage(msg({ kind: "mass_receipt" })).view).toEqual({ type: "notice", text: "mass" });
  });
});

describe("live messages", () => {
  const drawn = (id: string): DrawnMessage => ({
    id,
    side: "user",
    kind: "message",
    msgType: "text",
    time: 0,
    view: { type: "text", text: id },
  });
  it("merges by id: nothing lost, nothing twice, order kept", () => {
    const seen = new Set<string>();
    let list = mergeMessages([], seen, ["a1", "a2"].map(drawn));
    list = mergeMessages(list, seen, ["a2", "a4", "a3"].map(drawn));
    list = mergeMessages(list, seen, ["a5"].map(drawn));
    expect(list.map((m) => m.id)).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    const many = Array.from({ length: 1000 }, (_, i) => drawn(`b${String(i).padStart(4, "0")}`));
    expect(mergeMessages(list, seen, many)).toHaveLength(1005);
  });

  it("parses SSE frames split anywhere, with ids, names, multi-line data and comments", () => {
    const p = new SseParser();
    const text =
      ': ping\n\nid: e-1\nevent: push.created\ndata: {"a":1}\n\nid: e-2\ndata: line1\ndata: line2\n\nevent: reset\ndata: {}\n\n';
    const out = [];
    for (let i = 0; i < text.length; i += 7) out.push(...p.push(text.slice(i, i + 7)));
    expect(out).toEqual([
      { id: "e-1", event: "push.created", data: '{"a":1}' },
      { id: "e-2", event: "message", data: "line1\nline2" },
      { id: "e-2", event: "reset", data: "{}" },
    ]);
    expect(p.lastEventId).toBe("e-2");
  });
});

describe("dictionaries and routes", () => {
  it("has every key in both languages, non-empty, with the same placeholders", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zh[key], key).toBeTruthy();
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(zh[key]), key).toEqual(vars(en[key]));
    }
    expect(translate("zh", "errcodeUnknown", { code: 40001 })).toBe("返回码 40001 不在表中");
  });

  it("picks the language from the stored choice, then the browser", () => {
    expect(detectLang(["zh-CN", "en"], null)).toBe("zh");
    expect(detectLang(["fr", "en-US"], null)).toBe("en");
    expect(detectLang(["zh-TW"], "en")).toBe("en");
    expect(detectLang([], null)).toBe("en");
  });

  it("reads and writes hash routes", () => {
    const h = href("accounts", ["wx 1"], { appid: "wx1", empty: "" });
    expect(h).toBe("#/accounts/wx%201?appid=wx1");
    const r = parseHash(h);
    expect(r.panel).toBe("accounts");
    expect(r.path).toEqual(["wx 1"]);
    expect(r.query.get("appid")).toBe("wx1");
  });
});

describe("media and bubbles", () => {
  it("makes a valid WAV voice sample", async () => {
    const wav = new Uint8Array(await toneWav(0.5, 440, 8000).arrayBuffer());
    expect(String.fromCharCode(...wav.slice(0, 4))).toBe("RIFF");
    expect(String.fromCharCode(...wav.slice(8, 12))).toBe("WAVE");
    expect(wav.length).toBe(44 + 4000 * 2);
  });

  it("renders a bubble with its kind on hover, escaped text and links", () => {
    const m = drawMessage(
      msg({ payload: { type: "text", content: '<b>x</b> <a href="https://e.example/">go</a>' } }),
    );
    const html = renderToStaticMarkup(
      <I18nProvider initial="en">
        <Bubble m={m} a={{ openLink: () => {} }} avatar="A" />
      </I18nProvider>,
    );
    expect(html).toContain('title="passive · text · ');
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).toContain('href="https://e.example/"');
  });
});
