/**
 * Cards and coupons over real HTTP (spec/applied-features.md §3): create (every validation code),
 * review with its events, QR codes scanned through the QR module, addCard / chooseCard / openCard
 * with the card signatures of jssdk.md §6, codes (get, decrypt, consume, deposit, check), stock
 * and get_limit, the card events pushed to the developer's server, and 48001 without the grant.
 */
import type { InboundMessage } from "@mpstack/protocol";
import { cardExtSignature, chooseCardSignature } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PayWorld, payWorld, sim, until, withServer } from "./applied-helpers.js";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";
import { type DevServer, protocolReplier, startDevServer } from "./push-servers.js";

const CASH = (extra: Record<string, unknown> = {}, card: Record<string, unknown> = {}) => ({
  card: {
    card_type: "CASH",
    cash: {
      base_info: {
        logo_url: "http://mmbiz.qpic.cn/x/0",
        brand_name: "Tea House",
        code_type: "CODE_TYPE_QRCODE",
        title: "10 off",
        color: "Color010",
        notice: "Show at the counter",
        description: "Not combinable",
        sku: { quantity: 2 },
        date_info: { type: "DATE_TYPE_FIX_TERM", fixed_term: 30, fixed_begin_term: 0 },
        get_limit: 1,
        ...extra,
      },
      least_cost: 5000,
      reduce_cost: 1000,
    },
    ...card,
  },
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`cards on ${backend.name}`, () => {
    let r: Running;
    let w: PayWorld;
    let dev: DevServer;
    let token: string;
    const events: InboundMessage[] = [];
    const api = async (path: string, body: unknown) =>
      (await r.post(`/card/${path}?access_token=${token}`, body)).body as Record<string, unknown>;
    const errcode = async (path: string, body: unknown) => (await api(path, body)).errcode;
    const event = (name: string, code?: string) =>
      until(() =>
        events.find(
          (m) =>
            m.kind === "unknown" &&
            m.Event === name &&
            (code === undefined || m.fields.UserCardCode === code),
        ),
      );
    const newCard = async (extra: Record<string, unknown> = {}) => {
      const created = await api("create", CASH(extra));
      expect(created.errcode).toBe(0);
      return created.card_id as string;
    };
    const approved = (cardId: string) =>
      until(async () => {
        const card = (await api("get", { card_id: cardId })).card as {
          cash: { base_info: { status: string } };
        };
        return card.cash.base_info.status === "CARD_STATUS_VERIFY_OK" || undefined;
      });
    const newUser = async (id: string) => {
      await sim(r, "POST", "/_mpstack/users", { id });
      return (await sim(r, "POST", `/_mpstack/users/${id}/follow`, { appid: w.appid })).openid as string;
    };

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      w = await payWorld(r, ["card"]);
      dev = await startDevServer(() => ({ body: "success" }));
      const account = await withServer(r, w.appid, dev.url);
      dev.handle = protocolReplier(account, () => "success", events);
      token = await tokenFor(r, w.appid, w.secret);
    });
    afterAll(async () => {
      await r?.close();
      await dev?.close();
    });

    it("answers 48001 without the card grant", async () => {
      const other = await payWorld(r, []);
      const t = await tokenFor(r, other.appid, other.secret);
      const res = await r.post(`/card/create?access_token=${t}`, CASH());
      expect(res.body.errcode).toBe(48001);
    });

    it("validates card/create: 40071, 41011, 45021, 40122, 40100, 40072", async () => {
      expect(await errcode("create", { card: { card_type: "BOARDING_PASS" } })).toBe(40071);
      expect(await errcode("create", CASH({ title: undefined }))).toBe(41011);
      expect(await errcode("create", CASH({ title: "一二三四五六七八九十" }))).toBe(45021);
      expect(await errcode("create", CASH({ sku: { quantity: 100_000_001 } }))).toBe(40122);
      expect(
        await errcode(
          "create",
          CASH({ date_info: { type: "DATE_TYPE_FIX_TIME_RANGE", begin_timestamp: 2, end_timestamp: 1 } }),
        ),
      ).toBe(40100);
      expect(await errcode("create", CASH({ location_id_list: [123] }))).toBe(40072);
      expect(await errcode("get", {})).toBe(41012);
      expect(await errcode("get", { card_id: "pNoSuchCard" })).toBe(40073);
    });

    it("reviews: card_pass_check pushed; a card under review only for the whitelist (40078)", async () => {
      const auto = await newCard();
      await event("card_pass_check");
      expect(
        ((await api("get", { card_id: auto })).card as Record<string, { base_info: { status: string } }>).cash
          ?.base_info.status,
      ).toBe("CARD_STATUS_VERIFY_OK");
      await sim(r, "PATCH", `/_mpstack/accounts/${w.appid}/card-settings`, { review: "manual" });
      const manual = await newCard({ get_limit: 5 });
      const qr = await api("qrcode/create", {
        action_name: "QR_CARD",
        action_info: { card: { card_id: manual } },
      });
      const scan = await sim(r, "POST", `/_mpstack/users/${w.user}/scan`, { ticket: qr.ticket });
      expect(scan.error).toMatchObject({ errcode: 40078 });
      await api("testwhitelist/set", { openid: [w.openid] });
      expect((await sim(r, "POST", `/_mpstack/users/${w.user}/scan`, { ticket: qr.ticket })).event).toBe(
        "user_get_card",
      );
      const rejected = await newCard();
      await sim(r, "POST", `/_mpstack/accounts/${w.appid}/cards/${rejected}/review`, {
        pass: false,
        reason: "logo",
      });
      const refused = await event("card_not_pass_check");
      expect(refused.kind === "unknown" && refused.fields.RefuseReason).toBe("logo");
      await sim(r, "PATCH", `/_mpstack/accounts/${w.appid}/card-settings`, { review: "auto" });
    });

    it("QR scan gives the card (user_get_card); get, decrypt, consume; 40099, 40056, 45033, 45031", async () => {
      const card = await newCard();
      await approved(card);
      const qr = await api("qrcode/create", {
        action_name: "QR_CARD",
        expire_seconds: 1800,
        action_info: { card: { card_id: card, outer_str: "door" } },
      });
      expect(qr.url).toMatch(/^http:\/\/weixin\.qq\.com\/q\//);
      const png = await r.raw(`/cgi-bin/showqrcode?ticket=${encodeURIComponent(String(qr.ticket))}`);
      expect([png.status, png.headers.get("content-type")]).toEqual([200, "image/png"]);
      const scan = await sim(r, "POST", `/_mpstack/users/${w.user}/scan`, { url: qr.url });
      const [claimed] = scan.claimed as Array<{ code: string }>;
      const code = claimed?.code ?? "";
      const got = await event("user_get_card", code);
      expect(got.kind === "unknown" && got.fields).toMatchObject({
        CardId: card,
        OuterStr: "door",
        IsGiveByFriend: "0",
      });
      expect(
        (await sim(r, "POST", `/_mpstack/users/${w.user}/scan`, { ticket: qr.ticket })).error,
      ).toMatchObject({ errcode: 45033 });
      const before = await api("code/get", { code, check_consume: true });
      expect(before).toMatchObject({
        errcode: 0,
        openid: w.openid,
        can_consume: true,
        user_card_status: "NORMAL",
      });
      expect(await api("code/consume", { code })).toMatchObject({ errcode: 0, openid: w.openid });
      const consumed = await event("user_consume_card", code);
      expect(consumed.kind === "unknown" && consumed.fields.ConsumeSource).toBe("FROM_API");
      expect(await errcode("code/consume", { code })).toBe(40099);
      expect((await api("code/get", { code })).user_card_status).toBe("CONSUMED");
      expect(await errcode("code/get", { code: "000000000000" })).toBe(40056);
      expect(await errcode("code/get", {})).toBe(41013);
      const second = await newUser(`c2${backend.name}`);
      const third = await newUser(`c3${backend.name}`);
      expect(second).toBeTruthy();
      await sim(r, "POST", `/_mpstack/users/c2${backend.name}/scan`, { ticket: qr.ticket });
      expect(
        (await sim(r, "POST", `/_mpstack/users/c3${backend.name}/scan`, { ticket: qr.ticket })).error,
      ).toMatchObject({ errcode: 45031 });
      expect(third).toBeTruthy();
      expect(await errcode("modifystock", { card_id: card, reduce_stock_value: 5 })).toBe(45031);
      expect(await errcode("modifystock", { card_id: card, increase_stock_value: 3 })).toBe(0);
      expect(await errcode("qrcode/create", { action_name: "QR_NOPE", action_info: {} })).toBe(40053);
      expect(
        await errcode("qrcode/create", {
          action_name: "QR_MULTIPLE_CARD",
          action_info: { multiple_card: { card_list: Array(6).fill({ card_id: card }) } },
        }),
      ).toBe(45039);
      expect(await errcode("code/decrypt", { encrypt_code: "bm90IGEgY29kZQ==" })).toBe(40075);
    });

    it("addCard with a signed cardExt, chooseCard with cardSign, openCard; unavailable → 40127; deleted → user_del_card", async () => {
      const card = await newCard({ get_limit: 3 });
      await approved(card);
      const { ticket } = await sim(r, "POST", `/_mpstack/accounts/${w.appid}/card-ticket`);
      const ext = { timestamp: String(Math.floor(Date.now() / 1000)), nonce_str: "n1", outer_str: "page" };
      const signature = cardExtSignature({
        apiTicket: String(ticket),
        timestamp: ext.timestamp,
        cardId: card,
        nonceStr: "n1",
      });
      const bad = await sim(r, "POST", `/_mpstack/users/${w.user}/cards/add`, {
        appid: w.appid,
        cardList: [{ cardId: card, cardExt: JSON.stringify({ ...ext, signature: "0".repeat(40) }) }],
      });
      expect(bad.errMsg).toBe("addCard:fail signature error");
      const added = await sim(r, "POST", `/_mpstack/users/${w.user}/cards/add`, {
        appid: w.appid,
        cardList: [{ cardId: card, cardExt: JSON.stringify({ ...ext, signature }) }],
      });
      expect(added.errMsg).toBe("addCard:ok");
      const encrypted = (added.cardList as Array<{ code: string; isSuccess: boolean }>)[0]?.code ?? "";
      const code = (await api("code/decrypt", { encrypt_code: encrypted })).code as string;
      await event("user_get_card", code);
      const choose = { timestamp: "1700000000", nonceStr: "c1", cardType: "CASH" };
      const cardSign = chooseCardSignature({ apiTicket: String(ticket), appId: w.appid, ...choose });
      const chosen = await sim(r, "POST", `/_mpstack/users/${w.user}/cards/choose`, {
        appid: w.appid,
        params: { ...choose, cardSign },
      });
      const list = JSON.parse(String(chosen.cardList)) as Array<{ card_id: string; encrypt_code: string }>;
      expect(list.some((x) => x.card_id === card)).toBe(true);
      const wrong = await sim(r, "POST", `/_mpstack/users/${w.user}/cards/choose`, {
        appid: w.appid,
        params: { ...choose, cardSign: "x" },
      });
      expect(wrong.cardList).toBe("[]");
      expect(
        (
          await sim(r, "POST", `/_mpstack/users/${w.user}/cards/open`, {
            appid: w.appid,
            cardList: [{ cardId: card, code }],
          })
        ).errMsg,
      ).toBe("openCard:ok");
      await event("user_view_card", code);
      expect(await errcode("code/unavailable", { code, reason: "refund" })).toBe(0);
      expect(await errcode("code/consume", { code })).toBe(40127);
      await sim(r, "POST", `/_mpstack/users/${w.user}/cards/delete`, { appid: w.appid, code });
      await event("user_del_card", code);
      const list2 = await api("user/getcardlist", { openid: w.openid, card_id: card });
      expect(list2.card_list).toEqual([]);
      const denied = await payWorld(r, []);
      const noGrant = await sim(r, "POST", `/_mpstack/users/${denied.user}/cards/add`, {
        appid: denied.appid,
        cardList: [],
      });
      expect(noGrant.errMsg).toBe("addCard:permission denied");
    });

    it("custom codes: deposit (43009, 40109), check, claim a deposited code, 40116 and 40146", async () => {
      const plain = await newCard();
      expect(await errcode("code/deposit", { card_id: plain, code: ["A1"] })).toBe(43009);
      const custom = await newCard({ use_custom_code: true, get_limit: 5 });
      expect(
        await errcode("code/deposit", {
          card_id: custom,
          code: Array.from({ length: 101 }, (_, i) => `C${i}`),
        }),
      ).toBe(40109);
      const dep = await api("code/deposit", { card_id: custom, code: ["C100", "C101", "bad code!"] });
      expect(dep).toMatchObject({ succ_code: ["C100", "C101"], fail_code: ["bad code!"] });
      expect((await api("code/getdepositcount", { card_id: custom })).count).toBe(2);
      expect(await api("code/checkcode", { card_id: custom, code: ["C100", "C999"] })).toMatchObject({
        exist_code: ["C100"],
        not_exist_code: ["C999"],
      });
      await approved(custom);
      const noCode = await api("qrcode/create", {
        action_name: "QR_CARD",
        action_info: { card: { card_id: custom } },
      });
      expect(
        (await sim(r, "POST", `/_mpstack/users/${w.user}/scan`, { ticket: noCode.ticket })).error,
      ).toMatchObject({ errcode: 40116 });
      const qr = await api("qrcode/create", {
        action_name: "QR_CARD",
        action_info: { card: { card_id: custom, code: "C100" } },
      });
      expect((await sim(r, "POST", `/_mpstack/users/${w.user}/scan`, { ticket: qr.ticket })).claimed).toEqual(
        [{ cardId: custom, code: "C100" }],
      );
      expect(
        (await sim(r, "POST", `/_mpstack/users/${w.user}/scan`, { ticket: qr.ticket })).error,
      ).toMatchObject({ errcode: 40146 });
      expect(await errcode("code/get", { code: "C100" })).toBe(41012);
      expect((await api("code/get", { code: "C100", card_id: custom })).openid).toBe(w.openid);
    });

    it("a code outside its validity answers 40079", async () => {
      const now = Math.floor(Date.now() / 1000);
      const card = await newCard({
        date_info: { type: "DATE_TYPE_FIX_TIME_RANGE", begin_timestamp: now - 60, end_timestamp: now + 3600 },
      });
      await approved(card);
      const qr = await api("qrcode/create", {
        action_name: "QR_CARD",
        action_info: { card: { card_id: card } },
      });
      const [claimed] = (await sim(r, "POST", `/_mpstack/users/${w.user}/scan`, { ticket: qr.ticket }))
        .claimed as Array<{ code: string }>;
      await sim(r, "POST", "/_mpstack/clock", { advanceSeconds: 3700 });
      token = await tokenFor(r, w.appid, w.secret);
      expect(await errcode("code/consume", { code: claimed?.code })).toBe(40079);
      expect((await api("code/get", { code: claimed?.code })).user_card_status).toBe("EXPIRE");
    });
  });
}
