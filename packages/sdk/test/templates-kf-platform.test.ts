/**
 * The SDK's template, subscription and multi-customer-service surface against the real platform
 * (in-process, 127.0.0.1:0, demo world): typed `client.template.*` / `client.kf.*` methods, the
 * TEMPLATESENDJOBFINISH event typed in the handler, the one-time subscription URL helper and the
 * redirect reader around the platform's authorisation page, and `reply.transferCustomerService()`
 * putting the user in the waiting queue.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, demoAppid, demoSecret, type Platform } from "@mpstack/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  createHandler,
  oneTimeSubscribeUrl,
  readOneTimeSubscribeRedirect,
  reply,
  toNodeHttp,
  WechatApiError,
} from "../src/index.js";

const APPID = demoAppid(4);
const TOKEN = "templatesToken";
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

let platform: Platform;
let url: string;
let dir: string;
let server: Server;
const jobStatuses: string[] = [];

const sim = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}/_mpstack${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-templates-"));
  platform = await createPlatform({ dataDir: dir, host: "127.0.0.1", port: 0 });
  url = await platform.listen();
  const h = createHandler({ appId: APPID, token: TOKEN, encodingAESKey: AES_KEY });
  h.event("TEMPLATESENDJOBFINISH", (m) => {
    jobStatuses.push(`${m.MsgID}:${m.Status}`);
    return undefined;
  });
  h.text("human please", () => reply.transferCustomerService());
  h.default(() => undefined);
  server = createServer(toNodeHttp(h));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`;
  await sim("PUT", `/accounts/${APPID}/server`, {
    url: serverUrl,
    token: TOKEN,
    encodingAESKey: AES_KEY,
    mode: "safe",
  });
  await sim("PUT", "/template-policy", { appid: APPID, jobFinishDelayMs: 0 });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("templates, subscriptions and customer service through the SDK", () => {
  const client = () => createClient({ appId: APPID, appSecret: demoSecret(4), baseUrl: url });

  it("sends a template message with typed methods; the handler sees TEMPLATESENDJOBFINISH", async () => {
    const c = client();
    await c.template.setIndustry({ industry_id1: "1", industry_id2: "13" });
    expect((await c.template.getIndustry()).secondary_industry.second_class).toBe("快递");
    const { template_id } = await c.template.addTemplate({ template_id_short: "TM00505" });
    const list = await c.template.getAllPrivateTemplate();
    expect(list.template_list.map((t) => t.template_id)).toContain(template_id);
    const openid = String((await sim("GET", `/users/alice/conversations/${APPID}`)).openid);
    const { msgid } = await c.template.send({
      touser: openid,
      template_id,
      url: "https://shop.example.com/o/1",
      data: { keyword1: { value: "A1024" }, keyword2: { value: "顺丰速运" } },
    });
    for (let i = 0; i < 100 && jobStatuses.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(jobStatuses).toEqual([`${msgid}:success`]);
    const err = await c.template
      .send({ touser: openid, template_id: "x".repeat(43), data: {} })
      .catch((e) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect((err as WechatApiError).errcode).toBe(40037);
  });

  it("builds the one-time subscription URL, reads the redirect, and sends the one message", async () => {
    const templateId = String((await sim("GET", `/accounts/${APPID}/templates`)).onceTemplateId);
    const { url: pageUrl, reserved } = oneTimeSubscribeUrl({
      appId: APPID,
      templateId,
      scene: 42,
      redirectUrl: "http://127.0.0.1:9/done",
      baseUrl: url,
    });
    expect(pageUrl.endsWith("#wechat_redirect")).toBe(true);
    expect(reserved).toMatch(/^[A-Za-z0-9]{32}$/);
    const link = await sim("POST", "/users/bob/browse-link", { next: "/" });
    const entered = await fetch(String(link.link), { redirect: "manual" });
    const cookie = (entered.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const page = pageUrl.split("#")[0]!;
    const confirmed = await fetch(`${page}&decision=confirm`, {
      method: "POST",
      headers: { cookie },
      redirect: "manual",
    });
    const result = readOneTimeSubscribeRedirect(String(confirmed.headers.get("location")), reserved);
    expect(result).toMatchObject({ action: "confirm", templateId, scene: 42 });
    expect(() => readOneTimeSubscribeRedirect(String(confirmed.headers.get("location")), "forged")).toThrow();
    const c = client();
    const message = {
      touser: String(result.openid),
      template_id: templateId,
      scene: result.scene,
      title: "Reminder",
      data: { content: { value: "Your appointment is tomorrow." } },
    };
    expect((await c.template.subscribeOnce(message)).errcode).toBe(0);
    const again = await c.template.subscribeOnce(message).catch((e) => e);
    expect((again as WechatApiError).errcode).toBe(43101);
  });

  it("manages a customer-service account and hands a user over with reply.transferCustomerService()", async () => {
    const c = client();
    await c.kf.addAccount({ kf_account: "amy@demo", nickname: "Amy" });
    expect((await c.kf.getKfList()).kf_list).toEqual([
      { kf_account: "amy@demo", kf_nick: "Amy", kf_id: "1001", kf_headimgurl: "" },
    ]);
    const pushed = await sim("POST", "/users/carol/messages", {
      appid: APPID,
      type: "text",
      content: "human please",
    });
    expect(pushed.reply).toEqual({ type: "transfer_customer_service" });
    const waiting = await c.kf.getWaitCase();
    const carol = String((await sim("GET", `/users/carol/conversations/${APPID}`)).openid);
    expect(waiting.waitcaselist.map((w) => w.openid)).toEqual([carol]);
  });
});
