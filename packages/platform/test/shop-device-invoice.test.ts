/**
 * The shop, device and invoice families over real HTTP (spec/applied-features.md §2, §4, §5):
 * products, stock and orders with merchant_order pushed; devices authorised, bound by QR scan,
 * bytes both ways and status subscriptions with their pushes; the invoice authorisation flow with
 * the user's consent, insert, statuses and the 720xx codes; 48001 without grant or row.
 */
import type { InboundMessage } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PayWorld, payWorld, sim, until, withServer } from "./applied-helpers.js";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";
import { type DevServer, protocolReplier, startDevServer } from "./push-servers.js";

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`shop, device and invoice on ${backend.name}`, () => {
    let r: Running;
    let w: PayWorld;
    let dev: DevServer;
    let token: string;
    const pushes: InboundMessage[] = [];
    const call = async (path: string, body?: unknown, t = token) => {
      const url = `${path}${path.includes("?") ? "&" : "?"}access_token=${t}`;
      return (body === undefined ? await r.get(url) : await r.post(url, body)).body as Record<
        string,
        unknown
      >;
    };
    const pushed = (type: string, pred: (f: Record<string, unknown>) => boolean = () => true) =>
      until(() =>
        pushes.find(
          (m) => m.kind === "unknown" && (m.Event === type || m.MsgType === type) && pred(m.fields),
        ),
      );

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      w = await payWorld(r, ["shop", "device"]);
      dev = await startDevServer(() => ({ body: "success" }));
      dev.handle = protocolReplier(await withServer(r, w.appid, dev.url), () => "success", pushes);
      token = await tokenFor(r, w.appid, w.secret);
    });
    afterAll(async () => {
      await r?.close();
      await dev?.close();
    });

    it("shop: products, stock, a buyer's order (merchant_order), delivery, 40097 and 48001", async () => {
      const product = {
        product_base: { category_id: ["537074298"], name: "Tea cup", main_img: "http://mmbiz.qpic.cn/x/0" },
        sku_list: [{ sku_id: "1075741873:1079742386", price: 3000, ori_price: 5000, quantity: 2 }],
      };
      const { product_id } = await call("/merchant/create", product);
      expect(product_id).toMatch(/^p/);
      expect(
        (await call("/merchant/stock/add", { product_id, sku_info: "1075741873:1079742386", quantity: 3 }))
          .errmsg,
      ).toBe("success");
      expect(
        (await call("/merchant/stock/reduce", { product_id, sku_info: "1075741873:1079742386", quantity: 9 }))
          .errcode,
      ).toBe(40097);
      const info = (await call("/merchant/get", { product_id })).product_info as {
        sku_list: Array<{ quantity: number }>;
        status: number;
      };
      expect(info.sku_list[0]?.quantity).toBe(5);
      expect((await sim(r, "POST", "/_mpstack/users", { id: `buyer${backend.name}` })).id).toBeTruthy();
      const buyer = `buyer${backend.name}`;
      await r.post(`/_mpstack/users/${buyer}/follow`, { appid: w.appid });
      expect(
        (await r.post(`/_mpstack/users/${buyer}/shop-orders`, { appid: w.appid, productId: product_id }))
          .status,
      ).toBe(409);
      await call("/merchant/modproductstatus", { product_id, status: 1 });
      expect(((await call("/merchant/getbystatus", { status: 1 })).products_info as unknown[]).length).toBe(
        1,
      );
      const bought = await sim(r, "POST", `/_mpstack/users/${buyer}/shop-orders`, {
        appid: w.appid,
        productId: product_id,
        count: 2,
        receiver: { name: "Li" },
      });
      const event = await pushed("merchant_order", (f) => f.OrderId === bought.orderId);
      expect(event.kind === "unknown" && event.fields).toMatchObject({
        OrderStatus: "2",
        ProductId: product_id,
        SkuInfo: "1075741873:1079742386",
      });
      const order = (await call("/merchant/order/getbyid", { order_id: bought.orderId })).order;
      expect(order).toMatchObject({
        order_status: 2,
        order_total_price: 6000,
        product_count: 2,
        receiver_name: "Li",
      });
      expect(
        (
          await call("/merchant/order/setdelivery", {
            order_id: bought.orderId,
            delivery_company: "059Yunda",
            delivery_track_no: "1900",
            need_delivery: 1,
          })
        ).errcode,
      ).toBe(0);
      expect(
        ((await call("/merchant/order/getbyfilter", { status: 3 })).order_list as unknown[]).length,
      ).toBe(1);
      expect((await call("/merchant/order/close", { order_id: bought.orderId })).errcode).toBe(40097);
      expect((await call("/merchant/category/getsub", { cate_id: 1 })).cate_list).toEqual(
        expect.arrayContaining([{ id: "537074298", name: "茶具" }]),
      );
      expect((await call("/merchant/get", { product_id: "pNone" })).errcode).toBe(40097);
      const plain = await payWorld(r, []);
      expect(
        (await call("/merchant/create", product, await tokenFor(r, plain.appid, plain.secret))).errcode,
      ).toBe(48001);
    });

    it("device: authorise, QR, bind by scan (device_event), bytes both ways, status subscription, unbind", async () => {
      const auth = await call("/device/authorize_device", {
        device_num: "2",
        device_list: [
          { id: "lamp-1", mac: "123456789ABC" },
          { id: "lamp-2", mac: "not-a-mac" },
        ],
        op_type: "0",
        product_id: "1",
      });
      expect((auth.resp as Array<{ errcode: number }>).map((x) => x.errcode)).toEqual([0, 40097]);
      const qr = await call("/device/create_qrcode", { device_num: 1, device_id_list: ["lamp-1"] });
      const ticket = (qr.code_list as Array<{ ticket: string }>)[0]?.ticket ?? "";
      expect(ticket).toMatch(/^https:\/\/we\.qq\.com\/d\//);
      expect(await call("/device/verify_qrcode", { ticket })).toMatchObject({
        errcode: 0,
        device_id: "lamp-1",
        mac: "123456789ABC",
      });
      expect((await call("/device/get_stat?device_id=lamp-1")).status).toBe(1);
      await sim(r, "POST", `/_mpstack/users/${w.user}/devices/scan`, { ticket });
      const bind = await pushed("device_event", (f) => f.DeviceID === "lamp-1");
      expect(bind.kind === "unknown" && bind.Event).toBe("bind");
      expect((await call("/device/get_stat?device_id=lamp-1")).status).toBe(2);
      expect(
        (await call(`/device/get_openid?device_type=${bind.ToUserName}&device_id=lamp-1`)).open_id,
      ).toEqual([w.openid]);
      expect((await call(`/device/get_bind_device?openid=${w.openid}`)).device_list).toEqual([
        { device_type: bind.ToUserName, device_id: "lamp-1" },
      ]);
      await sim(r, "POST", `/_mpstack/devices/${w.appid}/lamp-1/send`, { user: w.user, content: "aGVsbG8=" });
      const text = await pushed("device_text");
      expect(text.kind === "unknown" && text.fields).toMatchObject({
        DeviceID: "lamp-1",
        Content: "aGVsbG8=",
        OpenID: w.openid,
      });
      const msg = { device_type: bind.ToUserName, device_id: "lamp-1", open_id: w.openid };
      expect(await call("/device/transmsg", { ...msg, content: "b24=" })).toEqual({
        ret: 0,
        ret_info: "this is ok",
      });
      expect(await call("/device/transmsg", { ...msg, msg_type: "2", device_status: "1" })).toEqual({
        ret: -1,
        ret_info: "get subscribe cache fail",
      });
      await sim(r, "POST", `/_mpstack/devices/${w.appid}/lamp-1/subscribe-status`, {
        user: w.user,
        opType: 2,
      });
      await pushed("device_event", (f) => f.OpType === "2");
      expect((await call("/device/transmsg", { ...msg, msg_type: "2", device_status: "1" })).ret).toBe(0);
      expect(
        (
          (await sim(r, "GET", `/_mpstack/devices/${w.appid}/lamp-1/inbox`)).messages as Array<{
            content: string;
          }>
        ).map((m) => m.content),
      ).toEqual(["b24=", "status:1"]);
      expect(
        (await call("/device/unbind", { ticket, device_id: "lamp-1", openid: w.openid })).base_resp,
      ).toEqual({ errcode: 0, errmsg: "ok" });
      expect(
        (await call("/device/bind", { ticket: "wrong", device_id: "lamp-1", openid: w.openid })).base_resp,
      ).toMatchObject({ errcode: 40097 });
      expect(
        (await call("/device/compel_bind", { device_id: "lamp-1", openid: "oNobody" })).base_resp,
      ).toMatchObject({ errcode: 40003 });
      expect((await call("/device/transmsg", { ...msg, content: "b24=" })).ret).toBe(-1);
      const fresh = await call("/device/getqrcode?product_id=1");
      expect(fresh).toMatchObject({
        base_resp: { errcode: 0 },
        qrticket: expect.stringMatching(/^https:\/\/we\.qq\.com\/d\//),
      });
    });

    it("invoice: settings, auth URL (72028, 72029, 72056), consent (user_authorize_invoice), insert (72015, 72017, 72018), statuses (72023, 72024), expiry (72050)", async () => {
      const order = (order_id: string, ticket: string, extra: Record<string, unknown> = {}) => ({
        s_pappid: "sp",
        order_id,
        money: 1999,
        timestamp: 1700000000,
        source: "web",
        ticket,
        type: 1,
        ...extra,
      });
      const { ticket } = await sim(r, "POST", `/_mpstack/accounts/${w.appid}/card-ticket`);
      const t = String(ticket);
      expect((await call("/card/invoice/getauthurl", order("O1", t))).errcode).toBe(72028);
      await call("/card/invoice/setbizattr?action=set_pay_mch", {
        paymch_info: { mchid: "1230000", s_pappid: "sp" },
      });
      expect((await call("/card/invoice/getauthurl", order("O1", t))).errcode).toBe(72029);
      await call("/card/invoice/setbizattr?action=set_auth_field", {
        auth_field: { user_field: { require_phone: 1 } },
      });
      expect((await call("/card/invoice/setbizattr?action=get_pay_mch", {})).paymch_info).toMatchObject({
        mchid: "1230000",
      });
      expect((await call("/card/invoice/getauthurl", order("O1", "bad"))).errcode).toBe(40097);
      const { auth_url } = await call("/card/invoice/getauthurl", order("O1", t));
      expect((await call("/card/invoice/getauthurl", order("O1", t, { money: 1 }))).errcode).toBe(72056);
      expect((await call("/card/invoice/getauthdata", { s_pappid: "sp", order_id: "O1" })).errcode).toBe(
        72049,
      );
      expect((await call("/card/invoice/getauthdata", { s_pappid: "sp", order_id: "nope" })).errcode).toBe(
        72038,
      );
      expect(
        await sim(r, "POST", `/_mpstack/users/${w.user}/invoice-auth`, {
          authUrl: auth_url,
          accept: true,
          fields: { title: "Tea Ltd", email: "a@b.c" },
        }),
      ).toMatchObject({ ok: true });
      const authorized = await pushed("user_authorize_invoice", (f) => f.SuccOrderId === "O1");
      expect(authorized.kind === "unknown" && authorized.fields.AppId).toBe(w.appid);
      expect(await call("/card/invoice/getauthdata", { s_pappid: "sp", order_id: "O1" })).toMatchObject({
        invoice_status: "auth success",
        user_auth_info: { user_field: { title: "Tea Ltd" } },
      });
      const invoiceData = {
        fee: 1999,
        title: "Tea Ltd",
        billing_time: 1700000000,
        billing_no: "001",
        billing_code: "002",
        info: [{ name: "tea", num: 1, unit: "box", price: 1999 }],
      };
      const insert = (card_id: string, data = invoiceData) =>
        call("/card/invoice/insert", {
          order_id: "O1",
          card_id,
          appid: w.appid,
          card_ext: { nonce_str: "n", user_card: { invoice_user_data: data } },
        });
      expect((await insert("pAny")).errcode).toBe(72015);
      await call("/card/invoice/seturl", {});
      const { card_id } = await call("/card/invoice/platform/createcard", {
        invoice_info: {
          base_info: { logo_url: "http://x/0", title: "Invoice" },
          payee: "Tea Ltd",
          type: "增值税普通发票",
        },
      });
      expect((await insert(String(card_id), { ...invoiceData, title: " " })).errcode).toBe(72017);
      const inserted = await insert(String(card_id));
      expect(inserted).toMatchObject({ errcode: 0, openid: w.openid });
      expect((await insert(String(card_id))).errcode).toBe(72018);
      expect(
        (await call("/card/invoice/rejectinsert", { s_pappid: "sp", order_id: "O1", reason: "x" })).errcode,
      ).toBe(72018);
      await call("/card/invoice/platform/updatestatus", {
        card_id,
        code: inserted.code,
        reimburse_status: "INVOICE_REIMBURSE_INIT",
      });
      await pushed("update_invoice_status", (f) => f.Code === inserted.code);
      const [mine] = (await sim(r, "GET", `/_mpstack/users/${w.user}/invoices`)).invoices as Array<{
        encryptCode: string;
      }>;
      const reimburse = { card_id, encrypt_code: mine?.encryptCode };
      expect((await call("/card/invoice/reimburse/getinvoiceinfo", reimburse)).user_info).toMatchObject({
        title: "Tea Ltd",
        fee: 1999,
        reimburse_status: "INVOICE_REIMBURSE_INIT",
      });
      const status = (s: string) =>
        call("/card/invoice/reimburse/updateinvoicestatus", { ...reimburse, reimburse_status: s });
      expect((await status("INVOICE_REIMBURSE_LOCK")).errcode).toBe(0);
      expect((await status("INVOICE_REIMBURSE_LOCK")).errcode).toBe(72023);
      expect((await status("INVOICE_REIMBURSE_CLOSURE")).errcode).toBe(0);
      expect((await status("INVOICE_REIMBURSE_INIT")).errcode).toBe(72024);
      await call("/card/invoice/getauthurl", order("O2", t));
      await sim(r, "POST", "/_mpstack/clock", { advanceSeconds: 7300 });
      const t2 = await tokenFor(r, w.appid, w.secret);
      expect((await call("/card/invoice/getauthdata", { s_pappid: "sp", order_id: "O2" }, t2)).errcode).toBe(
        72050,
      );
      const us = await r.post("/_mpstack/accounts", { type: "subscription", verified: false });
      const usToken = await tokenFor(r, String(us.body.appid), String(us.body.secret));
      expect((await call("/card/invoice/seturl", {}, usToken)).errcode).toBe(48001);
    });
  });
}
