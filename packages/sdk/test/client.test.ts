/**
 * The API client against a fake WeChat: typed methods from the catalog, JSON bodies, the generic
 * request, errors and rid parsing.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  type createClient,
  isMediaFile,
  type MediaInput,
  parseRid,
  TOKEN_ERROR_CODES,
  WechatApiError,
  WechatError,
} from "../src/index.js";
import { adHoc, clientFor } from "./client-harness.js";
import { errorBody, type FakeWechat, startFakeWechat } from "./helpers/fake-wechat.js";

let fake: FakeWechat;
beforeEach(async () => {
  fake = await startFakeWechat({ tokenDelayMs: 30 });
});
afterEach(async () => {
  await fake.close();
});

describe("typed methods from the catalog", () => {
  it("calls basic.getCallbackIp with the token in the query", async () => {
    const client = clientFor(fake);
    const result = await client.basic.getCallbackIp();
    expect(result.ip_list).toEqual(["127.0.0.1"]);
    const [call] = fake.apiRequests("/cgi-bin/getcallbackip");
    expect(call?.method).toBe("GET");
    expect(fake.validTokens.has(call?.query.access_token ?? "")).toBe(true);
    expect(fake.tokenRequests).toBe(1);
  });

  it("sends POST endpoints as JSON bodies and queryKeys in the query", async () => {
    const client = clientFor(fake);
    fake.on("/cgi-bin/openapi/quota/get", (req) => ({
      json: {
        errcode: 0,
        errmsg: "ok",
        quota: { daily_limit: 10, used: 1, remain: 9 },
        echo: JSON.parse(req.body.toString()),
      },
    }));
    const quota = await client.basic.getQuota({ cgi_path: "/cgi-bin/token" });
    expect(quota.quota.remain).toBe(9);
    const [req] = fake.apiRequests("/cgi-bin/openapi/quota/get");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req?.body.toString() ?? "")).toEqual({ cgi_path: "/cgi-bin/token" });

    await client.call(adHoc.send, { flag: "x", touser: "o1", text: { content: "hi" } });
    const [send] = fake.apiRequests("/cgi-bin/message/custom/send");
    expect(send?.query.flag).toBe("x");
    expect(JSON.parse(send?.body.toString() ?? "")).toEqual({ touser: "o1", text: { content: "hi" } });
  });

  it("exposes every catalog group and endpoint as a function", async () => {
    const { catalog } = await import("@mpstack/protocol");
    const client = clientFor(fake) as unknown as Record<string, Record<string, unknown>>;
    for (const [groupName, endpoints] of Object.entries(catalog)) {
      for (const name of Object.keys(endpoints)) expect(typeof client[groupName]?.[name]).toBe("function");
    }
  });

  it("calls auth-none endpoints without a token (basic.token)", async () => {
    const client = clientFor(fake);
    const answer = await client.basic.token({
      grant_type: "client_credential",
      appid: fake.appId,
      secret: fake.appSecret,
    });
    expect(fake.validTokens.has(answer.access_token)).toBe(true);
    expect(fake.tokenRequests).toBe(1);
  });
});

describe("JSON bodies", () => {
  it("are raw UTF-8, never \\u escapes", async () => {
    const client = clientFor(fake);
    const content = "你好，世界 😀 \ud800 tail";
    await client.call(adHoc.send, { flag: "1", touser: "o", text: { content } });
    await client.request("POST", "/cgi-bin/menu/create", {
      button: [{ type: "click", name: "菜单", key: "K" }],
    });
    for (const path of ["/cgi-bin/message/custom/send", "/cgi-bin/menu/create"]) {
      const [req] = fake.apiRequests(path);
      const raw = req?.body.toString("utf8") ?? "";
      expect(raw).not.toContain("\\u");
      expect(
        req?.body.includes(Buffer.from("菜单", "utf8")) || req?.body.includes(Buffer.from("你好", "utf8")),
      ).toBe(true);
    }
    const [send] = fake.apiRequests("/cgi-bin/message/custom/send");
    expect(JSON.parse(send?.body.toString("utf8") ?? "").text.content).toBe("你好，世界 😀 \ufffd tail");
  });

  it("keeps 64-bit integers of responses exact", async () => {
    fake.on("/cgi-bin/message/mass/send", () => ({
      body: Buffer.from(
        '{"errcode":0,"errmsg":"ok","msg_id":34182,"msg_data_id":2247483649123456789,"s":"12345678901234567890"}',
      ),
      headers: { "content-type": "application/json" },
    }));
    const client = clientFor(fake);
    const result = await client.request<Record<string, unknown>>("POST", "/cgi-bin/message/mass/send", {});
    expect(result).toEqual({
      errcode: 0,
      errmsg: "ok",
      msg_id: 34182,
      msg_data_id: "2247483649123456789",
      s: "12345678901234567890",
    });
  });
});

describe("generic request", () => {
  it("is token-aware and throws typed errors", async () => {
    const client = clientFor(fake);
    const ips = await client.request<{ ip_list: string[] }>("GET", "/cgi-bin/get_api_domain_ip", undefined, {
      x: 1,
    });
    expect(ips).toEqual({ errcode: 0, errmsg: "ok" });
    const [req] = fake.apiRequests("/cgi-bin/get_api_domain_ip");
    expect(req?.query.x).toBe("1");
    expect(fake.validTokens.has(req?.query.access_token ?? "")).toBe(true);
    fake.on("/cgi-bin/user/info", () => ({ json: errorBody(40003, "invalid openid") }));
    await expect(
      client.request("GET", "/cgi-bin/user/info", undefined, { openid: "x" }),
    ).rejects.toMatchObject({
      errcode: 40003,
      errmsg: expect.stringContaining("invalid openid"),
    });
  });

  it("refuses paths that would leave the base URL", async () => {
    const client = clientFor(fake);
    for (const path of ["https://evil.example/x", "//evil.example/x", "cgi-bin/token", "/a\\b"]) {
      await expect(client.request("GET", path)).rejects.toBeInstanceOf(TypeError);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe("parseRid", () => {
  it("reads the rid suffix in its forms", () => {
    expect(parseRid("invalid appsecret, rid: 66b5fb8f-5e3c0071-3d7f539a")).toBe("66b5fb8f-5e3c0071-3d7f539a");
    expect(parseRid("access_token is invalid or not latest rid: 60a47f32-6c752146-08923d1f")).toBe(
      "60a47f32-6c752146-08923d1f",
    );
    expect(parseRid("invalid ip 1.2.3.4 hint: [KJZfAa0644e575]")).toBeUndefined();
    expect(parseRid("ok")).toBeUndefined();
  });

  it("is the protocol's, and WechatApiError is the protocol's WechatError with a path", () => {
    const error = new WechatApiError({
      errcode: 40001,
      errmsg: "invalid credential, access_token is invalid or not latest rid: 60a47f32-6c752146-08923d1f",
      path: "/cgi-bin/menu/get",
    });
    expect(error).toBeInstanceOf(WechatError);
    expect(error.rid).toBe("60a47f32-6c752146-08923d1f");
    expect(error.message).toBe(`/cgi-bin/menu/get failed with errcode 40001: ${error.errmsg}`);
    expect(error.toBody()).toEqual({ errcode: 40001, errmsg: error.errmsg });
    expect(TOKEN_ERROR_CODES).toContain(error.errcode);
  });
});

describe("endpoints of the protocol catalog", () => {
  it("types arguments and results from the catalog's schemas", () => {
    type Client = ReturnType<typeof createClient>;
    expectTypeOf<Parameters<Client["followers"]["info"]>[0]>().toEqualTypeOf<{
      openid: string;
      lang?: "zh_CN" | "zh_TW" | "en";
    }>();
    expectTypeOf<Parameters<Client["menu"]["get"]>[0]>().toEqualTypeOf<Record<never, never> | undefined>();
    expectTypeOf<Awaited<ReturnType<Client["basic"]["getCallbackIp"]>>>().toEqualTypeOf<{
      ip_list: string[];
    }>();
    expectTypeOf<Parameters<Client["media"]["upload"]>[0]["media"]>().toEqualTypeOf<MediaInput>();
    expectTypeOf<Awaited<ReturnType<Client["qrcode"]["show"]>>>().toMatchTypeOf<{ data: Uint8Array }>();
    // Union requests stay unions: the msgtype decides the payload field.
    expectTypeOf<{ touser: string; msgtype: "text"; text: { content: string } }>().toMatchTypeOf<
      Parameters<Client["message"]["sendCustom"]>[0]
    >();
    expectTypeOf<{ touser: string; msgtype: "text"; image: { media_id: string } }>().not.toMatchTypeOf<
      Parameters<Client["message"]["sendCustom"]>[0]
    >();
  });

  it("uploads and downloads through media.upload / media.get", async () => {
    const stored = new Map<string, { bytes: Buffer; type: string; name: string }>();
    fake.on("/cgi-bin/media/upload", async (req) => {
      const form = await new Response(req.body, {
        headers: { "content-type": String(req.headers["content-type"]) },
      }).formData();
      const file = form.get("media") as File;
      stored.set("m1", { bytes: Buffer.from(await file.arrayBuffer()), type: file.type, name: file.name });
      return { json: { type: req.query.type, media_id: "m1", created_at: 1700000000 } };
    });
    fake.on("/cgi-bin/media/get", (req) => {
      const file = stored.get(req.query.media_id ?? "");
      if (!file) return { json: errorBody(40007, "invalid media_id") };
      return {
        body: file.bytes,
        headers: { "content-type": file.type, "content-disposition": `attachment; filename="${file.name}"` },
      };
    });
    const client = clientFor(fake);
    const gif = Buffer.from("GIF89a-bytes");
    const uploaded = await client.media.upload({ type: "image", media: { data: gif, filename: "x.gif" } });
    expect(uploaded.media_id).toBe("m1");
    const file = await client.media.get({ media_id: uploaded.media_id });
    expect(isMediaFile(file) && file.data.equals(gif) && file.contentType === "image/gif").toBe(true);
    expect("filename" in file && file.filename).toBe("x.gif");
    await expect(client.media.get({ media_id: "missing" })).rejects.toMatchObject({ errcode: 40007 });
  });

  it("sends message.sendCustom and menu.create as raw UTF-8 JSON", async () => {
    const client = clientFor(fake);
    await client.message.sendCustom({ touser: "o1", msgtype: "text", text: { content: "早上好" } });
    await client.menu.create({ button: [{ type: "click", name: "今日歌曲", key: "V1001_TODAY_MUSIC" }] });
    const [send] = fake.apiRequests("/cgi-bin/message/custom/send");
    const [menu] = fake.apiRequests("/cgi-bin/menu/create");
    expect(send?.body.toString("utf8")).toBe('{"touser":"o1","msgtype":"text","text":{"content":"早上好"}}');
    expect(menu?.body.toString("utf8")).toContain('"name":"今日歌曲"');
    fake.on("/cgi-bin/user/info", (req) => ({ json: { subscribe: 1, openid: req.query.openid } }));
    const user = await client.followers.info({ openid: "o1", lang: "zh_CN" });
    expect(user.openid).toBe("o1");
    expect(fake.apiRequests("/cgi-bin/user/info")[0]?.query).toMatchObject({ openid: "o1", lang: "zh_CN" });
  });
});
