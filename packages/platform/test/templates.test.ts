/**
 * Template messages over real HTTP (spec/template.md §2–§8): industries and the monthly rule on the
 * platform clock, library and private templates with every error code, template/send's order of
 * checks, the card in the follower's conversation, the anti-re-entry id, the daily limit, and
 * TEMPLATESENDJOBFINISH (success, user block, injected failure, interception + queryblocktmplmsg)
 * received by a developer server.
 */
import type { InboundMessage } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";
import { type DevServer, protocolReplier, startDevServer } from "./push-servers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
const VS = { appid: "wxd000000000000002", secret: "d0000000000000000000000000000002" };

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`template messages (${backend.name})`, () => {
    let r: Running;
    let dev: DevServer;
    const pushed: InboundMessage[] = [];
    const tokens = new Map<string, string>();

    const tokenOf = async (a: { appid: string; secret: string } = VV) => {
      const t = tokens.get(a.appid) ?? (await tokenFor(r, a.appid, a.secret));
      tokens.set(a.appid, t);
      return t;
    };
    const api = async (path: string, body?: unknown, a = VV) => {
      const sep = path.includes("?") ? "&" : "?";
      const url = `${path}${sep}access_token=${await tokenOf(a)}`;
      return (body === undefined ? await r.get(url) : await r.post(url, body)).body;
    };
    const expectCode = (body: Record<string, unknown>, code: number) => {
      expect(body.errcode, JSON.stringify(body)).toBe(code);
      if (code !== 0) expect(body.errmsg).toMatch(RID_SUFFIX);
    };
    const policy = (patch: Record<string, unknown>) =>
      r.raw("/_mpstack/template-policy", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ appid: VV.appid, ...patch }),
      });
    const openidOf = async (user: string) =>
      String((await r.get(`/_mpstack/users/${user}/conversations/${VV.appid}`)).body.openid);
    const messages = async (user: string) =>
      (await r.get(`/_mpstack/users/${user}/conversations/${VV.appid}?limit=1000`)).body.messages as {
        kind: string;
        msgId: string | null;
        payload: Record<string, unknown>;
      }[];
    const jobEvent = async (msgid: number) => {
      for (let i = 0; i < 100; i++) {
        const e = pushed.find(
          (m) =>
            m.MsgType === "event" &&
            "Event" in m &&
            m.Event === "TEMPLATESENDJOBFINISH" &&
            "MsgID" in m &&
            m.MsgID === String(msgid),
        );
        if (e) return e as InboundMessage & { Status: string };
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error(`no TEMPLATESENDJOBFINISH for ${msgid}`);
    };

    beforeAll(async () => {
      dev = await startDevServer(() => ({ body: "success" }));
      r = await start({ pg: backend.pg, demoBotUrl: dev.url });
      const server = (await r.get(`/_mpstack/accounts/${VV.appid}/server`)).body.server as {
        token: string;
        encodingAESKey: string;
      };
      dev.handle = protocolReplier({ ...VV, ...server }, () => "success", pushed);
      expect((await policy({ jobFinishDelayMs: 0 })).status).toBe(200);
    });
    afterAll(async () => {
      await r?.close();
      await dev?.close();
    });

    it("sets industries once a month (43100 on the clock), reads them, refuses unknown codes", async () => {
      expect(await api("/cgi-bin/template/get_industry")).toEqual({
        primary_industry: { first_class: "", second_class: "" },
        secondary_industry: { first_class: "", second_class: "" },
      });
      expectCode(
        await api("/cgi-bin/template/api_set_industry", { industry_id1: "0", industry_id2: "13" }),
        40102,
      );
      expectCode(
        await api("/cgi-bin/template/api_set_industry", { industry_id1: "1", industry_id2: "42" }),
        40102,
      );
      expectCode(
        await api("/cgi-bin/template/api_set_industry", { industry_id1: "1", industry_id2: "13" }),
        0,
      );
      expect(await api("/cgi-bin/template/get_industry")).toEqual({
        primary_industry: { first_class: "IT科技", second_class: "互联网|电子商务" },
        secondary_industry: { first_class: "运输与仓储", second_class: "快递" },
      });
      // The first setting is free; one change a month; setting the same pair again changes nothing.
      expectCode(await api("/cgi-bin/template/api_set_industry", { industry_id1: 1, industry_id2: 13 }), 0);
      expectCode(
        await api("/cgi-bin/template/api_set_industry", { industry_id1: "1", industry_id2: "10" }),
        0,
      );
      expectCode(
        await api("/cgi-bin/template/api_set_industry", { industry_id1: "1", industry_id2: "13" }),
        43100,
      );
      await r.post("/_mpstack/clock", { advanceSeconds: 32 * 86400 });
      tokens.clear();
      expectCode(
        await api("/cgi-bin/template/api_set_industry", { industry_id1: "1", industry_id2: "13" }),
        0,
      );
      // Only the primary (older SDKs): no change of the secondary.
      expectCode(await api("/cgi-bin/template/api_set_industry", { industry_id1: "1" }), 0);
      expect((await api("/cgi-bin/template/get_industry")).secondary_industry).toEqual({
        first_class: "运输与仓储",
        second_class: "快递",
      });
    });

    it("adds library templates with every error of api_add_template; lists and deletes them", async () => {
      expectCode(await api("/cgi-bin/template/api_add_template", { template_id_short: "TM99999" }), 40037);
      // TM00153 is a hotel template: not one of the chosen industries.
      expectCode(await api("/cgi-bin/template/api_add_template", { template_id_short: "TM00153" }), 45027);
      const added = await api("/cgi-bin/template/api_add_template", { template_id_short: "TM00015" });
      expectCode(added, 0);
      expect(added.template_id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Category templates need the keyword names, in order, all known.
      const cat = (names?: unknown) =>
        api("/cgi-bin/template/api_add_template", { template_id_short: "51840", keyword_name_list: names });
      expectCode(await cat(), 40246);
      expectCode(await cat([]), 40246);
      expectCode(await cat(["订单编号", "不存在"]), 40246);
      expectCode(await cat(["订单编号", "订单编号"]), 40246);
      // 6120 belongs to a category the account has not chosen.
      expectCode(
        await api("/cgi-bin/template/api_add_template", {
          template_id_short: "6120",
          keyword_name_list: ["取餐号"],
        }),
        45027,
      );
      const typed = await cat(["订单编号", "支付金额", "支付时间"]);
      expectCode(typed, 0);
      const list = (await api("/cgi-bin/template/get_all_private_template")).template_list as Record<
        string,
        string
      >[];
      expect(list.find((t) => t.template_id === added.template_id)).toEqual({
        template_id: added.template_id,
        title: "订单支付成功",
        primary_industry: "IT科技",
        deputy_industry: "互联网|电子商务",
        content: "{{first.DATA}}\n支付金额：{{keyword1.DATA}}\n商品信息：{{keyword2.DATA}}\n{{remark.DATA}}",
        example:
          "我们已收到您的货款，开始为您打包商品。\n支付金额：39.80元\n商品信息：蓝色马克杯 x2\n欢迎再次购买！",
      });
      expect(list.find((t) => t.template_id === typed.template_id)?.content).toBe(
        "订单编号:{{character_string1.DATA}}\n支付金额:{{amount3.DATA}}\n支付时间:{{time4.DATA}}\n",
      );
      // Delete: unknown → 40037.
      expectCode(await api("/cgi-bin/template/del_private_template", { template_id: "x".repeat(43) }), 40037);
      const extra = await api("/cgi-bin/template/api_add_template", { template_id_short: "TM00303" });
      expectCode(await api("/cgi-bin/template/del_private_template", { template_id: extra.template_id }), 0);
      expectCode(
        await api("/cgi-bin/template/del_private_template", { template_id: extra.template_id }),
        40037,
      );
      // Punishment switch, then the 25-template limit.
      await policy({ punished: true });
      expectCode(await api("/cgi-bin/template/api_add_template", { template_id_short: "TM00015" }), 43106);
      await policy({ punished: null, maxTemplates: 3 });
      expectCode(await api("/cgi-bin/template/api_add_template", { template_id_short: "TM00303" }), 0);
      expectCode(await api("/cgi-bin/template/api_add_template", { template_id_short: "TM00303" }), 45026);
      await policy({ maxTemplates: null });
    });

    it("changing an industry deletes its templates", async () => {
      const before = (await api("/cgi-bin/template/get_all_private_template")).template_list as {
        title: string;
      }[];
      expect(before.map((t) => t.title)).toContain("快递签收提醒");
      tokens.clear();
      await r.post("/_mpstack/clock", { advanceSeconds: 32 * 86400 });
      tokens.clear();
      expectCode(
        await api("/cgi-bin/template/api_set_industry", { industry_id1: "1", industry_id2: "10" }),
        0,
      );
      const after = (await api("/cgi-bin/template/get_all_private_template")).template_list as {
        title: string;
      }[];
      expect(after.map((t) => t.title)).not.toContain("快递签收提醒");
      expect(after.map((t) => t.title)).toContain("订单支付成功");
    });

    it("template/send checks in WeChat's order, delivers the card and pushes TEMPLATESENDJOBFINISH", async () => {
      const list = (await api("/cgi-bin/template/get_all_private_template")).template_list as {
        template_id: string;
        title: string;
      }[];
      const industry = list.find((t) => t.title === "订单支付成功")!.template_id;
      const category = list.find((t) => t.title === "订单支付成功通知")!.template_id;
      await r.post("/_mpstack/users", { id: "zed", nickname: "Zed" });
      const zed = String((await r.post("/_mpstack/users/zed/follow", { appid: VV.appid })).body.openid);
      await r.post("/_mpstack/users/zed/unfollow", { appid: VV.appid });
      const alice = await openidOf("alice");
      const send = (body: Record<string, unknown>) => api("/cgi-bin/message/template/send", body);
      const good = {
        touser: alice,
        template_id: category,
        url: "https://shop.example.com/order/4711",
        miniprogram: { appid: "wx00000000000000aa", pagepath: "pages/order?id=4711" },
        client_msg_id: "order-4711",
        data: {
          character_string1: { value: "4711" },
          amount3: { value: "￥39.80" },
          time4: { value: "2024年6月1日 15:01" },
        },
      };
      // Each step fixes one rule; the answer moves to the next rule.
      expectCode(await send({ mp_template_msg: good }), 40036);
      expectCode(await send({ ...good, template_id: "short" }), 40036);
      expectCode(await send({ ...good, template_id: "z".repeat(43), touser: "nobody" }), 40037);
      expectCode(await send({ ...good, touser: "nobody" }), 40003);
      expectCode(await send({ ...good, touser: zed }), 43004);
      expectCode(await send({ ...good, miniprogram: { appid: "not-a-mini-program", pagepath: "p" } }), 47003);
      expectCode(await send({ ...good, data: "not an object" }), 47001);
      const emptyValue = await send({ ...good, data: { ...good.data, amount3: { value: "" } } });
      expect(emptyValue.errmsg).toMatch(/^argument invalid! data\.amount3\.value is empty rid: /);
      const badValue = await send({ ...good, data: { ...good.data, time4: { value: "yesterday" } } });
      expectCode(badValue, 47003);
      expect(badValue.errmsg).toMatch(/^argument invalid! data\.time4\.value invalid rid: /);
      await policy({ dailyLimit: 0 });
      expectCode(await send(good), 45009);
      await policy({ dailyLimit: null });
      const sent = await send(good);
      expectCode(sent, 0);
      expect(Number.isSafeInteger(sent.msgid)).toBe(true);
      // The same client_msg_id: the first msgid, nothing sent again.
      expect((await send(good)).msgid).toBe(sent.msgid);
      const cards = (await messages("alice")).filter((m) => m.kind === "template");
      expect(cards).toHaveLength(1);
      expect(cards[0]).toMatchObject({
        msgId: String(sent.msgid),
        payload: {
          template_id: category,
          title: "订单支付成功通知",
          lines: [
            { key: "character_string1", label: "订单编号", value: "4711" },
            { key: "amount3", label: "支付金额", value: "￥39.80" },
            { key: "time4", label: "支付时间", value: "2024年6月1日 15:01" },
          ],
          opens: "miniprogram",
        },
      });
      expect((await jobEvent(Number(sent.msgid))).Status).toBe("success");
      // Industry templates take any values; first/remark hidden and 20 characters shown (2023 rules).
      const long = await send({
        touser: alice,
        template_id: industry,
        data: {
          first: { value: "hidden" },
          keyword1: { value: "39.80元", color: "#173177" },
          keyword2: { value: "一二三四五六七八九十\n一二三四五六七八九十一二" },
          remark: { value: "hidden too" },
        },
      });
      expectCode(long, 0);
      const last = (await messages("alice")).filter((m) => m.kind === "template").at(-1)!;
      expect(last.payload.lines).toEqual([
        { key: "keyword1", label: "支付金额", value: "39.80元" },
        { key: "keyword2", label: "商品信息", value: "一二三四五六七八九十 一二三四五六七八九" },
      ]);
      expect(last.payload.opens).toBeNull();
    });

    it("ends with failed:user block when the user refuses, and with injected or intercepted failures", async () => {
      const list = (await api("/cgi-bin/template/get_all_private_template")).template_list as {
        template_id: string;
        title: string;
      }[];
      const industry = list.find((t) => t.title === "订单支付成功")!.template_id;
      const bob = await openidOf("bob");
      const send = () =>
        api("/cgi-bin/message/template/send", {
          touser: bob,
          template_id: industry,
          data: { keyword1: { value: "1" } },
        });
      const refuse = (refuse: boolean) =>
        r.raw("/_mpstack/users/bob/template-refusal", {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ appid: VV.appid, refuse }),
        });
      expect((await refuse(true)).status).toBe(200);
      const blocked = await send();
      expectCode(blocked, 0);
      expect((await jobEvent(Number(blocked.msgid))).Status).toBe("failed:user block");
      expect((await messages("bob")).filter((m) => m.kind === "template")).toHaveLength(0);
      await refuse(false);
      await policy({ injectStatus: "failed: system failed" });
      expect((await jobEvent(Number((await send()).msgid))).Status).toBe("failed: system failed");
      await policy({ injectStatus: null, interceptTemplateIds: [industry] });
      const intercepted = await send();
      expect((await jobEvent(Number(intercepted.msgid))).Status).toBe("failed: system failed");
      await policy({ interceptTemplateIds: null });
      const blockedList = await api("/wxa/sec/queryblocktmplmsg", {
        tmpl_msg_id: industry,
        largest_id: 0,
        limit: 10,
      });
      expectCode(blockedList, 0);
      expect(blockedList.msginfo).toEqual([
        expect.objectContaining({
          id: intercepted.msgid,
          tmpl_msg_id: industry,
          title: "订单支付成功",
          openid: bob,
        }),
      ]);
      const next = await api("/wxa/sec/queryblocktmplmsg", {
        tmpl_msg_id: industry,
        largest_id: intercepted.msgid,
      });
      expect(next.msginfo).toEqual([]);
      expectCode(await api("/wxa/sec/queryblocktmplmsg", { tmpl_msg_id: industry, limit: 101 }), 40097);
      expectCode(await api("/wxa/sec/queryblocktmplmsg", { tmpl_msg_id: "y".repeat(43) }), 40037);
      // None of those reached bob; with the switches off the next one does.
      expect((await messages("bob")).filter((m) => m.kind === "template")).toHaveLength(0);
      expect((await jobEvent(Number((await send()).msgid))).Status).toBe("success");
      expect((await messages("bob")).filter((m) => m.kind === "template")).toHaveLength(1);
    });

    it("refuses every template endpoint to accounts without the row (48001)", async () => {
      for (const path of ["/cgi-bin/template/get_industry", "/cgi-bin/template/get_all_private_template"])
        expectCode(await api(path, undefined, VS), 48001);
      expectCode(
        await api("/cgi-bin/message/template/send", { touser: "x", template_id: "y", data: {} }, VS),
        48001,
      );
    });
  });
}
