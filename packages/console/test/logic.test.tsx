/**
 * The console's logic outside the browser: text with links and faces, how each kind of stored
 * message is drawn, the SSE parser, merging live messages without loss, the dictionaries, hash
 * routes, the voice sample, message bubbles rendered to HTML, the shared table, and the rules the
 * area panels (materials, mass, templates, pay, JS-SDK) apply to the simulator's answers.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ConversationMessage } from "../src/api/types.js";
import { en } from "../src/i18n/en.js";
import { detectLang, I18nProvider, translate } from "../src/i18n/index.js";
import { zh } from "../src/i18n/zh.js";
import { SseParser } from "../src/live/sse.js";
import {
  formatBytes,
  massTarget,
  massTone,
  notifyTone,
  percent,
  publicationStatus,
  templateKeywords,
  tradeTone,
  untilNext,
  yuan,
} from "../src/operator/area-format.js";
import { callOk } from "../src/operator/jssdk.js";
import { Bubble } from "../src/phone/bubble.js";
import { mergeMessages } from "../src/phone/conversation.js";
import { toneWav } from "../src/phone/media.js";
import { type DrawnMessage, drawMessage, registerMessageView } from "../src/phone/messages.js";
import { faces, segments } from "../src/phone/text.js";
import { ofAccount } from "../src/ui/data.js";
import { DataTable } from "../src/ui/kit.js";
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

describe("area panels", () => {
  it("formats sizes, money and the time to a notification's next try", () => {
    expect([0, 1023, 1536, 10 * 1024, 5 * 1024 * 1024 + 1].map(formatBytes)).toEqual([
      "0 B",
      "1023 B",
      "1.5 KB",
      "10 KB",
      "5.0 MB",
    ]);
    expect(formatBytes(-1)).toBe("—");
    expect([1, 100, 12345, -250].map((f) => yuan(f))).toEqual(["¥0.01", "¥1.00", "¥123.45", "-¥2.50"]);
    expect(yuan(100, "USD")).toBe("1.00 USD");
    expect(untilNext(null, 0)).toBe("—");
    expect(untilNext(1000, 5000)).toBe("0s");
    expect(untilNext(15_000, 0)).toBe("15s");
    expect(untilNext(125_000, 0)).toBe("2m 5s");
    expect(untilNext(2 * 3600_000 + 60_000, 0)).toBe("2h 1m");
  });

  it("reads publication, mass, order and notification states", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((s) => publicationStatus(s).key)).toEqual([
      "pubPublished",
      "pubPublishing",
      "pubFailed",
      "pubFailed",
      "pubFailed",
      "pubDeleted",
      "pubBanned",
    ]);
    expect(["SENDING", "SEND_SUCCESS", "SEND_FAIL", "DELETE"].map(massTone)).toEqual([
      "warn",
      "ok",
      "bad",
      "muted",
    ]);
    const target = (scope: string) => massTarget({ scope, tagId: 7, expected: 3 });
    expect(translate("en", target("all").key, target("all").vars)).toBe("all followers");
    expect(translate("en", target("tag").key, target("tag").vars)).toBe("tag 7");
    expect(translate("zh", target("list").key, target("list").vars)).toBe("3 个 OpenID");
    expect(target("one").key).toBe("massToOne");
    expect([-0.5, 0, 0.333, 1, 2].map(percent)).toEqual([0, 0, 33, 100, 100]);
    expect(["SUCCESS", "REFUND", "NOTPAY", "PAYERROR", "CLOSED"].map(tradeTone)).toEqual([
      "ok",
      "info",
      "warn",
      "bad",
      "muted",
    ]);
    expect(["delivered", "pending", "dropped", "failed"].map(notifyTone)).toEqual([
      "ok",
      "warn",
      "muted",
      "bad",
    ]);
    expect(callOk("chooseImage:ok")).toBe(true);
    expect(callOk("config:invalid signature")).toBe(false);
  });

  it("finds a template's keywords once each, in order", () => {
    expect(
      templateKeywords(
        "{{first.DATA}}\n订单：{{keyword1.DATA}}\n{{ keyword2.DATA }}\n{{first.DATA}} {{x.VALUE}}",
      ),
    ).toEqual(["first", "keyword1", "keyword2"]);
    expect(templateKeywords("no keywords")).toEqual([]);
  });

  it("keeps live events of one account", () => {
    const mine = ofAccount("wxA");
    expect(mine("mass.job", { appid: "wxA" })).toBe(true);
    expect(mine("mass.job", { appid: "wxB" })).toBe(false);
    expect(mine("clock.moved", { now: 1 })).toBe(false);
    expect(mine("x", null)).toBe(false);
  });

  it("draws a table: its placeholder when empty, cells, and toggles for rows that open", () => {
    const columns = [
      { label: "Id", cell: (r: { id: string; n: number }) => r.id },
      { label: "N", cell: (r: { id: string; n: number }) => <b>{r.n}</b>, className: "mono" },
    ];
    const draw = (rows: { id: string; n: number }[], detail?: (r: { id: string; n: number }) => string) =>
      renderToStaticMarkup(
        <DataTable
          rows={rows}
          columns={columns}
          rowKey={(r) => r.id}
          empty="nothing <here>"
          testId="t"
          detail={detail}
        />,
      );
    const empty = draw([]);
    expect(empty).toContain('<td colSpan="2" class="muted">nothing &lt;here&gt;</td>');
    expect(empty).toContain('data-testid="t"');
    const plain = draw([
      { id: "a", n: 1 },
      { id: "b", n: 2 },
    ]);
    expect(plain).not.toContain("nothing");
    expect(plain).not.toContain("<button");
    expect(plain).toContain('<td class="mono"><b>2</b></td>');
    const opening = draw([{ id: "a", n: 1 }], (r) => `detail of ${r.id}`);
    expect(opening).toContain('<button type="button" class="link-button" aria-expanded="false">a</button>');
    expect(opening).not.toContain("detail of");
  });
});
