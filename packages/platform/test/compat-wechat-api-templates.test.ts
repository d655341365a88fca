/**
 * Compatibility with the npm `wechat-api` client (CommonJS, urllib) for template messages and
 * multi-customer-service: it sets industries, adds and lists templates, sends a template message
 * (which lands in the follower's conversation), and manages a customer-service account — add,
 * update, avatar upload (its formstream multipart), list, sessions, records, delete — surfacing
 * WeChat's errors (40037, 65406) as its own.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start } from "./helpers.js";

type Callback = (err: WechatApiError | null, data: Record<string, unknown>) => void;
interface WechatApiError extends Error {
  code?: number;
}
interface WechatApiClient {
  endpoint: string;
  setIndustry(ids: { industry_id1: string; industry_id2: string }, cb: Callback): void;
  getIndustry(cb: Callback): void;
  addTemplate(templateIdShort: string, cb: Callback): void;
  getAllPrivateTemplate(cb: Callback): void;
  delPrivateTemplate(templateId: string, cb: Callback): void;
  sendTemplate(
    openid: string,
    templateId: string,
    url: string,
    data: Record<string, unknown>,
    cb: Callback,
  ): void;
  addKfAccount(account: string, nick: string, password: string, cb: Callback): void;
  updateKfAccount(account: string, nick: string, password: string, cb: Callback): void;
  deleteKfAccount(account: string, cb: Callback): void;
  setKfAccountAvatar(account: string, filepath: string, cb: Callback): void;
  getCustomServiceList(cb: Callback): void;
  getOnlineCustomServiceList(cb: Callback): void;
  createKfSession(account: string, openid: string, cb: Callback): void;
  getKfSession(openid: string, cb: Callback): void;
  closeKfSession(account: string, openid: string, cb: Callback): void;
  getRecords(opts: Record<string, number>, cb: Callback): void;
}
type WechatApiCtor = new (appid: string, secret: string) => WechatApiClient;

const WechatAPI = createRequire(import.meta.url)("wechat-api") as WechatApiCtor;
const APPID = "wxd000000000000004";
const SECRET = "d0000000000000000000000000000004";

function call(fn: (cb: Callback) => void): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));
}

describe("wechat-api (npm): template messages and customer-service accounts", () => {
  let r: Running;
  let api: WechatApiClient;
  let alice: string;

  beforeAll(async () => {
    r = await start();
    api = new WechatAPI(APPID, SECRET);
    api.endpoint = r.url;
    alice = String((await r.get(`/_mpstack/users/alice/conversations/${APPID}`)).body.openid);
  });
  afterAll(() => r?.close());

  it("sets industries, adds a template and sends a template message", async () => {
    await call((cb) => api.setIndustry({ industry_id1: "1", industry_id2: "13" }, cb));
    expect((await call((cb) => api.getIndustry(cb))).primary_industry).toEqual({
      first_class: "IT科技",
      second_class: "互联网|电子商务",
    });
    const { template_id } = await call((cb) => api.addTemplate("TM00015", cb));
    const list = (await call((cb) => api.getAllPrivateTemplate(cb))).template_list as {
      template_id: string;
    }[];
    expect(list.map((t) => t.template_id)).toEqual([template_id]);
    const sent = await call((cb) =>
      api.sendTemplate(
        alice,
        String(template_id),
        "https://shop.example.com/o/9",
        { keyword1: { value: "39.80元", color: "#173177" }, keyword2: { value: "蓝色马克杯" } },
        cb,
      ),
    );
    expect(sent.errcode).toBe(0);
    expect(typeof sent.msgid).toBe("number");
    const messages = (await r.get(`/_mpstack/users/alice/conversations/${APPID}`)).body.messages as {
      kind: string;
      msgId: string;
      payload: { url: string };
    }[];
    expect(messages.at(-1)).toMatchObject({ kind: "template", msgId: String(sent.msgid) });
    expect(messages.at(-1)?.payload.url).toBe("https://shop.example.com/o/9");
    const err = (await call((cb) => api.sendTemplate(alice, "x".repeat(43), "", {}, cb)).catch(
      (e) => e,
    )) as WechatApiError;
    expect(err.code).toBe(40037);
    await call((cb) => api.delPrivateTemplate(String(template_id), cb));
    expect((await call((cb) => api.getAllPrivateTemplate(cb))).template_list).toEqual([]);
  });

  it("manages a customer-service account: add, update, avatar, list, session, records, delete", async () => {
    await call((cb) => api.addKfAccount("amy@demo", "Amy", "secret", cb));
    const dup = (await call((cb) => api.addKfAccount("amy@demo", "Amy", "secret", cb)).catch(
      (e) => e,
    )) as WechatApiError;
    expect(dup.code).toBe(65406);
    await call((cb) => api.updateKfAccount("amy@demo", "Amy Z", "secret", cb));
    const avatar = join(r.dir, "amy.jpg");
    writeFileSync(avatar, Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex"));
    await call((cb) => api.setKfAccountAvatar("amy@demo", avatar, cb));
    const list = (await call((cb) => api.getCustomServiceList(cb))).kf_list as Record<string, string>[];
    expect(list).toEqual([
      {
        kf_account: "amy@demo",
        kf_nick: "Amy Z",
        kf_id: "1001",
        kf_headimgurl: expect.stringMatching(/^http/),
      },
    ]);
    // A worker binds and goes online (simulator), then wechat-api opens and closes a session.
    const post = (path: string, method: string, body: unknown) =>
      r.raw(`/_mpstack/kf/${APPID}/amy%40demo/${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const token = (await r.get(`/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`))
      .body.access_token;
    await r.post(`/customservice/kfaccount/inviteworker?access_token=${token}`, {
      kf_account: "amy@demo",
      invite_wx: "erin",
    });
    expect((await post("invitation", "POST", { decision: "accept" })).status).toBe(200);
    expect((await post("status", "PUT", { online: true })).status).toBe(200);
    expect((await call((cb) => api.getOnlineCustomServiceList(cb))).kf_online_list).toEqual([
      { kf_account: "amy@demo", status: 1, kf_id: "1001", auto_accept: 0, accepted_case: 0 },
    ]);
    await call((cb) => api.createKfSession("amy@demo", alice, cb));
    expect((await call((cb) => api.getKfSession(alice, cb))).kf_account).toBe("amy@demo");
    expect((await post("messages", "POST", { openid: alice, text: "Hello from Amy" })).status).toBe(200);
    const now = Number((await r.get("/_mpstack/clock")).body.nowSeconds);
    const records = await call((cb) =>
      api.getRecords({ starttime: now - 3600, endtime: now + 60, number: 100 }, cb),
    );
    expect(records.recordlist).toEqual([
      { openid: alice, opercode: 2002, text: "Hello from Amy", time: expect.any(Number), worker: "amy@demo" },
    ]);
    await call((cb) => api.closeKfSession("amy@demo", alice, cb));
    await call((cb) => api.deleteKfAccount("amy@demo", cb));
    expect((await call((cb) => api.getCustomServiceList(cb))).kf_list).toEqual([]);
  });
});
