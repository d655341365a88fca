/**
 * Customer-service messages over real HTTP (customer-service.md §2–§3): every msgtype lands in the
 * user's conversation; windows opened by a user's message (pushed to no server) and by a follow,
 * their counts and expiry on the platform clock; permission rows; every error code of §3.14 the
 * platform models.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
const VS = { appid: "wxd000000000000002", secret: "d0000000000000000000000000000002" };
const US = { appid: "wxd000000000000001", secret: "d0000000000000000000000000000001" };
const UV = { appid: "wxd000000000000003", secret: "d0000000000000000000000000000003" };

interface Message {
  direction: string;
  kind: string;
  msgType: string;
  payload: Record<string, unknown>;
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !process.env.MPSTACK_TEST_DATABASE_URL)(
    `customer-service messages (${backend.name})`,
    () => {
      let r: Running;
      const openids = new Map<string, string>();

      const openid = async (user: string, appid: string) => {
        const key = `${user}@${appid}`;
        const hit = openids.get(key);
        if (hit) return hit;
        const res = await r.get(`/_mpstack/users/${user}/conversations/${appid}`);
        const id = res.body.openid;
        if (typeof id !== "string") throw new Error(`${user} has no openid for ${appid}`);
        openids.set(key, id);
        return id;
      };
      // Tokens are dropped when the clock moves: 48 hours outlive any token.
      const tokens = new Map<string, string>();
      const tokenOf = async (acct: { appid: string; secret: string }) => {
        const token = tokens.get(acct.appid) ?? (await tokenFor(r, acct.appid, acct.secret));
        tokens.set(acct.appid, token);
        return token;
      };
      const send = async (acct: { appid: string; secret: string }, body: unknown) => {
        const token = await tokenOf(acct);
        return (await r.post(`/cgi-bin/message/custom/send?access_token=${token}`, body)).body;
      };
      const say = async (user: string, appid: string, content = "hello") => {
        const res = await r.post(`/_mpstack/users/${user}/messages`, { appid, type: "text", content });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body;
      };
      const conversation = async (user: string, appid: string) =>
        (await r.get(`/_mpstack/users/${user}/conversations/${appid}?limit=1000`)).body.messages as Message[];
      const lastOut = async (user: string, appid: string) =>
        (await conversation(user, appid)).filter((m) => m.direction === "out").at(-1);
      const advance = async (seconds: number) => {
        tokens.clear();
        expect((await r.post("/_mpstack/clock", { advanceSeconds: seconds })).status).toBe(200);
      };
      const window = async (user: string, appid: string) =>
        (await r.get(`/_mpstack/accounts/${appid}/service-window/${await openid(user, appid)}`)).body as {
          open: boolean;
          grants: {
            scene: string;
            used: number;
            limit: number | null;
            remaining: number | null;
            live: boolean;
          }[];
        };
      const text = async (user: string, appid: string, content: string, acct = VV) =>
        send(acct, { touser: await openid(user, appid), msgtype: "text", text: { content } });
      const expectCode = (body: Record<string, unknown>, code: number) => {
        expect(body.errcode, JSON.stringify(body)).toBe(code);
        if (code !== 0) expect(body.errmsg).toMatch(RID_SUFFIX);
      };

      beforeAll(async () => {
        r = await start({ pg: backend.pg });
      });
      afterAll(async () => {
        await r?.close();
      });

      it("a user's message pushed to an account without a server is recorded and opens the window", async () => {
        // Config follows are silent: no subscribe push, so no window yet.
        expectCode(await text("alice", VV.appid, "too early"), 45015);
        const pushed = await say("alice", VV.appid, "hi there");
        expect(pushed.status).toBe("no_server");
        const inbound = (await conversation("alice", VV.appid)).filter((m) => m.direction === "in");
        expect(inbound.at(-1)).toMatchObject({ kind: "message", msgType: "text" });
        const w = await window("alice", VV.appid);
        expect(w.open).toBe(true);
        expect(w.grants).toEqual([
          expect.objectContaining({ scene: "user_message", used: 0, limit: 5, remaining: 5, live: true }),
        ]);
        expectCode(await text("alice", VV.appid, "now it works"), 0);
        expect(await lastOut("alice", VV.appid)).toMatchObject({
          kind: "customer_service",
          msgType: "text",
          payload: {
            msgtype: "text",
            text: { content: "now it works" },
            window: { scene: "user_message", used: 1 },
          },
        });
      });

      it("delivers every msgtype into the conversation with its typed payload", async () => {
        const to = await openid("bob", VV.appid);
        const cases: [string, Record<string, unknown>][] = [
          ["text", { content: 'Shipped.\n<a href="https://shop.example.com/o/1">Track</a>' }],
          ["image", { media_id: "IMG_1" }],
          ["voice", { media_id: "VOICE_1" }],
          ["video", { media_id: "VID_1", thumb_media_id: "THB_1", title: "Unboxing", description: "60 s" }],
          [
            "music",
            {
              title: "Song",
              musicurl: "https://m.example.com/a.mp3",
              hqmusicurl: "https://m.example.com/a-hq.mp3",
              thumb_media_id: "THB_2",
            },
          ],
          [
            "news",
            {
              articles: [
                {
                  title: "Sale",
                  description: "30%",
                  url: "https://s.example.com",
                  picurl: "https://s.example.com/p.jpg",
                },
              ],
            },
          ],
          ["mpnews", { media_id: "NEWS_1" }],
          ["mpnewsarticle", { article_id: "ARTICLE_1" }],
          [
            "wxcard",
            { card_id: "pCARD1", card_ext: { code: "", openid: "", timestamp: "1", signature: "s" } },
          ],
          [
            "msgmenu",
            {
              head_content: "Satisfied?",
              list: [
                { id: "101", content: "Yes" },
                { id: "102", content: "No" },
              ],
              tail_content: "Thanks",
            },
          ],
          [
            "miniprogrampage",
            {
              title: "Pass",
              appid: "wx00000000000000aa",
              pagepath: "pages/pass/index?no=1",
              thumb_media_id: "THB_3",
            },
          ],
        ];
        for (const [msgtype, payload] of cases) {
          await say("bob", VV.appid, `before ${msgtype}`);
          expectCode(await send(VV, { touser: to, msgtype, [msgtype]: payload }), 0);
          const out = await lastOut("bob", VV.appid);
          expect(out, msgtype).toMatchObject({
            kind: "customer_service",
            msgType: msgtype,
            payload: { msgtype, [msgtype]: payload },
          });
        }
        const msgtypes = (await conversation("bob", VV.appid))
          .filter((m) => m.kind === "customer_service")
          .map((m) => m.msgType);
        expect(msgtypes).toEqual(cases.map(([t]) => t));
      });

      it("keeps text links (web, Mini Program, menu-style) and the kf_account", async () => {
        await say("carol", VV.appid);
        const content =
          'Order\n<a href="https://shop.example.com/o" data-miniprogram-appid="wx00000000000000aa" data-miniprogram-path="pages/o?id=1">Track</a> ' +
          "<a href='weixin://bizmsgmenu?msgmenucontent=YES&msgmenuid=1'>YES</a> <a href=\"https://x.example.com\">web</a>";
        const body = {
          touser: await openid("carol", VV.appid),
          msgtype: "text",
          text: { content },
          customservice: { kf_account: "alice@demoacct" },
        };
        // The customer-service account must exist (65401) before a message is sent as it.
        expectCode(await send(VV, body), 65401);
        const kf = { kf_account: "alice@demoacct", nickname: "Alice" };
        const added = await r.post(`/customservice/kfaccount/add?access_token=${await tokenOf(VV)}`, kf);
        expectCode(added.body, 0);
        expectCode(await send(VV, body), 0);
        const out = await lastOut("carol", VV.appid);
        expect(out?.payload).toMatchObject({
          customservice: { kf_account: "alice@demoacct" },
          links: [
            {
              text: "Track",
              href: "https://shop.example.com/o",
              miniprogram: { appid: "wx00000000000000aa", path: "pages/o?id=1" },
            },
            {
              text: "YES",
              href: "weixin://bizmsgmenu?msgmenucontent=YES&msgmenuid=1",
              menu: { id: "1", content: "YES" },
            },
            { text: "web", href: "https://x.example.com" },
          ],
        });
      });

      it("a user-message window allows 5 messages; the next message resets the count", async () => {
        await say("dave", VV.appid);
        for (let i = 1; i <= 5; i++) expectCode(await text("dave", VV.appid, `n${i}`), 0);
        expectCode(await text("dave", VV.appid, "n6"), 45047);
        expect((await window("dave", VV.appid)).open).toBe(false);
        const outs = (await conversation("dave", VV.appid)).filter((m) => m.kind === "customer_service");
        expect(outs.map((m) => (m.payload.text as { content: string }).content)).toEqual([
          "n1",
          "n2",
          "n3",
          "n4",
          "n5",
        ]);
        await say("dave", VV.appid, "again");
        expect((await window("dave", VV.appid)).grants[0]).toMatchObject({ used: 0, remaining: 5 });
        expectCode(await text("dave", VV.appid, "n7"), 0);
      });

      it("concurrent sends never exceed the window's count", async () => {
        await say("carol", VV.appid, "burst");
        const to = await openid("carol", VV.appid);
        await tokenOf(VV); // one token for the whole burst
        const body = (i: number) => ({ touser: to, msgtype: "text", text: { content: `burst ${i}` } });
        const codes = await Promise.all(Array.from({ length: 12 }, (_, i) => send(VV, body(i))));
        const sorted = codes.map((c) => c.errcode).sort();
        expect(sorted).toEqual([0, 0, 0, 0, 0, ...Array(7).fill(45047)]);
        const delivered = (await conversation("carol", VV.appid)).filter(
          (m) =>
            m.kind === "customer_service" &&
            String((m.payload.text as { content: string }).content).startsWith("burst"),
        );
        expect(delivered).toHaveLength(5);
      });

      it("a follow opens a 3-message window for 60 s; a user message adds its own 48-hour grant", async () => {
        // erin does not follow the verified subscription account yet: following pushes subscribe.
        const fol = await r.post("/_mpstack/users/erin/follow", { appid: VS.appid });
        expect(fol.status, JSON.stringify(fol.body)).toBe(200);
        for (let i = 0; i < 3; i++) expectCode(await text("erin", VS.appid, `welcome ${i}`, VS), 0);
        expectCode(await text("erin", VS.appid, "one more", VS), 45047);
        await advance(61);
        expectCode(await text("erin", VS.appid, "late", VS), 45015);
        await say("erin", VS.appid);
        await advance(30);
        // Both grants: the subscribe one expired, the user-message one live.
        const w = await window("erin", VS.appid);
        expect(w.grants.map((g) => [g.scene, g.live])).toEqual([
          ["subscribe", false],
          ["user_message", true],
        ]);
        expectCode(await text("erin", VS.appid, "answer", VS), 0);
      });

      it("the window closes 48 hours after the user's message (platform clock)", async () => {
        await say("alice", VS.appid, "ping");
        await advance(48 * 3600 - 2);
        expectCode(await text("alice", VS.appid, "just in time", VS), 0);
        await advance(3);
        expectCode(await text("alice", VS.appid, "too late", VS), 45015);
        expect((await window("alice", VS.appid)).grants[0]?.live).toBe(false);
      });

      it("the profile policy changes counts: legacy-20 and seed (unlimited)", async () => {
        const put = async (profile: string | null) =>
          expect(
            (
              await r.raw("/_mpstack/customer-service-policy", {
                method: "PUT",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ appid: VV.appid, profile }),
              })
            ).status,
          ).toBe(200);
        await put("legacy-20");
        await say("erin", VV.appid);
        for (let i = 0; i < 20; i++) expectCode(await text("erin", VV.appid, `m${i}`), 0);
        expectCode(await text("erin", VV.appid, "m20"), 45047);
        await put("seed");
        await say("erin", VV.appid);
        for (let i = 0; i < 25; i++) expectCode(await text("erin", VV.appid, `s${i}`), 0);
        await put(null);
        const view = (await r.get(`/_mpstack/customer-service-policy?appid=${VV.appid}`)).body;
        expect(view).toMatchObject({ overrides: {}, effective: { profile: "current" } });
      });

      it("only verified accounts may send (48001), typing too", async () => {
        for (const acct of [US, UV]) {
          const to = await openid("alice", acct.appid);
          expectCode(await send(acct, { touser: to, msgtype: "text", text: { content: "x" } }), 48001);
          const token = await tokenOf(acct);
          const res = await r.post(`/cgi-bin/message/custom/typing?access_token=${token}`, {
            touser: to,
            command: "Typing",
          });
          expectCode(res.body, 48001);
        }
      });

      it("recipient errors: 40003 unknown, foreign or missing openid; 45015 for a user who unfollowed", async () => {
        const msg = { msgtype: "text", text: { content: "x" } };
        expectCode(await send(VV, { touser: "oUnknown000000000000000000000", ...msg }), 40003);
        expectCode(await send(VV, { touser: await openid("alice", VS.appid), ...msg }), 40003);
        expectCode(await send(VV, msg), 40003);
        expectCode(await send(VV, { touser: "", ...msg }), 40003);
        expectCode(await send(VV, { touser: 42, ...msg }), 47001);
        await say("carol", VS.appid);
        expect((await r.post("/_mpstack/users/carol/unfollow", { appid: VS.appid })).status).toBe(200);
        expectCode(await send(VS, { touser: await openid("carol", VS.appid), ...msg }), 45015);
      });

      it("message errors with their own codes (§3.14)", async () => {
        const to = await openid("bob", VV.appid);
        await say("bob", VV.appid);
        const cases: [unknown, number][] = [
          [{ touser: to }, 40008],
          [{ touser: to, msgtype: "link", link: { title: "t", url: "https://x" } }, 40008],
          [{ touser: to, msgtype: "mpvideo", mpvideo: { media_id: "m" } }, 40008],
          [{ touser: to, msgtype: "sticker" }, 40008],
          [{ touser: to, msgtype: "text" }, 44004],
          [{ touser: to, msgtype: "text", text: {} }, 44004],
          [{ touser: to, msgtype: "text", text: { content: "  " } }, 44004],
          [{ touser: to, msgtype: "text", text: { content: 5 } }, 47001],
          [{ touser: to, msgtype: "text", text: "hi" }, 47001],
          [{ touser: to, msgtype: "image" }, 41006],
          [{ touser: to, msgtype: "image", image: {} }, 41006],
          [{ touser: to, msgtype: "voice", voice: { media_id: "" } }, 41006],
          [{ touser: to, msgtype: "video", video: { title: "t" } }, 41006],
          [{ touser: to, msgtype: "mpnews" }, 41006],
          [{ touser: to, msgtype: "music" }, 47001],
          [{ touser: to, msgtype: "music", music: { hqmusicurl: "h", thumb_media_id: "t" } }, 47001],
          [{ touser: to, msgtype: "music", music: { musicurl: "m", hqmusicurl: "h" } }, 41006],
          [{ touser: to, msgtype: "news", news: { articles: { title: "t" } } }, 47001],
          [{ touser: to, msgtype: "news", news: { articles: [] } }, 44003],
          [{ touser: to, msgtype: "news", news: { articles: [{ title: "a" }, { title: "b" }] } }, 45008],
          [{ touser: to, msgtype: "mpnewsarticle", mpnewsarticle: {} }, 47001],
          [{ touser: to, msgtype: "wxcard", wxcard: {} }, 47001],
          [{ touser: to, msgtype: "msgmenu", msgmenu: { list: [] } }, 47001],
          [
            {
              touser: to,
              msgtype: "msgmenu",
              msgmenu: { list: Array.from({ length: 11 }, (_, i) => ({ id: `${i}`, content: "x" })) },
            },
            45098,
          ],
          [
            { touser: to, msgtype: "msgmenu", msgmenu: { list: [{ id: "1", content: "x".repeat(65) }] } },
            45099,
          ],
          [
            {
              touser: to,
              msgtype: "miniprogrampage",
              miniprogrampage: { title: "t", appid: "wx00000000000000aa", pagepath: "p" },
            },
            41006,
          ],
          [
            {
              touser: to,
              msgtype: "miniprogrampage",
              miniprogrampage: { title: "t", appid: "nope", pagepath: "p", thumb_media_id: "m" },
            },
            45086,
          ],
          [
            {
              touser: to,
              msgtype: "text",
              text: { content: '<a href="https://x" data-miniprogram-appid="bad">x</a>' },
            },
            45086,
          ],
          [{ touser: to, msgtype: "text", text: { content: "x" }, customservice: "kf" }, 47001],
        ];
        for (const [body, code] of cases) expectCode(await send(VV, body), code);
        // None of them was delivered or counted.
        expect((await window("bob", VV.appid)).grants[0]).toMatchObject({ used: 0 });
        const token = await tokenOf(VV);
        const raw = async (body: string) =>
          (await r.post(`/cgi-bin/message/custom/send?access_token=${token}`, body)).body;
        expectCode(await raw(""), 44002);
        expectCode(await raw("{not json"), 47001);
        expectCode(await raw("[1]"), 47001);
        const get = await r.get(`/cgi-bin/message/custom/send?access_token=${token}`);
        expectCode(get.body, 43002);
      });

      it("msgmenu: verified service only (40200 for a verified subscription account) unless the policy widens it", async () => {
        await say("alice", VS.appid);
        const body = {
          touser: await openid("alice", VS.appid),
          msgtype: "msgmenu",
          msgmenu: { list: [{ id: "1", content: "Yes" }] },
        };
        expectCode(await send(VS, body), 40200);
        await r.raw("/_mpstack/customer-service-policy", {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ appid: VS.appid, msgmenuAccounts: "verified" }),
        });
        expectCode(await send(VS, body), 0);
      });

      it("policies: text size limit (45002) and the linked Mini Program list (45086)", async () => {
        const put = (patch: Record<string, unknown>) =>
          r.raw("/_mpstack/customer-service-policy", {
            method: "PUT",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ appid: VV.appid, ...patch }),
          });
        await say("carol", VV.appid);
        expectCode(await text("carol", VV.appid, "é".repeat(20)), 0);
        expect((await put({ textMaxBytes: 30, linkedMiniPrograms: ["wx00000000000000bb"] })).status).toBe(
          200,
        );
        expectCode(await text("carol", VV.appid, "é".repeat(16)), 45002);
        expectCode(await text("carol", VV.appid, "é".repeat(15)), 0);
        const page = (appid: string) => ({
          touser: "",
          msgtype: "miniprogrampage",
          miniprogrampage: { title: "t", appid, pagepath: "p", thumb_media_id: "m" },
        });
        const to = await openid("carol", VV.appid);
        expectCode(await send(VV, { ...page("wx00000000000000aa"), touser: to }), 45086);
        expectCode(await send(VV, { ...page("wx00000000000000bb"), touser: to }), 0);
        const bad = await put({ linkedMiniPrograms: ["not-an-appid"] });
        expect(bad.status).toBe(400);
        await put({ textMaxBytes: null, linkedMiniPrograms: null });
      });
    },
  );
}
