/**
 * One-time subscription messages (spec/template.md §9): the authorisation page on the mp host knows
 * the browsing user (one-time link cookie; nobody → the chooser), refuses bad parameters with an
 * error page, and redirects exactly as WeChat on allow and cancel; template/subscribe then sends one
 * message per grant (43101 for the second), with every error code of §9.3.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
const US = { appid: "wxd000000000000001", secret: "d0000000000000000000000000000001" };
const CALLBACK = "http://127.0.0.1:9/subscribed?from=test";

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`one-time subscription messages (${backend.name})`, () => {
    let r: Running;
    let onceId: string;

    const pageUrl = (q: Record<string, string>) => `/mp/subscribemsg?${new URLSearchParams(q).toString()}`;
    const params = (over: Record<string, string> = {}) => ({
      action: "get_confirm",
      appid: VV.appid,
      scene: "1000",
      template_id: onceId,
      redirect_url: CALLBACK,
      reserved: "csrf42",
      ...over,
    });
    /** A browser cookie for a simulated user, through a one-time link. */
    const browseAs = async (user: string) => {
      const made = await r.post(`/_mpstack/users/${user}/browse-link`, { next: "/" });
      const res = await r.raw(String(made.body.path), { redirect: "manual" });
      return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    };
    const decide = (url: string, cookie: string, decision: "confirm" | "cancel") =>
      r.raw(`${url}&decision=${decision}`, { method: "POST", headers: { cookie }, redirect: "manual" });
    const subscribe = async (body: Record<string, unknown>, a = VV) =>
      (
        await r.post(
          `/cgi-bin/message/template/subscribe?access_token=${await tokenFor(r, a.appid, a.secret)}`,
          body,
        )
      ).body;
    const message = (touser: string, over: Record<string, unknown> = {}) => ({
      touser,
      template_id: onceId,
      url: "https://example.com/ticket/88",
      scene: "1000",
      title: "Ticket update",
      data: { content: { value: "Your ticket #88 has been answered.\nTap to read.", color: "#173177" } },
      ...over,
    });
    const expectCode = (body: Record<string, unknown>, code: number) => {
      expect(body.errcode, JSON.stringify(body)).toBe(code);
      if (code !== 0) expect(body.errmsg).toMatch(RID_SUFFIX);
    };

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      onceId = String((await r.get(`/_mpstack/accounts/${VV.appid}/templates`)).body.onceTemplateId);
    });
    afterAll(() => r?.close());

    it("sends a browser with no simulated user to the chooser, then back", async () => {
      const url = pageUrl(params());
      const res = await r.raw(url, { redirect: "manual" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/_mpstack/browse?next=${encodeURIComponent(url)}`);
    });

    it("allow redirects with openid, template_id, action, scene, reserved; one send, then 43101", async () => {
      const cookie = await browseAs("carol");
      const url = pageUrl(params());
      const page = await r.raw(url, { headers: { cookie } });
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text).toContain("允许");
      expect(text).toContain("decision=confirm");
      const res = await decide(url, cookie, "confirm");
      expect(res.status).toBe(302);
      const carol = String((await r.get(`/_mpstack/users/carol/conversations/${VV.appid}`)).body.openid);
      expect(res.headers.get("location")).toBe(
        `${CALLBACK}&openid=${carol}&template_id=${encodeURIComponent(onceId)}&action=confirm&scene=1000&reserved=csrf42`,
      );
      // Allowing twice under one scene still gives one message (set, not added).
      await decide(url, cookie, "confirm");
      expectCode(await subscribe(message(carol)), 0);
      expectCode(await subscribe(message(carol)), 43101);
      const last = (
        (await r.get(`/_mpstack/users/carol/conversations/${VV.appid}`)).body.messages as {
          kind: string;
          payload: Record<string, unknown>;
        }[]
      ).at(-1);
      expect(last).toMatchObject({
        kind: "subscribe_once",
        payload: {
          title: "Ticket update",
          content: "Your ticket #88 has been answered.\nTap to read.",
          scene: 1000,
          channel: "chat",
          opens: "url",
        },
      });
    });

    it("cancel redirects without openid and grants nothing", async () => {
      const cookie = await browseAs("dave");
      const url = pageUrl(params({ redirect_url: "http://localhost:9/cb", scene: "7" }));
      const res = await decide(url, cookie, "cancel");
      expect(res.headers.get("location")).toBe(
        `http://localhost:9/cb?template_id=${encodeURIComponent(onceId)}&action=cancel&scene=7&reserved=csrf42`,
      );
      const dave = String((await r.get(`/_mpstack/users/dave/conversations/${VV.appid}`)).body.openid);
      expectCode(await subscribe(message(dave, { scene: 7 })), 43101);
    });

    it("reaches a user who does not follow, in Service Notifications", async () => {
      await r.post("/_mpstack/users", { id: "yan", nickname: "Yan" });
      const cookie = await browseAs("yan");
      const res = await decide(pageUrl(params({ scene: "0" })), cookie, "confirm");
      const openid = new URL(String(res.headers.get("location"))).searchParams.get("openid");
      expect(openid).toMatch(/^o/);
      expectCode(await subscribe(message(String(openid), { scene: 0 })), 0);
      const conv = (await r.get(`/_mpstack/users/yan/conversations/${VV.appid}`)).body;
      expect(conv.subscribed).toBe(false);
      expect((conv.messages as { payload: { channel: string } }[]).at(-1)?.payload.channel).toBe(
        "service_notifications",
      );
    });

    it("shows an error page, and no redirect, for each bad parameter", async () => {
      const cookie = await browseAs("erin");
      const bad: Record<string, string>[] = [
        { action: "confirm" },
        { appid: "wx0000000000000bad" },
        { appid: US.appid },
        { template_id: "wrong" },
        { scene: "10001" },
        { scene: "-1" },
        { redirect_url: "https://evil.example.com/cb" },
        { redirect_url: "not a url" },
        { reserved: "has-dash" },
        { reserved: "a".repeat(129) },
      ];
      for (const over of bad) {
        const res = await r.raw(pageUrl(params(over)), { headers: { cookie }, redirect: "manual" });
        expect(res.status, JSON.stringify(over)).toBe(400);
        expect(res.headers.get("location")).toBeNull();
        expect(res.headers.get("content-type")).toMatch(/text\/html/);
      }
    });

    it("template/subscribe answers 40037, 40003, 47003, 48001 as §9.3 orders them", async () => {
      const cookie = await browseAs("alice");
      await decide(pageUrl(params({ scene: "55" })), cookie, "confirm");
      const alice = String((await r.get(`/_mpstack/users/alice/conversations/${VV.appid}`)).body.openid);
      expectCode(await subscribe(message(alice, { template_id: "x".repeat(43), scene: 55 })), 40037);
      expectCode(await subscribe(message("oNobodyAtAll", { scene: 55 })), 40003);
      expectCode(await subscribe(message(alice, { scene: 56 })), 43101);
      expectCode(
        await subscribe(message(alice, { scene: 55, title: "一二三四五六七八九十一二三四五六" })),
        47003,
      );
      expectCode(
        await subscribe(message(alice, { scene: 55, data: { content: { value: "x".repeat(201) } } })),
        47003,
      );
      // The failures left the grant in place.
      expectCode(await subscribe(message(alice, { scene: 55 })), 0);
      expectCode(await subscribe(message(alice), US), 48001);
    });
  });
}
