/**
 * Menu taps reach a developer server (node:http + @mpstack/protocol, safe mode) as the events of
 * menu.md §8 / callback.md §5.4, with each type's XML fields; buttons without events deliver or open
 * content; a personalised menu's taps carry its MenuId.
 */
import { createHash } from "node:crypto";
import type { InboundMessage } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start, tokenFor } from "./helpers.js";
import {
  type DevAccount,
  type DevServer,
  protocolReplier,
  type ReplyChoice,
  startDevServer,
} from "./push-servers.js";

const VV: DevAccount = {
  appid: "wxd000000000000004",
  token: "mpstackdemo",
  encodingAESKey: `mpstackDemoEncodingAESKey${"4".padStart(18, "0")}`,
};

const MENU = {
  button: [
    { type: "click", name: "Today", key: "V1_TODAY" },
    { type: "view", name: "Shop", url: "https://shop.example.cn/index" },
    {
      name: "More",
      sub_button: [
        { type: "scancode_push", name: "Scan", key: "K_SCAN_PUSH" },
        { type: "scancode_waitmsg", name: "Scan wait", key: "K_SCAN_WAIT" },
        { type: "pic_photo_or_album", name: "Photo", key: "K_PIC" },
        { type: "location_select", name: "Where", key: "K_LOC" },
        {
          type: "miniprogram",
          name: "Mini",
          url: "https://shop.example.cn/fallback",
          appid: "wx2b7c4d6e8f0a1b3c",
          pagepath: "pages/home/index",
        },
      ],
    },
  ],
};

interface ClickAnswer {
  menuid: number;
  event: string | null;
  push: { status: string; reply?: { type: string; content?: string } } | null;
  followUps: { status: string }[];
  delivered: { direction: string; kind: string; msgType: string; payload: Record<string, unknown> } | null;
  opened: Record<string, unknown> | null;
}

