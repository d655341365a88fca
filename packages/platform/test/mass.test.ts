/**
 * Mass messages over real HTTP (spec/mass-send.md): delivery into every follower's conversation
 * (blacklisted and unfollowed skipped and counted) with MASSSENDJOBFINISH pushed once; frequency
 * limits at their China-time edges; clientmsgid; article, image, voice and video sends with their
 * pages and withdrawal; the originality check; previews; every error code of the spec's table — on
 * SQLite and PostgreSQL. Each test makes its own accounts, so quotas never leak between tests.
 */
import { type InboundMessage, parseInbound } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, type Running, start } from "./helpers.js";
import { advance, amr, jpeg, mp4, png, type Wechat, wechat } from "./media-fixtures.js";
import { type DevServer, startDevServer } from "./push-servers.js";

type Acct = { appid: string; secret: string; originalId: string };
type Obj = Record<string, unknown>;
const code = (b: Obj) => b.errcode;
/** 2030-03-01 09:00 China time. */
const MARCH_1 = Date.UTC(2030, 2, 1, 1, 0, 0);
const DAY = 86_400;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !process.env.MPSTACK_TEST_DATABASE_URL)(
    `mass messages (${backend.name})`,
    () => {
      let r: Running;
      let w: Wechat;
      let dev: DevServer;
      const json = (method: string, path: string, body: unknown) =>
        r.raw(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

      beforeAll(async () => {
        r = await start({ pg: backend.pg });
        w = wechat(r);
        dev = await startDevServer(() => ({ body: "success" }));
        await r.post("/_mpstack/clock", { offsetMs: MARCH_1 - Date.now() });
      });
      afterAll(async () => {
        await r?.close();
        await dev?.close();
      });

      /** A fresh account (verified), its server the dev server in plain mode, followed by `users`. */
      const account = async (type: "service" | "subscription", users: string[], grants: string[] = []) => {
        const a = (
          await r.post("/_mpstack/accounts", {
            type,
            verified: true,
            grants,
            server: { url: dev.url, mode: "plain" },
          })
        ).body as Acct;
        const openids: Record<string, string> = {};
        for (const u of users)
          openids[u] = String((await r.post(`/_mpstack/users/${u}/follow`, { appid: a.appid })).body.openid);
        return { ...a, openids };
      };
      const jobOf = async (a: Acct, msgId: unknown) => {
        let job: Obj = {};
        for (let i = 0; i < 200; i++) {
          job = (await r.get(`/_mpstack/accounts/${a.appid}/mass-jobs/${msgId}`)).body;
          if (job.finishPushed === true) return job;
          await new Promise((res) => setTimeout(res, 20));
        }
        throw new Error(`job ${msgId} did not finish: ${JSON.stringify(job)}`);
      };
      const finishEvents = (a: Acct, msgId: unknown): InboundMessage[] =>
        dev
          .posts()
          .map((p) => parseInbound(p.body))
          .filter((m) => m.ToUserName === a.originalId && "MsgID" in m && m.MsgID === String(msgId));
      const received = async (user: string, a: Acct) =>
        (await r.get(`/_mpstack/users/${user}/received/${a.appid}`)).body.messages as {
          kind: string;
          msgType: string;
          rendered: Obj;
        }[];
      const sendAll = (a: Acct, body: Obj) => w.call(a, "/cgi-bin/message/mass/sendall", body);
      const text = (content: string, extra: Obj = {}) => ({
        filter: { is_to_all: true },
        msgtype: "text",
        text: { content },
        ...extra,
      });
      /** To the next China midnight plus `seconds` (negative: before it). */
      const nextDay = async (seconds = 3600) => {
        const now = (await r.get("/_mpstack/clock")).body.now as number;
        const dayMs = DAY * 1000;
        const midnight = Math.floor((now + 8 * 3600_000) / dayMs + 1) * dayMs - 8 * 3600_000;
        await advance(r, w, (midnight - now) / 1000 + seconds);
      };

      it("delivers to every follower once, skips the blacklisted and the unfollowed, pushes MASSSENDJOBFINISH once", async () => {
        const a = await account("subscription", ["alice", "bob", "carol", "dave", "erin"]);
        await w.call(a, "/cgi-bin/tags/members/batchblacklist", { openid_list: [a.openids.dave] });
        await r.post("/_mpstack/users/erin/unfollow", { appid: a.appid });
        const sent = await sendAll(a, text("Hello all"));
        expect(sent).toEqual({ errcode: 0, errmsg: "send job submission success", msg_id: 1000000001 });
        const job = await jobOf(a, sent.msg_id);
        expect(job).toMatchObject({
          status: "SEND_SUCCESS",
          totalCount: 4,
          filterCount: 3,
          sentCount: 3,
          errorCount: 0,
          progress: 1,
        });
        expect(await w.call(a, "/cgi-bin/message/mass/get", { msg_id: "1000000001" })).toEqual({
          msg_id: 1000000001,
          msg_status: "SEND_SUCCESS",
        });
        for (const u of ["alice", "bob", "carol"]) {
          expect(await received(u, a)).toEqual([
            expect.objectContaining({ kind: "mass", msgType: "text", rendered: { text: "Hello all" } }),
          ]);
        }
        expect(await received("dave", a)).toEqual([]);
        expect(await received("erin", a)).toEqual([]);
        const events = finishEvents(a, sent.msg_id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          Event: "MASSSENDJOBFINISH",
          Status: "send success",
          TotalCount: 4,
          FilterCount: 3,
          SentCount: 3,
          ErrorCount: 0,
          CopyrightCheckResult: { Count: 0, CheckState: 0 },
        });
      });

      it("subscription accounts: one send a China day — refused until midnight, accepted after; previews do not count", async () => {
        const a = await account("subscription", ["alice", "bob"]);
        expect(code(await sendAll(a, text("first")))).toBe(0);
        const pv = await w.call(a, "/cgi-bin/message/mass/preview", {
          touser: a.openids.alice,
          msgtype: "text",
          text: { content: "pv" },
        });
        expect(pv).toEqual({ errcode: 0, errmsg: "preview success", msg_id: 1000000002 });
        expect(await received("alice", a)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ kind: "mass_preview", rendered: { preview: true, text: "pv" } }),
          ]),
        );
        await nextDay(-1); // 23:59:59 of the same China day
        expect(code(await sendAll(a, text("second")))).toBe(45028);
        await advance(r, w, 2);
        expect(code(await sendAll(a, text("second")))).toBe(0);
      });

      it("service accounts: four sends to all a month (one a day), the fifth refused; followers get four a month", async () => {
        const a = await account("service", ["alice", "bob"]);
        const tag = (await w.call(a, "/cgi-bin/tags/create", { tag: { name: "fans" } })) as {
          tag: { id: number };
        };
        await w.call(a, "/cgi-bin/tags/members/batchtagging", {
          openid_list: [a.openids.alice],
          tagid: tag.tag.id,
        });
        const ids = [];
        for (let i = 1; i <= 4; i++) {
          const s = await sendAll(a, text(`month send ${i}`));
          expect(code(s), `send ${i}`).toBe(0);
          ids.push(s.msg_id);
          if (i === 1) expect(code(await sendAll(a, text("same day")))).toBe(45028);
          await jobOf(a, s.msg_id);
          await nextDay();
        }
        expect(code(await sendAll(a, text("fifth")))).toBe(45028);
        // Not to all: allowed, but alice already received her four this month.
        const tagged = await sendAll(a, {
          filter: { is_to_all: false, tag_id: tag.tag.id },
          msgtype: "text",
          text: { content: "tagged" },
        });
        expect(code(tagged)).toBe(0);
        expect(await jobOf(a, tagged.msg_id)).toMatchObject({
          status: "SEND_FAIL",
          totalCount: 1,
          filterCount: 0,
          sentCount: 0,
        });
        // A new China month: quota and receive limit start again.
        const now = (await r.get("/_mpstack/clock")).body.now as number;
        await advance(r, w, Math.round((Date.UTC(2030, 3, 1, 1, 0, 0) - now) / 1000));
        const april = await sendAll(a, text("april"));
        expect(code(april)).toBe(0);
        expect(await jobOf(a, april.msg_id)).toMatchObject({ sentCount: 2 });
        expect((await received("alice", a)).map((m) => m.rendered.text)).toEqual([
          "month send 1",
          "month send 2",
          "month send 3",
          "month send 4",
          "april",
        ]);
      });

      it("the same clientmsgid twice sends once (45066 within a minute, 45065 with the msg_id within 24 h)", async () => {
        const a = await account("service", ["alice", "bob", "carol"]);
        const body = {
          touser: [a.openids.alice, a.openids.bob],
          msgtype: "text",
          text: { content: "once" },
          clientmsgid: "promo-42",
        };
        const first = await w.call(a, "/cgi-bin/message/mass/send", body);
        expect(code(first)).toBe(0);
        expect(code(await w.call(a, "/cgi-bin/message/mass/send", body))).toBe(45066);
        await advance(r, w, 61);
        expect(await w.call(a, "/cgi-bin/message/mass/send", body)).toEqual({
          errcode: 45065,
          errmsg: expect.stringContaining("clientmsgid exist"),
          msg_id: first.msg_id,
        });
        await jobOf(a, first.msg_id);
        expect((await received("alice", a)).filter((m) => m.rendered.text === "once")).toHaveLength(1);
        expect(
          code(await w.call(a, "/cgi-bin/message/mass/send", { ...body, clientmsgid: "x".repeat(65) })),
        ).toBe(45067);
        // A list with someone who left: counted, not delivered.
        await r.post("/_mpstack/users/carol/unfollow", { appid: a.appid });
        const left = await w.call(a, "/cgi-bin/message/mass/send", {
          ...body,
          touser: [a.openids.alice, a.openids.carol],
          clientmsgid: "k2",
        });
        expect(await jobOf(a, left.msg_id)).toMatchObject({ totalCount: 2, filterCount: 1, sentCount: 1 });
      });

      it("sends articles from a draft (which leaves the box), with pages, withdrawal by article and whole", async () => {
        const a = await account("service", ["alice", "bob"]);
        const cover = String(
          (await w.upload(a, "/cgi-bin/material/add_material?type=thumb", jpeg(800), "c.jpg")).media_id,
        );
        const draft = await w.call(a, "/cgi-bin/draft/add", {
          articles: [
            { title: "Weekly digest", thumb_media_id: cover, content: "<p>Digest body</p>" },
            { title: "Event recap", thumb_media_id: cover, content: "<p>Recap body</p>" },
          ],
        });
        const sent = await sendAll(a, {
          filter: { is_to_all: true },
          msgtype: "mpnews",
          mpnews: { media_id: draft.media_id },
          send_ignore_reprint: 0,
        });
        expect(sent).toEqual({
          errcode: 0,
          errmsg: "send job submission success",
          msg_id: 1000000001,
          msg_data_id: 2247483649,
        });
        await jobOf(a, sent.msg_id);
        const [event] = finishEvents(a, sent.msg_id) as (InboundMessage & {
          ArticleUrlResult: { Count: number; ResultList: { ArticleUrl: string }[] };
        })[];
        expect(event?.ArticleUrlResult.Count).toBe(2);
        const [url1, url2] = event!.ArticleUrlResult.ResultList.map((i) => i.ArticleUrl);
        expect(await (await fetch(url2!)).text()).toContain("Recap body");
        const [card] = await received("alice", a);
        expect(card?.rendered.articles).toEqual([
          expect.objectContaining({
            title: "Weekly digest",
            url: url1,
            thumbUrl: expect.stringContaining("/mmbiz_jpg/"),
          }),
          expect.objectContaining({ title: "Event recap", url: url2 }),
        ]);
        expect(code(await w.call(a, "/cgi-bin/draft/get", { media_id: draft.media_id }))).toBe(40007);

        expect(
          code(await w.call(a, "/cgi-bin/message/mass/delete", { msg_id: sent.msg_id, article_idx: 3 })),
        ).toBe(40060);
        expect(
          await w.call(a, "/cgi-bin/message/mass/delete", { msg_id: sent.msg_id, article_idx: 2 }),
        ).toEqual({ errcode: 0, errmsg: "ok" });
        expect(await (await fetch(url2!)).text()).toContain("此内容已被发布者删除");
        expect(await (await fetch(url1!)).text()).toContain("Digest body");
        expect(await w.call(a, "/cgi-bin/message/mass/delete", { url: url1 })).toEqual({
          errcode: 0,
          errmsg: "ok",
        });
        expect((await w.call(a, "/cgi-bin/message/mass/get", { msg_id: sent.msg_id })).msg_status).toBe(
          "DELETE",
        );
        expect((await received("alice", a))[0]?.rendered.articles).toEqual([
          expect.objectContaining({ deleted: true }),
          expect.objectContaining({ deleted: true }),
        ]);
      });

      it("sends images, voice and video made ready with uploadvideo; uploadnews groups too", async () => {
        const a = await account("service", ["alice", "bob"]);
        const img = (n: number) => w.upload(a, "/cgi-bin/media/upload?type=image", png(100, n), `i${n}.png`);
        const ids = [String((await img(1)).media_id), String((await img(2)).media_id)];
        const images = await w.call(a, "/cgi-bin/message/mass/send", {
          touser: [a.openids.alice, a.openids.bob],
          msgtype: "image",
          images: { media_ids: ids, recommend: "Open day", need_open_comment: 1 },
        });
        await jobOf(a, images.msg_id);
        const voice = await w.upload(a, "/cgi-bin/media/upload?type=voice", amr(3), "v.amr");
        const vs = await w.call(a, "/cgi-bin/message/mass/send", {
          touser: [a.openids.alice, a.openids.bob],
          msgtype: "voice",
          voice: { media_id: voice.media_id },
        });
        await jobOf(a, vs.msg_id);
        const raw = await w.upload(a, "/cgi-bin/media/upload?type=video", mp4(500), "v.mp4");
        expect(
          code(
            await w.call(a, "/cgi-bin/message/mass/send", {
              touser: [a.openids.alice, a.openids.bob],
              msgtype: "mpvideo",
              mpvideo: { media_id: raw.media_id },
            }),
          ),
        ).toBe(48013);
        expect(code(await w.call(a, "/cgi-bin/media/uploadvideo", { media_id: "nope" }))).toBe(40007);
        const ready = await w.call(a, "/cgi-bin/media/uploadvideo", {
          media_id: raw.media_id,
          title: "Launch",
          description: "Highlights",
        });
        expect(ready).toEqual({
          type: "video",
          media_id: expect.any(String),
          created_at: expect.any(Number),
        });
        const video = await w.call(a, "/cgi-bin/message/mass/send", {
          touser: [a.openids.alice, a.openids.bob],
          msgtype: "mpvideo",
          mpvideo: { media_id: ready.media_id },
        });
        await jobOf(a, video.msg_id);
        const thumb = await w.upload(a, "/cgi-bin/media/upload?type=thumb", jpeg(300), "t.jpg");
        expect(code(await w.call(a, "/cgi-bin/media/uploadnews", { articles: [] }))).toBe(44003);
        const news = await w.call(a, "/cgi-bin/media/uploadnews", {
          articles: [{ title: "Mass article", thumb_media_id: thumb.media_id, content: "<p>hi</p>" }],
        });
        expect(news).toEqual({ type: "news", media_id: expect.any(String), created_at: expect.any(Number) });
        const mp = await w.call(a, "/cgi-bin/message/mass/send", {
          touser: [a.openids.alice, a.openids.bob],
          msgtype: "mpnews",
          mpnews: { media_id: news.media_id },
        });
        await jobOf(a, mp.msg_id);
        const got = (await received("alice", a)).map((m) => [m.msgType, m.rendered]);
        expect(got).toEqual([
          [
            "image",
            {
              images: [expect.stringContaining(ids[0]!), expect.stringContaining(ids[1]!)],
              text: "Open day",
            },
          ],
          ["voice", { voice: expect.stringContaining(String(voice.media_id)) }],
          ["mpvideo", { video: expect.objectContaining({ title: "Launch", description: "Highlights" }) }],
          ["mpnews", { articles: [expect.objectContaining({ title: "Mass article", digest: "hi" })] }],
        ]);
        const bytes = await fetch(String((got[0]![1] as { images: string[] }).images[0]));
        expect(Buffer.from(await bytes.arrayBuffer()).equals(png(100, 1))).toBe(true);
      });

      it("stops or marks reprints as the originality check says", async () => {
        const a = await account("subscription", ["alice"]);
        const cover = String(
          (await w.upload(a, "/cgi-bin/material/add_material?type=image", png(90, 4), "c.png")).media_id,
        );
        const draft = async (marker: string) =>
          String(
            (
              await w.call(a, "/cgi-bin/draft/add", {
                articles: [
                  {
                    title: "Copied",
                    thumb_media_id: cover,
                    content: `<p data-mpstack-reprint="${marker}">text</p>`,
                  },
                ],
              })
            ).media_id,
          );
        const mpnews = async (marker: string, ignore: number) => {
          const s = await sendAll(a, {
            filter: { is_to_all: true },
            msgtype: "mpnews",
            mpnews: { media_id: await draft(marker) },
            send_ignore_reprint: ignore,
          });
          expect(code(s)).toBe(0);
          await jobOf(a, s.msg_id);
          return finishEvents(a, s.msg_id)[0] as InboundMessage & {
            Status: string;
            SentCount: number;
            CopyrightCheckResult: { CheckState: number; Count: number };
          };
        };
        const stopped = await mpnews("allowed", 0);
        expect(stopped).toMatchObject({
          Status: "err(30003)",
          SentCount: 0,
          CopyrightCheckResult: { CheckState: 2, Count: 1 },
        });
        // A stopped job uses no quota: the same day, another send.
        const forbidden = await mpnews("forbidden", 1);
        expect(forbidden).toMatchObject({ Status: "err(30002)", CopyrightCheckResult: { CheckState: 3 } });
        const reprinted = await mpnews("allowed", 1);
        expect(reprinted).toMatchObject({
          Status: "send success",
          SentCount: 1,
          CopyrightCheckResult: { CheckState: 2 },
        });
        expect(await received("alice", a)).toHaveLength(1);
      });

      it("answers every error code of the spec for these endpoints", async () => {
        const a = await account("service", ["alice", "bob"]);
        const s = await account("subscription", ["alice"]);
        const two = [a.openids.alice, a.openids.bob];
        const send = (body: Obj) => w.call(a, "/cgi-bin/message/mass/send", body);
        const t = { msgtype: "text", text: { content: "x" } };
        const raw = async (body: string) =>
          (await r.post(`/cgi-bin/message/mass/sendall?access_token=${await w.token(a)}`, body)).body;
        expect(code(await raw(""))).toBe(44002);
        expect(code(await raw("{not json"))).toBe(47001);
        expect(code(await send({ touser: two, msgtype: "music" }))).toBe(40008);
        expect(code(await send({ touser: two, msgtype: "text" }))).toBe(47001);
        expect(code(await send({ touser: two, msgtype: "text", text: { content: "" } }))).toBe(44004);
        expect(code(await sendAll(a, { filter: { is_to_all: false, tag_id: 999 }, ...t }))).toBe(45159);
        expect(code(await send({ touser: [a.openids.alice], ...t }))).toBe(40130);
        const many = Array.from({ length: 10_001 }, (_, i) => `o${String(i).padStart(27, "0")}`);
        expect(code(await send({ touser: many, ...t }))).toBe(40032);
        expect(code(await send({ touser: [a.openids.alice, "oUnknownOpenid000000000000000"], ...t }))).toBe(
          40003,
        );
        expect(code(await send({ touser: two, msgtype: "mpnews", mpnews: { media_id: "nope" } }))).toBe(
          40007,
        );
        expect(code(await send({ touser: two, msgtype: "wxcard", wxcard: { card_id: "pCard" } }))).toBe(
          48008,
        );
        expect(
          code(
            await w.call(s, "/cgi-bin/message/mass/send", {
              touser: [s.openids.alice, s.openids.alice],
              ...t,
            }),
          ),
        ).toBe(48001);
        // Previews: not a follower, unknown WeChat id, 100 by WeChat id a day (a cap of 1 here).
        const preview = (body: Obj) => w.call(a, "/cgi-bin/message/mass/preview", { ...t, ...body });
        expect(code(await preview({ touser: "oNotAFollower" }))).toBe(40003);
        expect(code(await preview({ towxname: "nobody-here" }))).toBe(40132);
        await json("PUT", "/_mpstack/mass-policy", {
          appid: a.appid,
          previewsByWxnamePerDay: 1,
          callsPerMinute: 100,
        });
        expect(code(await preview({ towxname: "alice" }))).toBe(0);
        expect(code(await preview({ towxname: "alice" }))).toBe(45009);
        // get / delete.
        expect(code(await w.call(a, "/cgi-bin/message/mass/get", { msg_id: 42 }))).toBe(40059);
        expect(code(await w.call(a, "/cgi-bin/message/mass/delete", { msg_id: 42 }))).toBe(40059);
        expect(code(await w.call(a, "/cgi-bin/message/mass/delete", { article_idx: 0 }))).toBe(40059);
        const textJob = await send({ touser: two, ...t, clientmsgid: "t1" });
        await jobOf(a, textJob.msg_id);
        expect(code(await w.call(a, "/cgi-bin/message/mass/delete", { msg_id: textJob.msg_id }))).toBe(40008);
        // Speed.
        expect(await w.call(a, "/cgi-bin/message/mass/speed/get", {})).toEqual({ speed: 0, realspeed: 80 });
        expect(code(await w.call(a, "/cgi-bin/message/mass/speed/set", {}))).toBe(45084);
        expect(code(await w.call(a, "/cgi-bin/message/mass/speed/set", { speed: 5 }))).toBe(45083);
        expect(await w.call(a, "/cgi-bin/message/mass/speed/set", { speed: 3 })).toEqual({
          errcode: 0,
          errmsg: "ok",
        });
        expect(await w.call(a, "/cgi-bin/message/mass/speed/get", {})).toEqual({ speed: 3, realspeed: 30 });
        // uploadnews rules.
        expect(
          code(
            await w.call(a, "/cgi-bin/media/uploadnews", {
              articles: Array(9).fill({ title: "t", content: "c", thumb_media_id: "x" }),
            }),
          ),
        ).toBe(45008);
        expect(
          code(
            await w.call(a, "/cgi-bin/media/uploadnews", {
              articles: [{ title: "t", content: "c", thumb_media_id: "x" }],
            }),
          ),
        ).toBe(40007);
        // Policies: the agreement, the daily call limit, the minute limit.
        await json("PUT", "/_mpstack/mass-policy", { appid: a.appid, agreementAccepted: false });
        expect(code(await send({ touser: two, ...t, clientmsgid: "t2" }))).toBe(48003);
        await json("PUT", "/_mpstack/mass-policy", {
          appid: a.appid,
          agreementAccepted: null,
          serviceCallsPerDay: 1,
        });
        expect(code(await send({ touser: two, ...t, clientmsgid: "t3" }))).toBe(45009);
        await json("PUT", "/_mpstack/mass-policy", { appid: a.appid, callsPerMinute: 1 });
        await advance(r, w, 61);
        expect(code(await w.call(a, "/cgi-bin/message/mass/preview", { touser: a.openids.bob, ...t }))).toBe(
          0,
        );
        expect(code(await w.call(a, "/cgi-bin/message/mass/preview", { touser: a.openids.bob, ...t }))).toBe(
          45011,
        );
      });
    },
  );
}
