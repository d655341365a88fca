/**
 * Push round trips: server settings with the handshake, every message type, every reply type, the
 * three modes, against a node:http + @mpstack/protocol server and the node-webot `wechat` middleware.
 */
import {
  computeMsgSignature,
  computeSignature,
  type InboundMessage,
  MessageCrypto,
  parseXml,
  type Reply,
} from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { windowOpeners, windowSceneOf } from "../src/modules/push/index.js";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";
import {
  careless,
  type DevAccount,
  type DevServer,
  protocolReplier,
  type ReplyChoice,
  startDevServer,
  startWechatMiddlewareServer,
} from "./push-servers.js";

const VV: DevAccount = {
  appid: "wxd000000000000004",
  token: "mpstackdemo",
  encodingAESKey: `mpstackDemoEncodingAESKey${"4".padStart(18, "0")}`,
};
const MODES = ["plain", "compatible", "safe"] as const;
const NOTICE = "该公众号暂时无法提供服务，请稍后再试";

interface SendAnswer {
  pushId: string;
  status: string;
  reply: Reply | null;
  notice: string | null;
  attempts: {
    attempt: number;
    outcome: string;
    request: { url: string; query: Record<string, string>; body: string };
    response?: { status: number; body: string };
  }[];
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`push round trips on ${backend.name}`, () => {
    let r: Running;
    let dev: DevServer;
    const messages: InboundMessage[] = [];
    let replyWith: (m: InboundMessage) => ReplyChoice = () => "success";

    const setServer = (body: Record<string, unknown>) =>
      r.raw(`/_mpstack/accounts/${VV.appid}/server`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const send = async (user: string, body: Record<string, unknown>) => {
      const res = await r.post(`/_mpstack/users/${user}/messages`, { appid: VV.appid, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as unknown as SendAnswer;
    };
    const conversation = async (user: string) =>
      (await r.get(`/_mpstack/users/${user}/conversations/${VV.appid}`)).body.messages as {
        direction: string;
        kind: string;
        msgType: string;
        payload: Record<string, unknown>;
        msgId: string | null;
      }[];

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      dev = await startDevServer(protocolReplier(VV, (m) => replyWith(m), messages));
    });
    afterAll(async () => {
      await r?.close();
      await dev?.close();
    });

    it("saves server settings only after a correct handshake", async () => {
      const res = await setServer({ url: dev.url, mode: "safe" });
      const body = (await res.json()) as {
        ok: boolean;
        handshake: { result: string; query: Record<string, string> };
      };
      expect(res.status).toBe(200);
      expect(body.ok).toBe(true);
      const q = body.handshake.query;
      expect(q.signature).toBe(computeSignature(VV.token, q.timestamp!, q.nonce!));
      expect(q.echostr).toMatch(/^\d+$/);
      const get = dev.requests.find((x) => x.method === "GET");
      expect(get?.query).toEqual(q);
      const account = (await r.get(`/_mpstack/accounts/${VV.appid}`)).body as {
        server: { url: string; mode: string };
      };
      expect(account.server).toMatchObject({ url: dev.url, mode: "safe" });
    });

    for (const mode of MODES) {
      it(`round-trips a text message in ${mode} mode with that mode's query and body`, async () => {
        expect((await setServer({ url: dev.url, mode })).status).toBe(200);
        replyWith = (m) => ({ type: "text", content: `echo: ${m.kind === "text" ? m.Content : m.kind}` });
        const a = await send("alice", { type: "text", content: `hello ${mode}` });
        expect(a.status).toBe("replied");
        expect(a.reply).toEqual({ type: "text", content: `echo: hello ${mode}` });
        expect(a.notice).toBeNull();
        expect(a.attempts).toHaveLength(1);
        const { query, body } = a.attempts[0]!.request;
        expect(query.signature).toBe(computeSignature(VV.token, query.timestamp!, query.nonce!));
        expect(query.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
        const envelope = parseXml(body);
        if (mode === "plain") {
          expect(query.encrypt_type).toBeUndefined();
          expect(query.msg_signature).toBeUndefined();
          expect(envelope.Content).toBe(`hello ${mode}`);
          expect(envelope.Encrypt).toBeUndefined();
        } else {
          expect(query.encrypt_type).toBe("aes");
          const encrypt = envelope.Encrypt as string;
          expect(query.msg_signature).toBe(
            computeMsgSignature(VV.token, query.timestamp!, query.nonce!, encrypt),
          );
          const inner = parseXml(new MessageCrypto(VV.encodingAESKey, VV.appid).decrypt(encrypt).message);
          expect(inner.Content).toBe(`hello ${mode}`);
          if (mode === "safe") expect(Object.keys(envelope).sort()).toEqual(["Encrypt", "ToUserName"]);
          else expect(envelope.Content).toBe(`hello ${mode}`);
        }
        const last = messages.at(-1)!;
        expect(last.kind).toBe("text");
        expect(last.FromUserName).toBe(query.openid);
        expect(last.ToUserName).toMatch(/^gh_[0-9a-f]{12}$/);
        const conv = (await conversation("alice")).slice(-2);
        expect(conv[0]).toMatchObject({ direction: "in", kind: "message", msgType: "text" });
        expect(conv[0]!.payload.Content).toBe(`hello ${mode}`);
        expect(conv[0]!.msgId).toBe(last.kind === "text" ? last.MsgId : "");
        expect(conv[1]).toMatchObject({ direction: "out", kind: "passive", msgType: "text" });
        expect(conv[1]!.payload).toEqual({ type: "text", content: `echo: hello ${mode}` });
      });
    }

    it("pushes every ordinary message type with its fields", async () => {
      expect((await setServer({ url: dev.url, mode: "safe" })).status).toBe(200);
      replyWith = () => "success";
      const cases: [Record<string, unknown>, (m: InboundMessage) => void][] = [
        [
          { type: "image" },
          (m) => {
            if (m.kind !== "image") throw new Error(m.kind);
            expect(m.MediaId).toMatch(/^[A-Za-z0-9_-]{64}$/);
            expect(m.PicUrl).toBe(`${r.url}/_mpstack/user-media/${m.MediaId}`);
          },
        ],
        [
          { type: "image", mediaId: "MEDIA_1", picUrl: "http://127.0.0.1/p.jpg" },
          (m) =>
            expect(m).toMatchObject({ kind: "image", MediaId: "MEDIA_1", PicUrl: "http://127.0.0.1/p.jpg" }),
        ],
        [
          { type: "voice", recognition: "what is the weather" },
          (m) =>
            expect(m).toMatchObject({ kind: "voice", Format: "amr", Recognition: "what is the weather" }),
        ],
        [
          { type: "voice", mediaId: "V1", format: "speex" },
          (m) => {
            expect(m).toMatchObject({ kind: "voice", MediaId: "V1", Format: "speex" });
            expect("Recognition" in m).toBe(false);
          },
        ],
        [
          { type: "video", mediaId: "VID", thumbMediaId: "TH" },
          (m) => expect(m).toMatchObject({ kind: "video", MediaId: "VID", ThumbMediaId: "TH" }),
        ],
        [{ type: "shortvideo" }, (m) => expect(m.kind).toBe("shortvideo")],
        [
          {
            type: "location",
            locationX: 23.134521,
            locationY: 113.358803,
            scale: 20,
            label: "Example Road 1",
          },
          (m) =>
            expect(m).toMatchObject({
              kind: "location",
              Location_X: 23.134521,
              Location_Y: 113.358803,
              Scale: 20,
              Label: "Example Road 1",
            }),
        ],
        [
          {
            type: "link",
            title: "An article",
            description: "Worth reading",
            url: "https://example.invalid/a",
          },
          (m) =>
            expect(m).toMatchObject({
              kind: "link",
              Title: "An article",
              Description: "Worth reading",
              Url: "https://example.invalid/a",
            }),
        ],
        [
          { type: "text", content: "menu pick", bizmsgmenuid: "101", msgId: "23456789012345678901" },
          (m) =>
            expect(m).toMatchObject({ kind: "text", bizmsgmenuid: "101", MsgId: "23456789012345678901" }),
        ],
      ];
      const ids = new Set<string>();
      for (const [body, check] of cases) {
        const a = await send("bob", body);
        expect(a.status, JSON.stringify(a.attempts[0]?.response)).toBe("empty");
        const m = messages.at(-1)!;
        check(m);
        const msgId = (m as { MsgId?: string }).MsgId ?? "";
        expect(msgId).toMatch(/^\d{15,20}$/);
        ids.add(msgId);
      }
      expect(ids.size).toBe(cases.length);
      // The generated PicUrl serves image bytes.
      const img = messages.find((m) => m.kind === "image")!;
      const pic = await fetch((img as { PicUrl: string }).PicUrl);
      expect(pic.headers.get("content-type")).toBe("image/png");
      expect((await pic.arrayBuffer()).byteLength).toBeGreaterThan(0);
    });

    it("rejects messages a client could not send", async () => {
      const bad = async (user: string, body: Record<string, unknown>, status: number) => {
        const res = await r.post(`/_mpstack/users/${user}/messages`, { appid: VV.appid, ...body });
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        return res.body as { error: { code: string; message: string } };
      };
      expect((await bad("alice", { type: "text" }, 400)).error.message).toContain("content");
      expect((await bad("alice", { type: "location", locationX: 1 }, 400)).error.message).toContain(
        "locationY",
      );
      expect((await bad("alice", { type: "sticker" }, 400)).error.code).toBe("invalid_request");
      await r.post("/_mpstack/users", { id: "stranger" });
      expect((await bad("stranger", { type: "text", content: "hi" }, 403)).error.code).toBe("not_following");
      expect((await bad("nobody", { type: "text", content: "hi" }, 404)).error.code).toBe("not_found");
    });

    it("delivers every passive reply type, typed, into the conversation", async () => {
      expect((await setServer({ url: dev.url, mode: "compatible" })).status).toBe(200);
      const replies: Reply[] = [
        { type: "text", content: "line 1\nline 2" },
        { type: "image", mediaId: "IMG_1" },
        { type: "voice", mediaId: "VOICE_1" },
        { type: "video", mediaId: "VIDEO_1", title: "Demo clip", description: "Thirty seconds" },
        {
          type: "music",
          thumbMediaId: "THUMB_1",
          title: "Song",
          description: "Artist",
          musicUrl: "https://example.invalid/s.mp3",
          hqMusicUrl: "https://example.invalid/hq.mp3",
        },
        {
          type: "news",
          articles: [
            {
              title: "Digest",
              description: "Five things",
              picUrl: "https://e.invalid/c.jpg",
              url: "https://e.invalid/d",
            },
          ],
        },
        { type: "transfer_customer_service" },
        { type: "transfer_customer_service", kfAccount: "kf2001@example" },
      ];
      for (const reply of replies) {
        replyWith = () => reply;
        const a = await send("carol", { type: "text", content: reply.type });
        expect(a.status).toBe("replied");
        expect(a.reply).toEqual(reply);
        const out = (await conversation("carol")).at(-1)!;
        if (reply.type === "transfer_customer_service") {
          // A hand-over to customer service is no message to the user (kf.test.ts follows it).
          expect(out).toMatchObject({ direction: "in", kind: "message" });
          continue;
        }
        expect(out).toMatchObject({ direction: "out", kind: "passive", msgType: reply.type });
        expect(out.payload).toEqual(reply);
      }
      // Plain replies are accepted in compatible mode too (callback.md §6.1).
      replyWith = (m) => ({
        raw: `<xml><ToUserName><![CDATA[${m.FromUserName}]]></ToUserName><FromUserName><![CDATA[${m.ToUserName}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[plain in compatible]]></Content></xml>`,
      });
      expect((await send("carol", { type: "text", content: "p" })).reply).toEqual({
        type: "text",
        content: "plain in compatible",
      });
      // "success" and "" end quietly: nothing reaches the user, no retry.
      for (const quiet of ["success", ""] as const) {
        replyWith = () => quiet;
        const before = (await conversation("carol")).length;
        const a = await send("carol", { type: "text", content: `quiet ${quiet}` });
        expect(a).toMatchObject({ status: "empty", reply: null, notice: null });
        expect(a.attempts).toHaveLength(1);
        expect((await conversation("carol")).length).toBe(before + 1); // only the user's message
      }
    });

    it("limits news replies to one article for a user's message and eight for events", async () => {
      expect((await setServer({ url: dev.url, mode: "safe" })).status).toBe(200);
      const article = {
        title: "A",
        description: "B",
        picUrl: "https://e.invalid/c.jpg",
        url: "https://e.invalid/d",
      };
      replyWith = () => ({ type: "news", articles: [article, article] });
      const msg = await send("dave", { type: "text", content: "two articles" });
      expect(msg).toMatchObject({ status: "failed", notice: NOTICE, reply: null });
      expect(msg.attempts.map((x) => x.outcome)).toEqual(["invalid_reply"]);
      expect((await conversation("dave")).at(-1)).toMatchObject({
        direction: "out",
        kind: "system",
        msgType: "notice",
        payload: { content: NOTICE },
      });
      const ev = await r.post("/_mpstack/users/dave/events", {
        appid: VV.appid,
        type: "raw",
        event: "CLICK",
        fields: { EventKey: "NEWS" },
      });
      expect(ev.body).toMatchObject({ status: "replied", reply: { type: "news" } });
    });

    it("pushes subscribe / unsubscribe (plain and from a QR code) and raw events", async () => {
      replyWith = (m) => ({
        type: "text",
        content: `welcome ${(m as { EventKey?: string }).EventKey ?? ""}`,
      });
      const unf = await r.post("/_mpstack/users/erin/events", { appid: VV.appid, type: "unsubscribe" });
      expect(unf.status).toBe(200);
      expect(unf.body.status).toBe("replied");
      expect(unf.body.reply).toBeNull(); // the user left: nothing is delivered
      expect(messages.at(-1)).toMatchObject({ kind: "event", Event: "unsubscribe" });
      const again = await r.post("/_mpstack/users/erin/events", { appid: VV.appid, type: "unsubscribe" });
      expect(again.status).toBe(409);

      const sub = await r.post("/_mpstack/users/erin/events", {
        appid: VV.appid,
        type: "subscribe",
        qrScene: 42,
        ticket: "gQTestTicket0001",
      });
      expect(sub.status).toBe(200);
      const subEvent = messages.at(-1)!;
      expect(subEvent).toMatchObject({
        kind: "event",
        Event: "subscribe",
        EventKey: "qrscene_42",
        Ticket: "gQTestTicket0001",
      });
      expect(sub.body.reply).toEqual({ type: "text", content: "welcome qrscene_42" });
      const conv = await conversation("erin");
      expect(conv.at(-2)).toMatchObject({
        direction: "in",
        kind: "event",
        msgType: "event",
        payload: { Event: "subscribe" },
      });

      // A follow made through the users route pushes in the background.
      await r.post("/_mpstack/users/erin/unfollow", { appid: VV.appid });
      await r.post("/_mpstack/users/erin/follow", { appid: VV.appid });
      await expect
        .poll(async () => {
          const list = (await r.get(`/_mpstack/pushes?appid=${VV.appid}&user=erin&limit=1`)).body.pushes as {
            event: string;
            status: string;
          }[];
          return list[0];
        })
        .toMatchObject({ event: "subscribe", status: "replied" });
      expect(messages.at(-1)).toMatchObject({ Event: "subscribe", EventKey: "" });

      const raw = await r.post("/_mpstack/users/erin/events", {
        appid: VV.appid,
        type: "raw",
        event: "kf_switch_session",
        fields: { FromKfAccount: "kf1@x", ToKfAccount: "kf2@x" },
      });
      expect(raw.status).toBe(200);
      expect(messages.at(-1)).toMatchObject({
        kind: "event",
        Event: "kf_switch_session",
        FromKfAccount: "kf1@x",
        ToKfAccount: "kf2@x",
      });
      const unknownType = await r.post("/_mpstack/users/erin/events", { appid: VV.appid, type: "dance" });
      expect(unknownType.status).toBe(400);
      const known = /\(known: ([^)]*)\)/.exec(
        String((unknownType.body.error as { message: string }).message),
      );
      expect(known?.[1]?.split(", ")).toEqual(expect.arrayContaining(["raw", "subscribe", "unsubscribe"]));
    });

    it("lists pushes and their attempts", async () => {
      const list = (await r.get(`/_mpstack/pushes?appid=${VV.appid}&user=alice&limit=2`)).body.pushes as {
        id: string;
        status: string;
        msgId: string;
        attempts: unknown[];
      }[];
      expect(list).toHaveLength(2);
      expect(list[0]!.id > list[1]!.id).toBe(true);
      const one = await r.get(`/_mpstack/pushes/${list[0]!.id}`);
      expect(one.body).toMatchObject({ id: list[0]!.id, appid: VV.appid, user: "alice", msgType: "text" });
      expect((one.body.attempts as unknown[]).length).toBe(1);
      expect((await r.get("/_mpstack/pushes/p000")).status).toBe(404);
    });

    it("refuses settings whose handshake fails, and keeps the old ones", async () => {
      expect((await setServer({ url: dev.url, mode: "safe" })).status).toBe(200);
      await r.raw("/_mpstack/push-policy", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ handshakeTimeoutMs: 400 }),
      });
      const bad = await startDevServer(() => ({ body: "" }));
      try {
        const cases: [(x: { method: string; query: Record<string, string> }) => object, string][] = [
          (() => {
            const f = () => ({ body: "not the echo" });
            return [f, "wrong_echo"] as [() => object, string];
          })(),
          [(x) => ({ body: `"${x.query.echostr}"` }), "wrong_echo"],
          [(x) => ({ status: 500, body: x.query.echostr }), "http_status"],
          [() => ({ hang: true }), "timeout"],
          [(x) => ({ body: x.query.echostr, delayMs: 800 }), "timeout"],
        ];
        for (const [handle, result] of cases) {
          bad.handle = handle as never;
          const res = await setServer({ url: bad.url, mode: "plain" });
          const body = (await res.json()) as {
            error: { code: string; message: string };
            handshake: { result: string };
          };
          expect(res.status).toBe(422);
          expect(body.error.code).toBe("handshake_failed");
          expect(body.error.message).toMatch(/^server settings refused: /);
          expect(body.handshake.result).toBe(result);
        }
        const down = await setServer({ url: "http://127.0.0.1:1/wx", mode: "plain" });
        expect(down.status).toBe(422);
        // Trailing newline tolerated.
        bad.handle = (x) => ({ body: `${x.query.echostr}\n` });
        expect((await setServer({ url: bad.url, mode: "plain" })).status).toBe(200);
        const invalid = await setServer({ url: "ftp://x", mode: "plain" });
        expect(invalid.status).toBe(400);
        expect(((await invalid.json()) as { error: { message: string } }).error.message).toContain(
          "server.url",
        );
        expect((await setServer({ token: "x" })).status).toBe(400);
      } finally {
        await bad.close();
        await r.raw("/_mpstack/push-policy", {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ handshakeTimeoutMs: null }),
        });
      }
      const account = (await r.get(`/_mpstack/accounts/${VV.appid}/server`)).body as {
        server: { url: string };
        lastCheck: { ok: boolean; kind: string };
      };
      expect(account.lastCheck).toMatchObject({ ok: true, kind: "save" });
      expect((await setServer({ url: dev.url, mode: "safe" })).status).toBe(200);
    });

    it("checks server settings changed through PATCH /accounts the same way", async () => {
      const patch = (body: unknown, query = "") =>
        r.raw(`/_mpstack/accounts/${VV.appid}${query}`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const refused = await patch({ server: { url: "http://127.0.0.1:1/wx", mode: "plain" } });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("handshake_failed");
      expect(
        ((await r.get(`/_mpstack/accounts/${VV.appid}`)).body as { server: { url: string } }).server.url,
      ).toBe(dev.url);
      // Other fields change without a handshake; ?handshake=false saves settings unchecked.
      expect((await patch({ name: "Renamed" })).status).toBe(200);
      expect((await patch({ server: { url: "http://127.0.0.1:1/wx" } }, "?handshake=false")).status).toBe(
        200,
      );
      expect((await patch({ server: { url: dev.url, mode: "safe" } })).status).toBe(200);
    });

    it("re-verifies, and sends a wrong signature to tell verifying servers from careless ones", async () => {
      const verify = (body: object) =>
        r.raw(`/_mpstack/accounts/${VV.appid}/server/verify`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      expect((await verify({})).status).toBe(200);
      const negative = await verify({ wrongSignature: true });
      expect(negative.status).toBe(200);
      const lastGet = dev.requests.filter((x) => x.method === "GET").at(-1)!;
      expect(lastGet.query.signature).not.toBe(
        computeSignature(VV.token, lastGet.query.timestamp!, lastGet.query.nonce!),
      );
      const sloppy = await startDevServer(careless);
      try {
        expect((await setServer({ url: sloppy.url, mode: "plain" })).status).toBe(200);
        const res = await verify({ wrongSignature: true });
        expect(res.status).toBe(422);
        expect(((await res.json()) as { handshake: { result: string } }).handshake.result).toBe(
          "accepted_bad_signature",
        );
      } finally {
        await sloppy.close();
      }
      expect((await setServer({ url: dev.url, mode: "safe" })).status).toBe(200);
    });

    it("records the actions that open a customer-service window", async () => {
      const before = await windowOpeners(r.platform.db, VV.appid, "alice");
      expect(before.map((o) => o.scene)).toEqual(["user_message"]);
      for (const event of ["VIEW", "LOCATION", "CLICK"]) {
        const res = await r.post("/_mpstack/users/alice/events", {
          appid: VV.appid,
          type: "raw",
          event,
          fields: {},
        });
        expect(res.status).toBe(200);
      }
      const after = await windowOpeners(r.platform.db, VV.appid, "alice");
      expect(after.map((o) => o.scene)).toEqual(["menu_click", "user_message"]);
      expect(after[0]!.pushId).toMatch(/^p\d{13}/);
      expect((await windowOpeners(r.platform.db, VV.appid, "erin")).map((o) => o.scene)).toContain(
        "subscribe",
      );
      const head = { ToUserName: "gh_0", FromUserName: "o", CreateTime: 1 };
      const text = { kind: "text", MsgType: "text", Content: "x", MsgId: "1", ...head } as const;
      expect(windowSceneOf(text)).toBe("user_message");
      expect(windowSceneOf({ ...text, bizmsgmenuid: "101" })).toBe("menu_click");
      expect(windowSceneOf({ kind: "event", MsgType: "event", Event: "SCAN", EventKey: "1", ...head })).toBe(
        "scan",
      );
      expect(windowSceneOf({ kind: "event", MsgType: "event", Event: "unsubscribe", ...head })).toBeNull();
    });

    it("does not push what a blacklisted user sends", async () => {
      replyWith = () => ({ type: "text", content: "hi" });
      const token = await tokenFor(r, VV.appid, "d0000000000000000000000000000004");
      const openid = (
        (await r.get(`/_mpstack/users/dave/conversations/${VV.appid}`)).body as { openid: string }
      ).openid;
      const list = async (on: boolean) => {
        const path = on ? "batchblacklist" : "batchunblacklist";
        const res = await r.post(`/cgi-bin/tags/members/${path}?access_token=${token}`, {
          openid_list: [openid],
        });
        expect(res.body.errcode).toBe(0);
      };
      await list(true);
      const before = dev.posts().length;
      const a = await send("dave", { type: "text", content: "let me in" });
      expect(a).toMatchObject({ status: "blocked", reply: null, notice: null, attempts: [] });
      const click = await r.post("/_mpstack/users/dave/events", {
        appid: VV.appid,
        type: "raw",
        event: "CLICK",
        fields: {},
      });
      expect(click.body.status).toBe("blocked");
      expect(dev.posts().length).toBe(before);
      await list(false);
      expect((await send("dave", { type: "text", content: "back" })).status).toBe("replied");
    });

    it("answers no_server when the account has no URL", async () => {
      expect((await setServer({ url: "" })).status).toBe(200);
      const a = await send("alice", { type: "text", content: "anyone?" });
      expect(a).toMatchObject({ status: "no_server", reply: null, notice: null, attempts: [] });
      expect((await setServer({ url: dev.url })).status).toBe(200);
    });
  });
}