describe("menu taps", () => {
  let r: Running;
  let dev: DevServer;
  let token: string;
  const messages: InboundMessage[] = [];
  let replyWith: (m: InboundMessage) => ReplyChoice = () => "success";
  const alice = { openid: "" };

  const tap = async (user: string, body: Record<string, unknown>, status = 200) => {
    const res = await r.post(`/_mpstack/users/${user}/menu-click`, { appid: VV.appid, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body as unknown as ClickAnswer;
  };
  const fields = (m: InboundMessage | undefined) => (m?.raw ?? {}) as Record<string, unknown>;
  const defaultMenuid = async () =>
    ((await r.get(`/_mpstack/accounts/${VV.appid}/menus`)).body as { menu: { menuid: number } }).menu.menuid;

  beforeAll(async () => {
    dev = await startDevServer(protocolReplier(VV, (m) => replyWith(m), messages));
    r = await start({ demoBotUrl: dev.url });
    token = await tokenFor(r, VV.appid, "d0000000000000000000000000000004");
    expect((await r.post(`/cgi-bin/menu/create?access_token=${token}`, MENU)).body.errcode).toBe(0);
    await r.raw(`/_mpstack/accounts/${VV.appid}/menu-settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientTtlSeconds: 0 }),
    });
    const u = (await r.get("/_mpstack/users/alice")).body as { follows: { appid: string; openid: string }[] };
    alice.openid = u.follows.find((f) => f.appid === VV.appid)?.openid ?? "";
  });
  afterAll(async () => {
    await r?.close();
    await dev?.close();
  });

  it("click → CLICK with the key; the passive reply reaches the user", async () => {
    replyWith = (m) => ({ type: "text", content: `got ${m.kind === "event" ? m.Event : "?"}` });
    const before = messages.length;
    const res = await tap("alice", { key: "V1_TODAY" });
    replyWith = () => "success";
    expect(res.event).toBe("CLICK");
    expect(res.push?.status).toBe("replied");
    expect(res.push?.reply).toMatchObject({ type: "text", content: "got CLICK" });
    expect(res.push).toMatchObject({ notice: null, pushId: expect.any(String) });
    expect(messages).toHaveLength(before + 1);
    const m = messages.at(-1);
    expect(m).toMatchObject({
      kind: "event",
      MsgType: "event",
      Event: "CLICK",
      EventKey: "V1_TODAY",
      ToUserName: expect.stringMatching(/^gh_/),
      FromUserName: alice.openid,
    });
    expect(Object.keys(fields(m))).toEqual([
      "ToUserName",
      "FromUserName",
      "CreateTime",
      "MsgType",
      "Event",
      "EventKey",
    ]);
    // by position too
    await tap("alice", { button: "0" });
    expect(messages.at(-1)).toMatchObject({ Event: "CLICK", EventKey: "V1_TODAY" });
  });

  it("view → VIEW with the URL and the menu's MenuId; miniprogram → view_miniprogram", async () => {
    const menuid = await defaultMenuid();
    const view = await tap("alice", { name: "Shop" });
    expect(view.opened).toEqual({ url: "https://shop.example.cn/index" });
    expect(fields(messages.at(-1))).toMatchObject({
      Event: "VIEW",
      EventKey: "https://shop.example.cn/index",
      MenuId: String(menuid),
    });
    const mini = await tap("alice", { button: "2.4" });
    expect(mini.event).toBe("view_miniprogram");
    expect(fields(messages.at(-1))).toMatchObject({
      Event: "view_miniprogram",
      EventKey: "pages/home/index",
      MenuId: String(menuid),
    });
  });

  it("scancode_push / scancode_waitmsg → ScanCodeInfo", async () => {
    await tap("alice", { key: "K_SCAN_PUSH", scanResult: "https://shop.example.cn/checkin?desk=12" });
    expect(fields(messages.at(-1))).toMatchObject({
      Event: "scancode_push",
      EventKey: "K_SCAN_PUSH",
      ScanCodeInfo: { ScanType: "qrcode", ScanResult: "https://shop.example.cn/checkin?desk=12" },
    });
    await tap("alice", { key: "K_SCAN_WAIT", scanResult: "6901234567892", scanType: "barcode" });
    const m = messages.at(-1);
    expect(m).toMatchObject({
      Event: "scancode_waitmsg",
      ScanCodeInfo: { ScanType: "barcode", ScanResult: "6901234567892" },
    });
    // scanResult is required
    await tap("alice", { key: "K_SCAN_WAIT" }, 400);
  });

  it("pic_* → SendPicsInfo with each picture's MD5, then one image message per picture", async () => {
    const pics = [Buffer.from("first picture bytes"), Buffer.from("second picture bytes")];
    const before = messages.length;
    const res = await tap("alice", {
      key: "K_PIC",
      pictures: pics.map((p) => ({ data: p.toString("base64") })),
    });
    expect(res.event).toBe("pic_photo_or_album");
    expect(res.followUps).toHaveLength(2);
    const got = messages.slice(before);
    expect(got.map((m) => m.MsgType)).toEqual(["event", "image", "image"]);
    const md5 = pics.map((p) => createHash("md5").update(p).digest("hex"));
    expect(got[0]).toMatchObject({
      Event: "pic_photo_or_album",
      EventKey: "K_PIC",
      SendPicsInfo: { Count: 2, PicList: md5.map((s) => ({ PicMd5Sum: s })) },
    });
    expect(fields(got[0]).SendPicsInfo).toEqual({
      Count: "2",
      PicList: { item: md5.map((s) => ({ PicMd5Sum: s })) },
    });
    // one picture without follow-up messages
    const one = await tap("alice", { key: "K_PIC", followUps: false });
    expect(one.followUps).toHaveLength(0);
    expect(messages.at(-1)).toMatchObject({ SendPicsInfo: { Count: 1 } });
  });

  it("location_select → SendLocationInfo, then the place as a location message", async () => {
    const before = messages.length;
    await tap("alice", {
      key: "K_LOC",
      location: { latitude: 31.2304, longitude: 121.4737, label: "Huangpu District, Shanghai" },
    });
    const got = messages.slice(before);
    expect(got).toHaveLength(2);
    expect(fields(got[0])).toMatchObject({
      Event: "location_select",
      EventKey: "K_LOC",
      SendLocationInfo: {
        Location_X: "31.2304",
        Location_Y: "121.4737",
        Scale: "15",
        Label: "Huangpu District, Shanghai",
        Poiname: "",
      },
    });
    expect(got[1]).toMatchObject({ kind: "location", Location_X: 31.2304, Location_Y: 121.4737, Scale: 15 });
    expect((got[1] as { MsgId?: string }).MsgId).toMatch(/^\d+$/);
    await tap("alice", { key: "K_LOC" }, 400);
  });

  it("parents open their sub-menu and content buttons push nothing", async () => {
    const before = messages.length;
    const parent = await tap("alice", { button: "2" });
    expect(parent.event).toBeNull();
    expect(parent.push).toBeNull();
    expect(parent.opened?.sub_button).toHaveLength(5);

    await r.post(`/cgi-bin/menu/create?access_token=${token}`, {
      button: [
        { type: "media_id", name: "Media", media_id: "MEDIA_1" },
        { type: "view_limited", name: "News", media_id: "NEWS_1" },
        { name: "Articles", sub_button: [{ type: "article_id", name: "A", article_id: "ART_1" }] },
      ],
    });
    const media = await tap("alice", { name: "Media" });
    expect(media.push).toBeNull();
    expect(media.delivered).toMatchObject({
      direction: "out",
      kind: "menu",
      payload: { media_id: "MEDIA_1" },
    });
    const limited = await tap("alice", { name: "News" });
    expect(limited.opened).toEqual({ media_id: "NEWS_1" });
    const article = await tap("alice", { button: "2.0" });
    expect(article.delivered).toMatchObject({ msgType: "article", payload: { article_id: "ART_1" } });
    expect(messages.length).toBe(before);
    const conv = (await r.get(`/_mpstack/users/alice/conversations/${VV.appid}`)).body.messages as {
      kind: string;
      payload: Record<string, unknown>;
    }[];
    expect(conv.filter((m) => m.kind === "menu").map((m) => m.payload)).toEqual([
      { media_id: "MEDIA_1" },
      { article_id: "ART_1" },
    ]);
    await r.post(`/cgi-bin/menu/create?access_token=${token}`, MENU);
  });

  it("a personalised menu's taps carry its MenuId; the events route dispatches clicks", async () => {
    await r.raw("/_mpstack/users/bob/client", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ platform: 2 }),
    });
    const added = await r.post(`/cgi-bin/menu/addconditional?access_token=${token}`, {
      button: [{ type: "view", name: "Android shop", url: "https://shop.example.cn/android" }],
      matchrule: { client_platform_type: "2" },
    });
    const menuid = String(added.body.menuid);
    const seen = (await r.get(`/_mpstack/users/bob/menu?appid=${VV.appid}`)).body;
    expect(seen).toMatchObject({ menuid: Number(menuid), conditional: true });
    const res = await r.post("/_mpstack/users/bob/events", { appid: VV.appid, type: "click", button: "0" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(fields(messages.at(-1))).toMatchObject({
      Event: "VIEW",
      EventKey: "https://shop.example.cn/android",
      MenuId: menuid,
    });
    // alice (platform "others") still gets the default menu
    await tap("alice", { button: "1" });
    expect(fields(messages.at(-1)).MenuId).toBe(String(await defaultMenuid()));
  });

  it("refuses taps by non-followers, on unknown buttons, and without a menu", async () => {
    await r.post("/_mpstack/users", { id: "gina" });
    await tap("gina", { key: "V1_TODAY" }, 409);
    await tap("alice", { key: "NOPE" }, 404);
    await tap("alice", { button: "2.9" }, 404);
    await tap("alice", {}, 400);
    await tap("nobody", { key: "V1_TODAY" }, 404);
    const bad = await r.post("/_mpstack/users/alice/events", {
      appid: VV.appid,
      type: "click",
      pictures: "x",
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toMatch(/pictures/);
    await r.get(`/cgi-bin/menu/delete?access_token=${token}`);
    await tap("alice", { key: "V1_TODAY" }, 409);
  });
});
