/**
 * The message handler against the real platform, over real HTTP: the platform in-process on
 * 127.0.0.1:0 (temporary SQLite folder, demo world) pushes every message and event type to a
 * developer server built with `createHandler` on node:http, in plain, compatible and safe mode (the
 * server settings are saved through the platform's handshake route). The platform judges each
 * answer as WeChat does, so a "replied" push proves the reply was sealed correctly for the mode.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, demoAppid, demoSecret, type Platform } from "@mpstack/platform";
import type { Reply } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, toNodeHttp } from "../src/index.js";
import { EVERY_PUSHING_BUTTON, integrationHandler, type Received } from "./integration-bot.js";

const APPID = demoAppid(4); // verified service account: menus, QR codes, location reporting
const SECRET = demoSecret(4);
const TOKEN = "integrationToken";
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

interface PushView {
  pushId: string | null;
  status: string;
  reply: Reply | null;
  notice: string | null;
  attempts: { outcome: string; request: { query: Record<string, string> } }[];
}

let platform: Platform;
let platformUrl: string;
let dir: string;
let server: Server;
let serverUrl: string;
/** What the handler received, with the mode it detected, newest last. */
const received: Received[] = [];

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${platformUrl}/_mpstack${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function expectOk<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await call<T>(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const send = (user: string, message: Record<string, unknown>) =>
  expectOk<PushView>("POST", `/users/${user}/messages`, { appid: APPID, ...message });
const userEvent = <T = PushView>(user: string, event: Record<string, unknown>) =>
  expectOk<T>("POST", `/users/${user}/events`, { appid: APPID, ...event });
const click = (user: string, body: Record<string, unknown>) =>
  userEvent<{ event: string | null; push: PushView | null; followUps: PushView[] }>(user, {
    type: "click",
    ...body,
  });

function last(): Received {
  const entry = received.at(-1);
  if (!entry) throw new Error("the handler received nothing");
  return entry;
}

function textOf(push: PushView | null): string | undefined {
  const r = push?.reply;
  return r?.type === "text" ? r.content : undefined;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-integration-"));
  platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
  platformUrl = await platform.listen();
  server = createServer(
    toNodeHttp(integrationHandler({ appId: APPID, token: TOKEN, encodingAESKey: AES_KEY }, received)),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`;

  // The world the events need: a menu with every pushing button type, location reporting on entry.
  const client = createClient({ appId: APPID, appSecret: SECRET, baseUrl: platformUrl });
  await client.menu.create({ button: EVERY_PUSHING_BUTTON });
  await expectOk("PUT", `/accounts/${APPID}/location-settings`, { mode: "entry" });
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(["plain", "compatible", "safe"] as const)("every message and event type, %s mode", (mode) => {
  // Events are de-duplicated by sender, CreateTime (seconds) and content: each mode's events come
  // from a follower of its own, or the same event sent in the same second by another mode's test
  // would rightly be taken for a retry.
  const fan = `fan-${mode}`;

  beforeAll(async () => {
    await expectOk("POST", "/users", { id: fan, nickname: fan });
    await expectOk("POST", `/users/${fan}/follow`, { appid: APPID });
    const saved = await call("PUT", `/accounts/${APPID}/server`, {
      url: serverUrl,
      token: TOKEN,
      encodingAESKey: AES_KEY,
      mode,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  });

  /** The push arrived in the expected mode and the handler saw it in that mode. */
  function expectMode(push: PushView | null) {
    const query = push?.attempts[0]?.request.query ?? {};
    if (mode === "plain") expect(query.encrypt_type).toBeUndefined();
    else expect(query.encrypt_type).toBe("aes");
    expect(last().mode).toBe(mode);
  }

  it("ordinary messages: text, news reply, image, voice, video, shortvideo, location, link", async () => {
    const text = await send("alice", { type: "text", content: `hello ${mode} <&> 你好` });
    expect(text.status).toBe("replied");
    expect(textOf(text)).toBe(`text:hello ${mode} <&> 你好`);
    expectMode(text);
    expect(last().message).toMatchObject({
      kind: "text",
      MsgType: "text",
      Content: `hello ${mode} <&> 你好`,
    });
    expect(last().message.raw.MsgId).toMatch(/^\d+$/);

    expect(textOf(await send("alice", { type: "text", content: "echo regexp" }))).toBe("echo:regexp");
    const news = await send("alice", { type: "text", content: "news" });
    expect(news.reply).toEqual({
      type: "news",
      articles: [
        { title: "T", description: "D", picUrl: "http://127.0.0.1/p.png", url: "http://127.0.0.1/a" },
      ],
    });

    expect(textOf(await send("bob", { type: "image", mediaId: "IMG1" }))).toBe("image:IMG1:url");
    expect(textOf(await send("bob", { type: "voice", mediaId: "V1", recognition: "你好" }))).toBe(
      "voice:amr:你好",
    );
    expect(textOf(await send("bob", { type: "video", mediaId: "VID", thumbMediaId: "TH" }))).toBe(
      "video:VID:TH",
    );
    expect(textOf(await send("bob", { type: "shortvideo", mediaId: "SV", thumbMediaId: "TH2" }))).toBe(
      "shortvideo:SV:TH2",
    );
    const location = await send("bob", {
      type: "location",
      locationX: 31.2304,
      locationY: 121.4737,
      scale: 16,
      label: "The Bund",
    });
    expect(textOf(location)).toBe("location:number:31.2304,121.4737:16:The Bund");
    const link = await send("bob", {
      type: "link",
      title: "A & B",
      description: "desc",
      url: "https://example.com/x?a=1&b=2",
    });
    expect(textOf(link)).toBe("link:A & B:desc:https://example.com/x?a=1&b=2");
    expectMode(link);
  });

  it("follow events: subscribe, unsubscribe, subscribe through a QR code, SCAN", async () => {
    const user = `u-${mode}`;
    await expectOk("POST", "/users", { id: user, nickname: user });

    const subscribed = await userEvent(user, { type: "subscribe" });
    expect(subscribed.status).toBe("replied");
    expect(textOf(subscribed)).toBe("welcome");
    expect(last().message).toMatchObject({ kind: "event", Event: "subscribe" });
    expectMode(subscribed);

    const left = await userEvent(user, { type: "unsubscribe" });
    expect(left.status).toBe("replied");
    expect(last().message).toMatchObject({ kind: "event", Event: "unsubscribe" });

    // A follow from a parametric code pushes subscribe with qrscene_<scene>.
    const viaCode = await userEvent(user, { type: "subscribe", qrSceneStr: "vip-gold" });
    expect(textOf(viaCode)).toBe("scan-vip:subscribe:gold");
    expect(last().message).toMatchObject({ Event: "subscribe", EventKey: "qrscene_vip-gold" });

    // A follower scanning a real code of the account pushes SCAN with the bare scene and the ticket.
    const client = createClient({ appId: APPID, appSecret: SECRET, baseUrl: platformUrl });
    const code = await client.qrcode.create({
      action_name: "QR_STR_SCENE",
      expire_seconds: 600,
      action_info: { scene: { scene_str: `desk-${mode}` } },
    });
    const scan = await expectOk<{ event: string; push: PushView }>("POST", `/users/${user}/scan`, {
      ticket: code.ticket,
    });
    expect(scan.event).toBe("SCAN");
    expect(textOf(scan.push)).toBe(`scan:SCAN:desk-${mode}:ticket`);
    expect(last().message).toMatchObject({ Event: "SCAN", EventKey: `desk-${mode}`, Ticket: code.ticket });
    expectMode(scan.push);
  });

  it("LOCATION on entering the conversation", async () => {
    const entered = await expectOk<{ push: PushView | null }>("POST", `/users/${fan}/enter`, {
      appid: APPID,
      latitude: 22.5431,
      longitude: 114.0579,
      precision: 30,
    });
    expect(entered.push?.status).toBe("replied");
    expect(textOf(entered.push)).toBe("LOCATION:number:22.5431,114.0579:30");
    expectMode(entered.push);
    await expectOk("POST", `/users/${fan}/leave`, { appid: APPID });
  });

  it("menu events: CLICK (with fall-through), VIEW, view_miniprogram, scancode_*, pic_*, location_select", async () => {
    const clicked = await click(fan, { key: "K_CLICK" });
    expect(clicked.event).toBe("CLICK");
    expect(textOf(clicked.push)).toBe("click:CLICK");
    expectMode(clicked.push);
    expect(textOf((await click(fan, { key: "K_FALL" })).push)).toBe("wrapped(click:FALL)");
    // A CLICK no key route matches reaches the event route.
    expect(textOf((await click(fan, { key: "OTHER" })).push)).toBe("fallthrough:OTHER");

    const view = await click(fan, { name: "Site" });
    expect(textOf(view.push)).toMatch(/^VIEW:https:\/\/example\.com\/site:\d+$/);
    const mini = await click(fan, { name: "Mini" });
    expect(textOf(mini.push)).toMatch(/^view_miniprogram:pages\/index:\d+$/);

    expect(textOf((await click(fan, { key: "S_PUSH", scanResult: "hello-qr" })).push)).toBe(
      "scancode_push:S_PUSH:hello-qr",
    );
    expect(textOf((await click(fan, { key: "S_WAIT", scanResult: "wait & see" })).push)).toBe(
      "scancode_waitmsg:S_WAIT:wait & see",
    );

    const md5s = ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"];
    for (const [key, event] of [
      ["P_SYS", "pic_sysphoto"],
      ["P_ALBUM", "pic_photo_or_album"],
      ["P_WX", "pic_weixin"],
    ] as const) {
      const pics = await click(fan, { key, pictures: md5s.map((md5) => ({ md5 })), followUps: false });
      expect(textOf(pics.push)).toBe(`${event}:2:${md5s.join(",")}`);
    }

    const place = await click(fan, {
      key: "L_SELECT",
      location: { latitude: 39.9, longitude: 116.4, label: "Beijing", poiname: "Tiananmen" },
      followUps: false,
    });
    expect(textOf(place.push)).toBe("location_select:Beijing:Tiananmen");
    expectMode(place.push);
  });

  it("customer-service session events (raw pushes)", async () => {
    const created = await userEvent(fan, {
      type: "raw",
      event: "kf_create_session",
      fields: { KfAccount: "a@b" },
    });
    expect(textOf(created)).toBe("kf_create_session:a@b");
    const closed = await userEvent(fan, {
      type: "raw",
      event: "kf_close_session",
      fields: { KfAccount: "a@b" },
    });
    expect(textOf(closed)).toBe("kf_close_session:a@b");
    const switched = await userEvent(fan, {
      type: "raw",
      event: "kf_switch_session",
      fields: { FromKfAccount: "a@b", ToKfAccount: "c@b" },
    });
    expect(textOf(switched)).toBe("kf_switch_session:a@b>c@b");
    expectMode(switched);
  });

  it("system events arrive typed: job results, subscription messages, verification, authorisation", async () => {
    const cases: { event: string; fields: Record<string, unknown>; expected: Record<string, unknown> }[] = [
      {
        event: "TEMPLATESENDJOBFINISH",
        fields: { MsgID: "200163836", Status: "success" },
        expected: { MsgID: "200163836", Status: "success" },
      },
      {
        event: "MASSSENDJOBFINISH",
        fields: {
          MsgID: "1000001625",
          Status: "send success",
          TotalCount: 100,
          FilterCount: 80,
          SentCount: 75,
          ErrorCount: 5,
        },
        expected: { MsgID: "1000001625", TotalCount: 100, SentCount: 75, ErrorCount: 5 },
      },
      {
        event: "PUBLISHJOBFINISH",
        fields: {
          PublishEventInfo: {
            publish_id: "2247503051",
            publish_status: 0,
            article_id: "b5O2",
            article_detail: { count: 1, item: [{ idx: 1, article_url: "https://example.com/s/1" }] },
          },
        },
        expected: {
          PublishEventInfo: {
            publish_id: "2247503051",
            publish_status: 0,
            article_id: "b5O2",
            article_detail: { count: 1, item: [{ idx: 1, article_url: "https://example.com/s/1" }] },
            fail_idx: [],
          },
        },
      },
      {
        event: "subscribe_msg_popup_event",
        fields: {
          SubscribeMsgPopupEvent: {
            List: [
              { TemplateId: "T1", SubscribeStatusString: "accept", PopupScene: 2 },
              { TemplateId: "T2", SubscribeStatusString: "reject", PopupScene: 2 },
            ],
          },
        },
        expected: {
          SubscribeMsgPopupEvent: [
            { TemplateId: "T1", SubscribeStatusString: "accept", PopupScene: 2 },
            { TemplateId: "T2", SubscribeStatusString: "reject", PopupScene: 2 },
          ],
        },
      },
      {
        event: "subscribe_msg_change_event",
        fields: { SubscribeMsgChangeEvent: { List: { TemplateId: "T1", SubscribeStatusString: "reject" } } },
        expected: { SubscribeMsgChangeEvent: [{ TemplateId: "T1", SubscribeStatusString: "reject" }] },
      },
      {
        event: "subscribe_msg_sent_event",
        fields: {
          SubscribeMsgSentEvent: {
            List: { TemplateId: "T1", MsgID: "1700827132819554304", ErrorCode: 0, ErrorStatus: "success" },
          },
        },
        expected: {
          SubscribeMsgSentEvent: [
            { TemplateId: "T1", MsgID: "1700827132819554304", ErrorCode: 0, ErrorStatus: "success" },
          ],
        },
      },
      ...["qualification_verify_success", "naming_verify_success", "annual_renew", "verify_expired"].map(
        (event) => ({
          event,
          fields: { ExpiredTime: 1442401156 },
          expected: { ExpiredTime: 1442401156 },
        }),
      ),
      ...["qualification_verify_fail", "naming_verify_fail"].map((event) => ({
        event,
        fields: { FailTime: 1442401122, FailReason: "name taken" },
        expected: { FailTime: 1442401122, FailReason: "name taken" },
      })),
      ...["user_info_modified", "user_authorization_revoke", "user_authorization_cancellation"].map(
        (event) => ({
          event,
          fields: { OpenID: "o1", AppID: APPID },
          expected: { OpenID: "o1", AppID: APPID },
        }),
      ),
    ];
    for (const c of cases) {
      const pushed = await userEvent(fan, { type: "raw", event: c.event, fields: c.fields });
      expect(pushed.status, c.event).toBe("empty");
      expect(last().message, c.event).toMatchObject({ kind: "event", Event: c.event, ...c.expected });
      expectMode(pushed);
    }
  });
});
