/**
 * Multi-customer-service over real HTTP (spec/customer-service.md §5–§8): customer-service accounts
 * with every error code of §5, workers invited and answering through the simulator, sessions with
 * every code of §6, a transferred conversation (transfer_customer_service from a developer server)
 * that waits, is picked up by a worker, bypasses the developer server, appears in the chat records
 * and closes; pinned transfers, auto-accept, the 30-minute rule, switches, and getmsglist paging.
 */
import type { InboundMessage, Reply } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";
import { type DevServer, protocolReplier, type ReplyChoice, startDevServer } from "./push-servers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
const VS = { appid: "wxd000000000000002", secret: "d0000000000000000000000000000002" };
const JPEG = Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");

type Pushed = InboundMessage & Record<string, unknown>;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`multi-customer-service (${backend.name})`, () => {
    let r: Running;
    let dev: DevServer;
    const pushed: Pushed[] = [];
    let replyWith: (m: InboundMessage) => ReplyChoice = () => "success";
    const tokens = new Map<string, string>();

    const tokenOf = async (a = VV) => {
      const t = tokens.get(a.appid) ?? (await tokenFor(r, a.appid, a.secret));
      tokens.set(a.appid, t);
      return t;
    };
    const api = async (path: string, body?: unknown, a = VV) => {
      const url = `${path}${path.includes("?") ? "&" : "?"}access_token=${await tokenOf(a)}`;
      return (body === undefined ? await r.get(url) : await r.post(url, body)).body;
    };
    const expectCode = (body: Record<string, unknown>, code: number) => {
      expect(body.errcode, JSON.stringify(body)).toBe(code);
      if (code !== 0) expect(body.errmsg).toMatch(RID_SUFFIX);
    };
    const sim = async (method: string, path: string, body?: unknown) => {
      const res = await r.raw(`/_mpstack${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const policy = (patch: Record<string, unknown>) =>
      sim("PUT", "/kf-policy", { appid: VV.appid, ...patch });
    const worker = (kf: string, action: string, body: unknown) =>
      sim(action === "status" ? "PUT" : "POST", `/kf/${VV.appid}/${encodeURIComponent(kf)}/${action}`, body);
    const openidOf = async (user: string) =>
      String((await r.get(`/_mpstack/users/${user}/conversations/${VV.appid}`)).body.openid);
    const say = async (user: string, content: string) =>
      (await r.post(`/_mpstack/users/${user}/messages`, { appid: VV.appid, type: "text", content })).body;
    const addKf = (kf_account: string, nickname = "Agent") =>
      api("/customservice/kfaccount/add", { kf_account, nickname });
    /** Add a kf account whose worker is bound and online. */
    const readyKf = async (kf: string, user: string, autoAccept = false) => {
      expectCode(await addKf(kf), 0);
      expectCode(await api("/customservice/kfaccount/inviteworker", { kf_account: kf, invite_wx: user }), 0);
      expect((await worker(kf, "invitation", { decision: "accept" })).status).toBe(200);
      expect((await worker(kf, "status", { online: true, autoAccept })).status).toBe(200);
    };
    const eventFor = async (openid: string, event: string, since: number) => {
      for (let i = 0; i < 150; i++) {
        const hit = pushed.slice(since).find((m) => m.FromUserName === openid && m.Event === event);
        if (hit) return hit;
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error(`${event} for ${openid} not pushed`);
    };

    beforeAll(async () => {
      dev = await startDevServer(() => ({ body: "success" }));
      r = await start({ pg: backend.pg, demoBotUrl: dev.url });
      const server = (await r.get(`/_mpstack/accounts/${VV.appid}/server`)).body.server as {
        token: string;
        encodingAESKey: string;
      };
      dev.handle = protocolReplier(
        { appid: VV.appid, ...server },
        (m) => replyWith(m),
        pushed as InboundMessage[],
      );
    });
    afterAll(async () => {
      await r?.close();
      await dev?.close();
    });

    it("manages customer-service accounts with the codes of §5 (65400–65406, 40005, 48001)", async () => {
      for (const bad of ["noat", "prefix_too_long@demo", "a b@demo", "x@", "@demo"])
        expectCode(await addKf(bad), 65404);
      expectCode(await addKf("alice@demo", ""), 65403);
      expectCode(await addKf("alice@demo", "x".repeat(17)), 65403);
      expectCode(await addKf("alice@demo", "Alice"), 0);
      expectCode(await addKf("alice@demo", "Alice"), 65406);
      await policy({ maxAccounts: 1 });
      expectCode(await addKf("bob@demo"), 65405);
      await policy({ maxAccounts: null, wechatId: "demoacct" });
      expectCode(await addKf("bob@demo"), 65404);
      await policy({ wechatId: null });
      expectCode(
        await api("/customservice/kfaccount/update", { kf_account: "zz@demo", nickname: "Z" }),
        65401,
      );
      expectCode(
        await api("/customservice/kfaccount/update", { kf_account: "alice@demo", nickname: " " }),
        65403,
      );
      expectCode(
        await api("/customservice/kfaccount/update", { kf_account: "alice@demo", nickname: "Alice W" }),
        0,
      );
      // Avatars: JPEG only, then served at the listed URL.
      const upload = async (kf: string, data: Buffer) => {
        const form = new FormData();
        form.append("media", new Blob([data], { type: "image/jpeg" }), "a.jpg");
        const res = await r.raw(
          `/customservice/kfaccount/uploadheadimg?access_token=${await tokenOf()}&kf_account=${kf}`,
          { method: "POST", body: form },
        );
        return (await res.json()) as Record<string, unknown>;
      };
      expectCode(await upload("zz@demo", JPEG), 65401);
      expectCode(await upload("alice@demo", Buffer.from("GIF89a....")), 40005);
      expectCode(await upload("alice@demo", JPEG), 0);
      const list = (await api("/cgi-bin/customservice/getkflist")).kf_list as Record<string, string>[];
      expect(list).toEqual([
        {
          kf_account: "alice@demo",
          kf_nick: "Alice W",
          kf_id: "1001",
          kf_headimgurl: expect.stringContaining("/1001"),
        },
      ]);
      const img = await r.raw(
        new URL(list[0]!.kf_headimgurl!).pathname + new URL(list[0]!.kf_headimgurl!).search,
      );
      expect(Buffer.from(await img.arrayBuffer())).toEqual(JPEG);
      // Deleting: unknown 65401; the GET form WeChat documents (and SDKs send the @ unencoded).
      expectCode(await addKf("temp@demo"), 0);
      expectCode(await api("/customservice/kfaccount/del?kf_account=nobody@demo"), 65401);
      expectCode(await api("/customservice/kfaccount/del?kf_account=temp@demo"), 0);
      // The feature switch and the permission row.
      await policy({ enabled: false });
      expectCode(await api("/cgi-bin/customservice/getkflist"), 65400);
      expectCode(await addKf("carol@demo"), 65400);
      await policy({ enabled: null });
      expectCode(await api("/cgi-bin/customservice/getkflist", undefined, VS), 48001);
    });

    it("invites workers with the codes of §5.7; workers accept, reject, or let it expire", async () => {
      const invite = (kf_account: string, invite_wx: string) =>
        api("/customservice/kfaccount/inviteworker", { kf_account, invite_wx });
      expectCode(await invite("nobody@demo", "bob"), 65401);
      expectCode(await invite("alice@demo", "no-such-wechat-user"), 65409);
      expectCode(await invite("alice@demo", "bob"), 0);
      expectCode(await invite("alice@demo", "carol"), 65411);
      expectCode(await addKf("second@demo"), 0);
      expectCode(await invite("second@demo", "bob"), 65408);
      const listed = (
        (await api("/cgi-bin/customservice/getkflist")).kf_list as Record<string, unknown>[]
      )[0]!;
      expect(listed).toMatchObject({ invite_wx: "bob", invite_status: "waiting" });
      expect(listed.invite_expire_time).toBeGreaterThan(Date.now() / 1000);
      expect((await worker("alice@demo", "invitation", { decision: "accept" })).status).toBe(200);
      expect(
        ((await api("/cgi-bin/customservice/getkflist")).kf_list as Record<string, unknown>[])[0],
      ).toMatchObject({
        kf_wx: "bob",
      });
      expectCode(await invite("alice@demo", "carol"), 65412);
      expectCode(await invite("second@demo", "bob"), 65407);
      expectCode(await invite("second@demo", "carol"), 0);
      expect((await worker("second@demo", "invitation", { decision: "reject" })).status).toBe(200);
      expect((await worker("second@demo", "invitation", { decision: "accept" })).status).toBe(409);
      expectCode(await invite("second@demo", "dave"), 0);
      tokens.clear();
      await r.post("/_mpstack/clock", { advanceSeconds: 8 * 86400 });
      tokens.clear();
      const second = (
        (await api("/cgi-bin/customservice/getkflist")).kf_list as Record<string, unknown>[]
      )[1];
      expect(second).toMatchObject({ invite_wx: "dave", invite_status: "expired" });
      // A worker bound to too many customer-service accounts (policy: 1 here).
      await policy({ workerBindLimit: 1 });
      expectCode(await invite("second@demo", "bob"), 65407);
      const other = await sim("POST", "/accounts", { type: "service", verified: true, name: "Other" });
      const otherAcct = { appid: String(other.body.appid), secret: String(other.body.secret) };
      await sim("PUT", "/kf-policy", { appid: otherAcct.appid, workerBindLimit: 1 });
      expectCode(
        await api("/customservice/kfaccount/add", { kf_account: "x@other", nickname: "X" }, otherAcct),
        0,
      );
      expectCode(
        await api(
          "/customservice/kfaccount/inviteworker",
          { kf_account: "x@other", invite_wx: "bob" },
          otherAcct,
        ),
        65410,
      );
      await policy({ workerBindLimit: null });
    });

    it("creates and closes sessions with the codes of §6 and pushes the session events", async () => {
      const erin = await openidOf("erin");
      const create = (kf_account: string, openid = erin) =>
        api("/customservice/kfsession/create", { kf_account, openid });
      const close = (kf_account: string, openid = erin) =>
        api("/customservice/kfsession/close", { kf_account, openid });
      expectCode(await create("nobody@demo"), 65401);
      expectCode(await create("second@demo"), 65402);
      expectCode(await create("alice@demo"), 65415);
      expect((await worker("alice@demo", "status", { online: true })).status).toBe(200);
      expectCode(await create("alice@demo", "oNotAUserOfThisAccount"), 40003);
      const mark = pushed.length;
      expectCode(await create("alice@demo"), 0);
      expect((await eventFor(erin, "kf_create_session", mark)).KfAccount).toBe("alice@demo");
      expectCode(await create("alice@demo"), 0); // the same session: nothing changes
      const got = await api(`/customservice/kfsession/getsession?openid=${erin}`);
      expect(got.kf_account).toBe("alice@demo");
      expect(got.createtime).toBeGreaterThan(0);
      expect(
        (await api("/customservice/kfsession/getsessionlist?kf_account=alice@demo")).sessionlist,
      ).toEqual([{ createtime: got.createtime, openid: erin }]);
      expectCode(await api("/customservice/kfsession/getsessionlist?kf_account=no@demo"), 65401);
      await readyKf("third@demo", "carol");
      expectCode(await create("third@demo"), 65414);
      expectCode(await close("third@demo"), 65414);
      const online = (await api("/cgi-bin/customservice/getonlinekflist")).kf_online_list;
      expect(online).toEqual([
        { kf_account: "alice@demo", status: 1, kf_id: "1001", auto_accept: 0, accepted_case: 1 },
        { kf_account: "third@demo", status: 1, kf_id: expect.any(String), auto_accept: 0, accepted_case: 0 },
      ]);
      const mark2 = pushed.length;
      expectCode(await close("alice@demo"), 0);
      expect((await eventFor(erin, "kf_close_session", mark2)).KfAccount).toBe("alice@demo");
      expectCode(await close("alice@demo"), 65413);
      expectCode(await close("second@demo"), 65402);
      expectCode(await api("/customservice/kfsession/getsession?openid=oNobodyHere"), 40003);
      expect(await api(`/customservice/kfsession/getsession?openid=${erin}`)).toEqual({
        createtime: 0,
        kf_account: "",
      });
    });

    it("a transferred conversation waits, is picked up, bypasses the server, is recorded, and closes", async () => {
      const alice = await openidOf("alice");
      const startTime = Number((await r.get("/_mpstack/clock")).body.nowSeconds) - 60;
      replyWith = (m) =>
        m.kind === "text" && m.Content === "help"
          ? ({ type: "transfer_customer_service" } as Reply)
          : "success";
      const first = await say("alice", "help");
      expect(first.status).toBe("replied");
      expect(first.reply).toEqual({ type: "transfer_customer_service" });
      const waiting = await api("/customservice/kfsession/getwaitcase");
      expect(waiting).toMatchObject({
        count: 1,
        waitcaselist: [{ openid: alice, latest_time: expect.any(Number) }],
      });
      // Still waiting: the next message goes to the developer's server as well.
      const before = dev.posts().length;
      expect((await say("alice", "anyone?")).status).toBe("empty");
      expect(dev.posts().length).toBe(before + 1);
      const mark = pushed.length;
      expect((await worker("alice@demo", "accept", {})).body).toMatchObject({ openid: alice, user: "alice" });
      await eventFor(alice, "kf_create_session", mark);
      expect((await api("/customservice/kfsession/getwaitcase")).count).toBe(0);
      // In the session the user's messages go to the worker, not to the server.
      const inSession = dev.posts().length;
      expect((await say("alice", "my order is late")).status).toBe("customer_service");
      expect(dev.posts().length).toBe(inSession);
      expect((await worker("alice@demo", "messages", { openid: alice, text: "Let me check." })).status).toBe(
        200,
      );
      // custom/send as the customer-service account: the same worker named, and recorded.
      expectCode(
        await api("/cgi-bin/message/custom/send", {
          touser: alice,
          msgtype: "text",
          text: { content: "Found it: it ships today." },
          customservice: { kf_account: "alice@demo" },
        }),
        0,
      );
      expectCode(
        await api("/cgi-bin/message/custom/send", {
          touser: alice,
          msgtype: "text",
          text: { content: "x" },
          customservice: { kf_account: "ghost@demo" },
        }),
        65401,
      );
      const convo = (await r.get(`/_mpstack/users/alice/conversations/${VV.appid}`)).body.messages as {
        kind: string;
        payload: Record<string, unknown>;
      }[];
      expect(convo.filter((m) => m.kind === "customer_service").map((m) => m.payload.customservice)).toEqual([
        { kf_account: "alice@demo" },
        { kf_account: "alice@demo" },
      ]);
      expect(convo.find((m) => m.kind === "customer_service")?.payload.worker).toMatchObject({
        nickname: "Alice W",
      });
      const records = await api("/customservice/msgrecord/getmsglist", {
        starttime: startTime,
        endtime: startTime + 86400,
        msgid: 1,
        number: 10000,
      });
      expect(records.recordlist).toEqual([
        { openid: alice, opercode: 2003, text: "help", time: expect.any(Number), worker: "alice@demo" },
        { openid: alice, opercode: 2003, text: "anyone?", time: expect.any(Number), worker: "alice@demo" },
        {
          openid: alice,
          opercode: 2003,
          text: "my order is late",
          time: expect.any(Number),
          worker: "alice@demo",
        },
        {
          openid: alice,
          opercode: 2002,
          text: "Let me check.",
          time: expect.any(Number),
          worker: "alice@demo",
        },
        {
          openid: alice,
          opercode: 2002,
          text: "Found it: it ships today.",
          time: expect.any(Number),
          worker: "alice@demo",
        },
      ]);
      expect(records).toMatchObject({ number: 5, msgid: 6 });
      // Paging by msgid.
      const page = (msgid: number) =>
        api("/customservice/msgrecord/getmsglist", {
          starttime: startTime,
          endtime: startTime + 86400,
          msgid,
          number: 2,
        });
      const p1 = await page(1);
      const p2 = await page(Number(p1.msgid));
      const p3 = await page(Number(p2.msgid));
      expect([p1.number, p2.number, p3.number]).toEqual([2, 2, 1]);
      expect((p3.recordlist as { text: string }[])[0]?.text).toBe("Found it: it ships today.");
      const mark2 = pushed.length;
      expect((await worker("alice@demo", "close", { openid: alice })).status).toBe(200);
      await eventFor(alice, "kf_close_session", mark2);
      expect((await say("alice", "thanks")).status).toBe("empty");
      expect(dev.posts().length).toBe(inSession + 2); // the close event and "thanks"
    });

    it("pins transfers to TransInfo's account, auto-accepts, switches, and closes idle sessions", async () => {
      const bob = await openidOf("bob");
      replyWith = (m) =>
        m.kind === "text" && m.Content === "agent please"
          ? ({ type: "transfer_customer_service", kfAccount: "third@demo" } as Reply)
          : "success";
      await worker("third@demo", "status", { online: false });
      await say("bob", "agent please");
      expect((await api("/customservice/kfsession/getwaitcase")).waitcaselist).toEqual([
        { openid: bob, latest_time: expect.any(Number), kf_account: "third@demo" },
      ]);
      expect((await worker("alice@demo", "accept", { openid: bob })).status).toBe(409);
      const mark = pushed.length;
      await worker("third@demo", "status", { online: true, autoAccept: true });
      expect((await eventFor(bob, "kf_create_session", mark)).KfAccount).toBe("third@demo");
      // The worker hands bob to alice@demo.
      const mark2 = pushed.length;
      expect((await worker("third@demo", "transfer", { openid: bob, to: "alice@demo" })).status).toBe(200);
      const sw = await eventFor(bob, "kf_switch_session", mark2);
      expect([sw.FromKfAccount, sw.ToKfAccount]).toEqual(["third@demo", "alice@demo"]);
      // 30 minutes without a message: the session closes.
      const mark3 = pushed.length;
      tokens.clear();
      await r.post("/_mpstack/clock", { advanceSeconds: 31 * 60 });
      tokens.clear();
      expect(await api(`/customservice/kfsession/getsession?openid=${bob}`)).toEqual({
        createtime: 0,
        kf_account: "",
      });
      expect((await eventFor(bob, "kf_close_session", mark3)).KfAccount).toBe("alice@demo");
      // With auto-accept on, an unpinned transfer becomes a session at once.
      replyWith = (m) =>
        m.kind === "text" && m.Content === "help"
          ? ({ type: "transfer_customer_service" } as Reply)
          : "success";
      await say("dave", "help");
      const dave = await openidOf("dave");
      expect((await api(`/customservice/kfsession/getsession?openid=${dave}`)).kf_account).toBe("third@demo");
      // Without the feature, a transfer is dropped.
      await policy({ enabled: false });
      await say("carol", "help");
      await policy({ enabled: null });
      expect((await api("/customservice/kfsession/getwaitcase")).count).toBe(0);
      expect(
        (await api(`/customservice/kfsession/getsession?openid=${await openidOf("carol")}`)).kf_account,
      ).toBe("");
    });

    it("getmsglist answers 65416, 65417, 61501 for bad queries", async () => {
      const q = (over: Record<string, unknown>) =>
        api("/customservice/msgrecord/getmsglist", {
          starttime: 1_700_000_000,
          endtime: 1_700_003_600,
          msgid: 1,
          number: 10,
          ...over,
        });
      expectCode(await q({ endtime: 1_700_000_000 + 86_401 }), 65417);
      expectCode(await q({ starttime: 1_700_003_601 }), 61501);
      expectCode(await q({ number: 0 }), 65416);
      expectCode(await q({ number: 10_001 }), 65416);
      expectCode(await q({ msgid: 0 }), 65416);
      expectCode(await q({ msgid: "abc" }), 65416);
      expect(await q({})).toEqual({ recordlist: [], number: 0, msgid: 1 });
    });
  });
}
