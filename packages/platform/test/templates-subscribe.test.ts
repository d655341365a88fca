/**
 * Subscription notifications (spec/template.md §10): categories, public titles and keywords with
 * every 2000xx code, private subscription templates, users accepting and rejecting through the
 * simulator (subscribe_msg_popup_event / subscribe_msg_change_event reach the developer server),
 * bizsend with one send per one-time accept and unlimited long-term sends until rejected, and
 * subscribe_msg_sent_event.
 */
import type { InboundMessage } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";
import { type DevServer, protocolReplier, startDevServer } from "./push-servers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };

type Event = InboundMessage & Record<string, unknown>;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`subscription notifications (${backend.name})`, () => {
    let r: Running;
    let dev: DevServer;
    let token: string;
    const pushed: InboundMessage[] = [];
    const get = async (path: string, q = "") =>
      (await r.get(`/wxaapi/newtmpl/${path}?access_token=${token}${q}`)).body;
    const post = async (path: string, body: unknown) =>
      (await r.post(`${path}?access_token=${token}`, body)).body;
    const expectCode = (body: Record<string, unknown>, code: number) => {
      expect(body.errcode, JSON.stringify(body)).toBe(code);
      if (code !== 0) expect(body.errmsg).toMatch(RID_SUFFIX);
    };
    const userEvent = (user: string, type: string, body: Record<string, unknown>) =>
      r.post(`/_mpstack/users/${user}/events`, { appid: VV.appid, type, ...body });
    const waitFor = async (pred: (m: Event) => boolean) => {
      for (let i = 0; i < 100; i++) {
        const hit = (pushed as Event[]).find(pred);
        if (hit) return hit;
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error("event not pushed");
    };
    let pickup = "";
    let traffic = "";

    beforeAll(async () => {
      dev = await startDevServer(() => ({ body: "success" }));
      r = await start({ pg: backend.pg, demoBotUrl: dev.url });
      const server = (await r.get(`/_mpstack/accounts/${VV.appid}/server`)).body.server as {
        token: string;
        encodingAESKey: string;
      };
      dev.handle = protocolReplier({ appid: VV.appid, ...server }, () => "success", pushed);
      token = await tokenFor(r, VV.appid, VV.secret);
      await r.raw("/_mpstack/template-policy", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ appid: VV.appid, jobFinishDelayMs: 0 }),
      });
    });
    afterAll(async () => {
      await r?.close();
      await dev?.close();
    });

    it("lists categories, public titles (paged) and keywords, with 200014–200019", async () => {
      const cats = await get("getcategory");
      expectCode(cats, 0);
      expect(cats.data).toEqual([
        { id: 307, name: "物流" },
        { id: 320, name: "电商平台" },
        { id: 680, name: "生活服务" },
      ]);
      expectCode(await get("getpubtemplatetitles", "&start=0&limit=5"), 200018);
      expectCode(await get("getpubtemplatetitles", "&ids=abc&start=0&limit=5"), 200019);
      expectCode(await get("getpubtemplatetitles", "&ids=307,411&start=0&limit=5"), 200019);
      expectCode(await get("getpubtemplatetitles", "&ids=307&start=-1&limit=5"), 200016);
      expectCode(await get("getpubtemplatetitles", "&ids=307&start=0&limit=31"), 200017);
      expectCode(await get("getpubtemplatetitles", "&ids=307&start=0"), 200017);
      const page1 = await get("getpubtemplatetitles", "&ids=307,320&start=0&limit=2");
      expect(page1.count).toBe(5);
      expect(page1.data).toEqual([
        { tid: 4210, title: "取件提醒", type: 2, categoryId: "307" },
        { tid: 4211, title: "物流状态通知", type: 3, categoryId: "307" },
      ]);
      const page3 = await get("getpubtemplatetitles", "&ids=307,320&start=4&limit=2");
      expect((page3.data as unknown[]).length).toBe(1);
      expectCode(await get("getpubtemplatekeywords", "&tid=99"), 200014);
      const kw = await get("getpubtemplatekeywords", "&tid=4210");
      expect(kw.count).toBe(5);
      expect((kw.data as unknown[])[0]).toEqual({
        kid: 1,
        name: "取件码",
        example: "A-1024",
        rule: "character_string",
      });
    });

    it("adds, lists and deletes private subscription templates (200012, 200014, 200020, 200021)", async () => {
      const add = (body: Record<string, unknown>) => post("/wxaapi/newtmpl/addtemplate", body);
      expectCode(await add({ tid: "99", kidList: [1] }), 200014);
      expectCode(await add({ tid: "6120", kidList: [1] }), 200014); // category not chosen
      expectCode(await add({ tid: "4210", kidList: [] }), 200020);
      expectCode(await add({ tid: "4210", kidList: [9] }), 200020);
      expectCode(await add({ tid: "4210", kidList: [1, 1] }), 200020);
      expectCode(
        await add({ tid: "4210", kidList: [1, 2], sceneDesc: "一二三四五六七八九十一二三四五六" }),
        200021,
      );
      const a = await add({ tid: "4210", kidList: [1, 2], sceneDesc: "parcel pickup" });
      expectCode(a, 0);
      pickup = String(a.priTmplId);
      const b = await add({ tid: 4211, kidList: [1, 2, 4] });
      traffic = String(b.priTmplId);
      const list = await get("gettemplate");
      expect(list.data).toEqual([
        {
          priTmplId: pickup,
          title: "取件提醒",
          content: "取件码:{{character_string1.DATA}}\n取件地点:{{thing2.DATA}}\n",
          example: "取件码:A-1024\n取件地点:东门快递柜\n",
          type: 2,
        },
        expect.objectContaining({ priTmplId: traffic, type: 3 }),
      ]);
      await r.raw("/_mpstack/template-policy", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ appid: VV.appid, maxTemplates: 2 }),
      });
      expectCode(await add({ tid: 4210, kidList: [1] }), 200012);
      expectCode(await post("/wxaapi/newtmpl/deltemplate", { priTmplId: "nope" }), 40037);
      expectCode(await post("/wxaapi/newtmpl/deltemplate", {}), 200002);
      await r.raw("/_mpstack/template-policy", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ appid: VV.appid, punished: true }),
      });
      expectCode(await add({ tid: 4210, kidList: [1] }), 200011);
      await r.raw("/_mpstack/template-policy", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ appid: VV.appid, punished: null }),
      });
    });

    it("bizsend: 43101 until the user accepts; one send per one-time accept; long-term until rejected", async () => {
      const alice = String((await r.get(`/_mpstack/users/alice/conversations/${VV.appid}`)).body.openid);
      const send = (
        template_id: string,
        data: Record<string, unknown>,
        extra: Record<string, unknown> = {},
      ) =>
        post("/cgi-bin/message/subscribe/bizsend", {
          touser: alice,
          template_id,
          page: "https://example.com/p",
          data,
          ...extra,
        });
      const pickupData = { character_string1: { value: "A-1024" }, thing2: { value: "东门快递柜" } };
      expectCode(await send(pickup, pickupData, { touser: "oNobody" }), 40003);
      expectCode(await send("z".repeat(43), pickupData), 40037);
      expectCode(await send(pickup, pickupData), 43101);
      const popup = await userEvent("alice", "subscribe_msg_popup", {
        templates: [
          { templateId: pickup, status: "accept" },
          { templateId: traffic, status: "accept" },
        ],
      });
      expect(popup.status, JSON.stringify(popup.body)).toBe(200);
      const popupEvent = await waitFor(
        (m) => m.MsgType === "event" && m.Event === "subscribe_msg_popup_event",
      );
      expect(popupEvent.SubscribeMsgPopupEvent).toEqual([
        { TemplateId: pickup, SubscribeStatusString: "accept", PopupScene: 1 },
        { TemplateId: traffic, SubscribeStatusString: "accept", PopupScene: 1 },
      ]);
      expectCode(await send(pickup, { ...pickupData, character_string1: { value: "取件码A" } }), 47003);
      expectCode(
        await send(pickup, pickupData, { miniprogram: { appid: "wx00000000000000aa", pagepath: "" } }),
        41030,
      );
      const ok1 = await send(pickup, pickupData);
      expectCode(ok1, 0);
      expect(Number.isSafeInteger(ok1.msgid)).toBe(true);
      const sent = await waitFor((m) => m.MsgType === "event" && m.Event === "subscribe_msg_sent_event");
      expect(sent.SubscribeMsgSentEvent).toEqual([
        { TemplateId: pickup, MsgID: String(ok1.msgid), ErrorCode: 0, ErrorStatus: "success" },
      ]);
      expectCode(await send(pickup, pickupData), 43101);
      // Long-term: any number of sends until the user rejects it in the settings.
      const trafficData = {
        character_string1: { value: "SF1234567890" },
        phrase2: { value: "运输中" },
        time4: { value: "15:01" },
      };
      expectCode(await send(traffic, trafficData), 0);
      expectCode(await send(traffic, trafficData), 0);
      await userEvent("alice", "subscribe_msg_change", {
        templates: [{ templateId: traffic, status: "reject" }],
      });
      const change = await waitFor((m) => m.MsgType === "event" && m.Event === "subscribe_msg_change_event");
      expect(change.SubscribeMsgChangeEvent).toEqual([
        { TemplateId: traffic, SubscribeStatusString: "reject" },
      ]);
      expectCode(await send(traffic, trafficData), 43101);
      const notices = (
        (await r.get(`/_mpstack/users/alice/conversations/${VV.appid}`)).body.messages as {
          kind: string;
          payload: Record<string, unknown>;
        }[]
      ).filter((m) => m.kind === "subscribe_notice");
      expect(notices).toHaveLength(3);
      expect(notices[0]?.payload).toMatchObject({
        title: "取件提醒",
        channel: "service_notifications",
        opens: "url",
        lines: [
          { key: "character_string1", label: "取件码", value: "A-1024" },
          { key: "thing2", label: "取件地点", value: "东门快递柜" },
        ],
      });
      expect(
        (
          await userEvent("alice", "subscribe_msg_popup", {
            templates: [{ templateId: "x", status: "accept" }],
          })
        ).status,
      ).toBe(400);
    });

    it("giving up a category deletes its subscription templates", async () => {
      const res = await r.raw(`/_mpstack/accounts/${VV.appid}/template-categories`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ids: [320, 680] }),
      });
      expect(res.status).toBe(200);
      for (let i = 0; i < 50; i++) {
        if (((await get("gettemplate")).data as unknown[]).length === 0) break;
        await new Promise((res) => setTimeout(res, 10));
      }
      expect((await get("gettemplate")).data).toEqual([]);
      expectCode(await get("getpubtemplatetitles", "&ids=307&start=0&limit=5"), 200019);
    });
  });
}