describe("push round trips with the node-webot wechat middleware", () => {
  let r: Running;
  let peer: Awaited<ReturnType<typeof startWechatMiddlewareServer>>;
  const seen: { MsgType: string; Content?: string; Event?: string }[] = [];

  beforeAll(async () => {
    r = await start();
    peer = await startWechatMiddlewareServer(VV, seen);
  });
  afterAll(async () => {
    await r?.close();
    await peer?.close();
  });

  for (const mode of MODES) {
    it(`handshakes and round-trips in ${mode} mode`, async () => {
      const res = await r.raw(`/_mpstack/accounts/${VV.appid}/server`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: peer.url, mode }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const send = async (body: Record<string, unknown>) =>
        (await r.post("/_mpstack/users/alice/messages", { appid: VV.appid, ...body }))
          .body as unknown as SendAnswer;
      const a = await send({ type: "text", content: `hi ${mode}` });
      expect(a.status, JSON.stringify(a.attempts)).toBe("replied");
      expect(a.reply).toEqual({ type: "text", content: `echo: hi ${mode}` });
      const answer = a.attempts[0]!.response!.body;
      expect(answer.includes("<Encrypt>")).toBe(mode !== "plain");
      expect((await send({ type: "text", content: "news" })).reply).toMatchObject({ type: "news" });
      expect((await send({ type: "text", content: "music" })).reply).toMatchObject({
        type: "music",
        thumbMediaId: "THUMB",
        hqMusicUrl: "http://127.0.0.1/hq.mp3",
      });
      expect((await send({ type: "text", content: "image" })).reply).toEqual({
        type: "image",
        mediaId: "IMG",
      });
      expect((await send({ type: "text", content: "kf" })).reply).toEqual({
        type: "transfer_customer_service",
        kfAccount: "kf2001@example",
      });
      expect((await send({ type: "text", content: "quiet" })).status).toBe("empty");
      expect((await send({ type: "location", locationX: 1.5, locationY: 2.5, label: "here" })).reply).toEqual(
        {
          type: "text",
          content: "got location",
        },
      );
      const ev = await r.post("/_mpstack/users/alice/events", {
        appid: VV.appid,
        type: "raw",
        event: "CLICK",
        fields: { EventKey: "V1001" },
      });
      expect(ev.body.reply).toEqual({ type: "text", content: "event: CLICK V1001" });
      expect(seen.at(-1)).toMatchObject({ MsgType: "event", Event: "CLICK" });
    });
  }
});
