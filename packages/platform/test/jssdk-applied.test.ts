/**
 * The applied features on the JS-SDK bridge, as the bridge script calls it (no browser: the
 * browser suite is packages/sdk/test/applied-flow.test.ts): `getBrandWCPayRequest` shows the pay
 * sheet over the page and answers only once the payer has acted (paid, or closed the sheet:
 * cancelled), bad parameters fail at once; `batchAddCard` / `chooseCard` / `batchViewCard` check
 * card signatures against the `wx_card` tickets getticket issues (a made-up ticket is refused);
 * `openProductViewWithPid` shows the product; without the grant: access denied.
 */
import { cardExtSignature, chooseCardSignature, paySign } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type NotifyServer,
  notifyServer,
  type PayWorld,
  payWorld,
  sim,
  until,
  v2,
} from "./applied-helpers.js";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";
import { bridgePage, bridgeTokenOf, browseAs } from "./web-helpers.js";

const PAGE = "http://127.0.0.1:3000/shop";
const API_LIST = ["chooseWXPay", "addCard", "chooseCard", "openCard", "openProductSpecificView"];

const CARD = {
  card: {
    card_type: "GROUPON",
    groupon: {
      base_info: {
        logo_url: "http://mmbiz.qpic.cn/x/0",
        brand_name: "Tea House",
        code_type: "CODE_TYPE_QRCODE",
        title: "Tea for two",
        color: "Color010",
        notice: "Show at the counter",
        description: "One pot",
        sku: { quantity: 5 },
        date_info: { type: "DATE_TYPE_FIX_TERM", fixed_term: 30, fixed_begin_term: 0 },
        get_limit: 3,
      },
      deal_detail: "Oolong",
    },
  },
};

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`applied features on the JS-SDK bridge (${backend.name})`, () => {
    let r: Running;
    let w: PayWorld;
    let notify: NotifyServer;
    let token: string;
    let page: ReturnType<typeof bridgePage>;
    let n = 0;

    /** A page of `appid` browsed by `user`, its wx.config passed. */
    async function configuredPage(appid: string, user: string) {
      await r.raw(`/_mpstack/accounts/${appid}?handshake=false`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jssdkDomains: ["127.0.0.1"] }),
      });
      const p = bridgePage(r, await bridgeTokenOf(r, await browseAs(r, user)), PAGE);
      const c = (await r.post(`/_mpstack/accounts/${appid}/jssdk/signature`, { url: PAGE })).body as {
        appId: string;
        timestamp: number;
        nonceStr: string;
        signature: string;
      };
      expect(await p.config({ ...c, jsApiList: API_LIST })).toBe("config:ok");
      return p;
    }

    /** A v2 JSAPI order and the parameters chooseWXPay passes (jweixin drops appId, uses timeStamp). */
    async function payParams(): Promise<{ outTradeNo: string; params: Record<string, string> }> {
      const outTradeNo = `B${Date.now()}${++n}`;
      const { xml } = await v2(
        r,
        "/pay/unifiedorder",
        {
          appid: w.appid,
          mch_id: w.merchant.mchId,
          body: "Tea",
          out_trade_no: outTradeNo,
          total_fee: 1999,
          spbill_create_ip: "127.0.0.1",
          notify_url: `${notify.url}/notify`,
          trade_type: "JSAPI",
          openid: w.openid,
        },
        w.merchant.apiKey,
      );
      const signed: Record<string, string> = {
        appId: w.appid,
        timeStamp: String(Math.floor(Date.now() / 1000)),
        nonceStr: `n${n}`,
        package: `prepay_id=${xml.prepay_id}`,
        signType: "MD5",
      };
      const params: Record<string, string> = { ...signed, paySign: paySign(signed, w.merchant.apiKey) };
      delete params.appId;
      return { outTradeNo, params };
    }

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      notify = await notifyServer();
      w = await payWorld(r, ["pay", "card", "shop"]);
      token = await tokenFor(r, w.appid, w.secret);
      page = await configuredPage(w.appid, w.user);
    });
    afterAll(async () => {
      await r?.close();
      await notify?.close();
    });

    it("chooseWXPay: the sheet over the page; the callback waits for the payer; closing it cancels", async () => {
      const { outTradeNo, params } = await payParams();
      const asked = await page.invoke("getBrandWCPayRequest", params);
      expect(asked.do).toMatchObject({ kind: "page", message: "mpstack:pay-result" });
      const path = String(asked.do?.path);
      expect(path).toMatch(/^\/_mpstack\/pay\/sheet\/[0-9a-f]{32}$/);
      // The sheet is the browsing user's page; nothing is paid yet.
      const session = path.split("/").pop();
      expect((await sim(r, "GET", `/_mpstack/pay/sessions/${session}`)).result).toBe("pending");
      // The user pays on the sheet (its form post), which posts to the bridge; the bridge continues.
      expect((await sim(r, "POST", `/_mpstack/pay/sessions/${session}`, { action: "pay" })).errMsg).toBe(
        "get_brand_wcpay_request:ok",
      );
      const paid = await page.choose("getBrandWCPayRequest", asked.c, { type: "mpstack:pay-result" });
      expect(paid.r).toEqual({ err_msg: "get_brand_wcpay_request:ok" });
      const note = await until(() => notify.received.find((x) => x.body.includes(outTradeNo)));
      expect(note.body).toContain("<result_code><![CDATA[SUCCESS]]></result_code>");
      // The same continuation cannot be answered twice.
      expect((await page.choose("getBrandWCPayRequest", asked.c, null)).r.err_msg).toMatch(/:fail, /);

      // Closed without an answer: cancelled, and the sheet can no longer pay.
      const second = await payParams();
      const open = await page.invoke("getBrandWCPayRequest", second.params);
      const closed = await page.choose("getBrandWCPayRequest", open.c, null);
      expect(closed.r).toEqual({ err_msg: "get_brand_wcpay_request:cancel" });
      const id = String(open.do?.path).split("/").pop();
      expect((await sim(r, "GET", `/_mpstack/pay/sessions/${id}`)).result).toBe("cancel");
      // A forged "paid" post does not pay: the platform's session decides.
      const third = await payParams();
      const forged = await page.invoke("getBrandWCPayRequest", third.params);
      expect(
        (await page.choose("getBrandWCPayRequest", forged.c, { type: "mpstack:pay-result", result: "ok" })).r,
      ).toEqual({ err_msg: "get_brand_wcpay_request:cancel" });
      expect(notify.received.some((x) => x.body.includes(third.outTradeNo))).toBe(false);
    });

    it("chooseWXPay with a bad paySign or a used prepay fails at once, without a sheet", async () => {
      const { params } = await payParams();
      const bad = await page.invoke("getBrandWCPayRequest", { ...params, paySign: "0".repeat(32) });
      expect(bad.do).toBeUndefined();
      expect(bad.r).toEqual({ err_msg: "get_brand_wcpay_request:fail", err_desc: "支付验证签名失败" });
      // WeixinJSBridge pages pass appId themselves; a page invoking the wx name is answered under it.
      const asked = await page.invoke("chooseWXPay", { ...params, appId: w.appid });
      await sim(r, "POST", `/_mpstack/pay/sessions/${String(asked.do?.path).split("/").pop()}`, {
        action: "fail",
        reason: "NOTENOUGH",
      });
      expect((await page.choose("chooseWXPay", asked.c, {})).r.err_msg).toBe("chooseWXPay:fail");
      const calls = (await sim(r, "GET", `/_mpstack/accounts/${w.appid}/jssdk/calls?user=${w.user}`)) as {
        calls: { api: string; errMsg: string }[];
      };
      expect(calls.calls.map((c) => `${c.api} ${c.errMsg}`)).toEqual(
        expect.arrayContaining(["chooseWXPay chooseWXPay:ok", "chooseWXPay chooseWXPay:fail"]),
      );
    });

    it("cards: signatures are checked against getticket's wx_card tickets; chooseCard and openCard", async () => {
      const card = (await r.post(`/card/create?access_token=${token}`, CARD)).body.card_id as string;
      await until(async () => {
        const got = (await r.post(`/card/get?access_token=${token}`, { card_id: card })).body as {
          card: { groupon: { base_info: { status: string } } };
        };
        return got.card.groupon.base_info.status === "CARD_STATUS_VERIFY_OK" || undefined;
      });
      const got = await r.get(`/cgi-bin/ticket/getticket?access_token=${token}&type=wx_card`);
      expect(got.body).toMatchObject({ errcode: 0, expires_in: 7200 });
      const ticket = String(got.body.ticket);
      const ext = (apiTicket: string, nonce: string) => {
        const e = { timestamp: String(Math.floor(Date.now() / 1000)), nonce_str: nonce, outer_str: "bridge" };
        const signature = cardExtSignature({
          apiTicket,
          timestamp: e.timestamp,
          cardId: card,
          nonceStr: nonce,
        });
        return { card_id: card, card_ext: JSON.stringify({ ...e, signature }) };
      };
      const madeUp = await page.invoke("batchAddCard", { card_list: [ext("made-up-ticket", "a1")] });
      expect(madeUp.r).toEqual({ err_msg: "batchAddCard:fail signature error" });
      const added = await page.invoke("batchAddCard", { card_list: [ext(ticket, "a2")] });
      expect(added.r.err_msg).toBe("batchAddCard:ok");
      const list = JSON.parse(String(added.r.card_list)) as Array<{
        card_id: string;
        code: string;
        is_succ: number;
      }>;
      expect(list).toEqual([expect.objectContaining({ card_id: card, is_succ: 1 })]);
      const code = (await r.post(`/card/code/decrypt?access_token=${token}`, { encrypt_code: list[0]?.code }))
        .body.code as string;
      const held = (await sim(r, "GET", `/_mpstack/users/${w.user}/cards?appid=${w.appid}`)) as {
        cards: { code: string }[];
      };
      expect(held.cards.map((c) => c.code)).toContain(code);

      const choose = { time_stamp: "1700000000", nonce_str: "c1", card_type: "GROUPON" };
      const cardSign = chooseCardSignature({
        apiTicket: ticket,
        appId: w.appid,
        timestamp: choose.time_stamp,
        nonceStr: choose.nonce_str,
        cardType: choose.card_type,
      });
      const asked = await page.invoke("chooseCard", { app_id: w.appid, ...choose, card_sign: cardSign });
      // The user's matching cards in a native sheet: the page is answered with what the user picks.
      expect(asked.do).toMatchObject({ kind: "choose", multiple: true });
      const options = (asked.do as { options: { value: string; label: string }[] }).options;
      expect(options.map((o) => o.label)).toEqual([`GROUPON · ${card} · ${code}`]);
      const cancelled = await page.choose("chooseCard", asked.c, null);
      expect(cancelled.r).toEqual({ err_msg: "chooseCard:cancel" });
      const again = await page.invoke("chooseCard", { app_id: w.appid, ...choose, card_sign: cardSign });
      // A value never offered is ignored.
      const chosen = await page.choose("chooseCard", again.c, [options[0]?.value, "7"]);
      expect(chosen.r.err_msg).toBe("chooseCard:ok");
      const mine = JSON.parse(String(chosen.r.choose_card_info)) as Array<{
        card_id: string;
        encrypt_code: string;
      }>;
      expect(mine.map((c) => c.card_id)).toEqual([card]);
      const decrypted = await r.post(`/card/code/decrypt?access_token=${token}`, {
        encrypt_code: mine[0]?.encrypt_code,
      });
      expect(decrypted.body.code).toBe(code);
      const wrong = await page.invoke("chooseCard", {
        app_id: w.appid,
        ...choose,
        card_sign: "0".repeat(40),
      });
      expect(wrong.r).toEqual({ err_msg: "chooseCard:ok", choose_card_info: "[]" });
      const opened = await page.invoke("batchViewCard", { card_list: [{ card_id: card, code }] });
      expect(opened.r).toEqual({ err_msg: "batchViewCard:ok" });
      expect(opened.do).toMatchObject({ kind: "info" });
      const notMine = await page.invoke("batchViewCard", { card_list: [{ card_id: card, code: "1" }] });
      expect(notMine.r).toEqual({ err_msg: "batchViewCard:fail invalid code" });
      expect((await page.invoke("batchAddCard", { card_list: "x" })).r.err_msg).toBe(
        "batchAddCard:fail, invalid card_list",
      );
    });

    it("openProductSpecificView shows the shop's product; an unknown one fails", async () => {
      const made = await r.post(`/merchant/create?access_token=${token}`, {
        product_base: { category_id: ["537074298"], name: "Tea cup", main_img: "http://mmbiz.qpic.cn/x/0" },
        sku_list: [{ sku_id: "1:2", price: 3000, ori_price: 5000, quantity: 2 }],
      });
      const pid = String(made.body.product_id);
      const shown = await page.invoke("openProductViewWithPid", { pid, view_type: 0 });
      expect(shown.r).toEqual({ err_msg: "openProductViewWithPid:ok" });
      expect(shown.do).toEqual({
        kind: "info",
        title: "商品详情 · Product: Tea cup",
        lines: [pid, "¥30.00 · 1:2"],
      });
      expect((await page.invoke("openProductViewWithPid", { pid: "pNoSuch" })).r).toEqual({
        err_msg: "openProductViewWithPid:fail invalid productId",
      });
    });

    it("without the grants: access denied for cards, shop and pay", async () => {
      const plain = await payWorld(r, []);
      const other = await configuredPage(plain.appid, plain.user);
      for (const api of [
        "batchAddCard",
        "chooseCard",
        "batchViewCard",
        "openProductViewWithPid",
        "getBrandWCPayRequest",
      ])
        expect((await other.invoke(api, { card_list: [], package: "prepay_id=x" })).r).toEqual({
          err_msg: "system:access_denied",
        });
    });
  });
}
