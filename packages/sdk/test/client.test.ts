/**
 * The API client against a fake WeChat: typed methods, token single flight and retries, media,
 * JSON bodies, the generic request, base URLs, secrets kept out of errors, rid parsing.
 */
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { inspect } from "node:util";
import { endpoint, group } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  createClient,
  isMediaFile,
  type MediaInput,
  MemoryTokenStore,
  parseRid,
  TOKEN_ERROR_CODES,
  WechatApiError,
  WechatError,
  WechatRequestError,
} from "../src/index.js";
import { errorBody, type FakeWechat, startFakeWechat } from "./helpers/fake-wechat.js";

let fake: FakeWechat;
beforeEach(async () => {
  fake = await startFakeWechat({ tokenDelayMs: 30 });
});
afterEach(async () => {
  await fake.close();
});

const clientFor = (f: FakeWechat, extra: Partial<Parameters<typeof createClient>[0]> = {}) =>
  createClient({ appId: f.appId, appSecret: f.appSecret, baseUrl: f.url, busyRetryDelayMs: 20, ...extra });

// Ad-hoc catalog entries exercise placement rules the catalog's own groups may not cover yet.
const adHoc = group("adhoc", {
  upload: endpoint({
    title: "multipart with a query key",
    method: "POST",
    host: "api",
    path: "/cgi-bin/media/upload",
    permission: null,
    requestIn: "multipart",
    queryKeys: ["type"],
    request: Type.Object({
      type: Type.String(),
      media: Type.Unknown(),
      description: Type.Optional(Type.Unknown()),
    }),
    response: Type.Object({ type: Type.String(), media_id: Type.String() }),
  }),
  download: endpoint({
    title: "binary download",
    method: "GET",
    host: "api",
    path: "/cgi-bin/media/get",
    permission: null,
    request: Type.Object({ media_id: Type.String() }),
    response: Type.Object({ video_url: Type.String() }),
    responseKind: "binary",
  }),
  send: endpoint({
    title: "json with a query key",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/custom/send",
    permission: null,
    queryKeys: ["flag"],
    request: Type.Object({
      flag: Type.String(),
      touser: Type.String(),
      text: Type.Object({ content: Type.String() }),
    }),
    response: Type.Object({ errcode: Type.Number(), errmsg: Type.String() }),
  }),
  page: endpoint({
    title: "mp host page",
    method: "GET",
    host: "mp",
    path: "/cgi-bin/showqrcode",
    permission: null,
    auth: "none",
    request: Type.Object({ ticket: Type.String() }),
    response: Type.Object({}),
    responseKind: "binary",
  }),
  authorize: endpoint({
    title: "open host",
    method: "GET",
    host: "open",
    path: "/connect/oauth2/authorize",
    permission: null,
    auth: "none",
    request: Type.Object({ appid: Type.String() }),
    response: Type.Object({ ok: Type.Boolean() }),
  }),
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

describe("token single flight and retries", () => {
  it("100 concurrent calls with an empty store make exactly one token request", async () => {
    const client = clientFor(fake);
    const results = await Promise.all(Array.from({ length: 100 }, () => client.basic.getCallbackIp()));
    expect(results).toHaveLength(100);
    expect(fake.tokenRequests).toBe(1);
    const tokens = new Set(fake.apiRequests("/cgi-bin/getcallbackip").map((r) => r.query.access_token));
    expect(tokens.size).toBe(1);
  });

  it("a 40001 on a token another caller already replaced does not drop the newer token", async () => {
    const store = new MemoryTokenStore();
    const key = `token:${fake.appId}`;
    const old = fake.issueToken();
    await store.set(key, { value: old, expiresAt: Date.now() + 3_600_000 });
    const client = clientFor(fake, { tokenStore: store });
    let newer = "";
    fake.on("/cgi-bin/getcallbackip", async (req) => {
      if (req.query.access_token !== old) return undefined;
      // Meanwhile another process refreshes: the old token stops working, a newer one is stored.
      fake.validTokens.delete(old);
      newer = fake.issueToken();
      await store.set(key, { value: newer, expiresAt: Date.now() + 3_600_000 });
      return { json: errorBody(40001, "invalid credential, access_token is invalid or not latest") };
    });
    const result = await client.basic.getCallbackIp();
    expect(result.ip_list).toEqual(["127.0.0.1"]);
    expect(fake.tokenRequests).toBe(0);
    expect((await store.get(key))?.value).toBe(newer);
    expect(fake.apiRequests("/cgi-bin/getcallbackip").map((r) => r.query.access_token)).toEqual([old, newer]);
  });

  it("an expired token (42001) is dropped, refreshed once and the call retried", async () => {
    const client = clientFor(fake);
    await client.basic.getCallbackIp();
    let expiredOnce = false;
    fake.on("/cgi-bin/getcallbackip", () => {
      if (expiredOnce) return undefined;
      expiredOnce = true;
      return { json: errorBody(42001, "access_token expired") };
    });
    await client.basic.getCallbackIp();
    expect(fake.tokenRequests).toBe(2);
    const tokens = fake.apiRequests("/cgi-bin/getcallbackip").map((r) => r.query.access_token);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[1]);
  });

  it("a persistent 40001 fails after exactly two attempts, never looping", async () => {
    const client = clientFor(fake);
    fake.on("/cgi-bin/getcallbackip", () => ({
      json: errorBody(40001, "invalid credential, access_token is invalid or not latest"),
    }));
    const error = await client.basic.getCallbackIp().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect((error as WechatApiError).errcode).toBe(40001);
    expect((error as WechatApiError).path).toBe("/cgi-bin/getcallbackip");
    expect((error as WechatApiError).rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(fake.apiRequests("/cgi-bin/getcallbackip")).toHaveLength(2);
    expect(fake.tokenRequests).toBe(2);
  });

  it("100 concurrent calls hitting 40001 on the same token share one refresh", async () => {
    const client = clientFor(fake);
    const first = await client.getAccessToken();
    fake.validTokens.delete(first);
    await Promise.all(Array.from({ length: 100 }, () => client.basic.getCallbackIp()));
    expect(fake.tokenRequests).toBe(2);
  });

  it("errcode -1 backs off and retries once", async () => {
    const client = clientFor(fake, { busyRetryDelayMs: 100 });
    let calls = 0;
    fake.on("/cgi-bin/getcallbackip", () =>
      ++calls === 1 ? { json: errorBody(-1, "system error") } : undefined,
    );
    const started = Date.now();
    const result = await client.basic.getCallbackIp();
    expect(result.ip_list).toEqual(["127.0.0.1"]);
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50); // 100 ms ±50 % jitter

    fake.on("/cgi-bin/getcallbackip", () => ({ json: errorBody(-1, "system error") }));
    const error = await client.basic.getCallbackIp().catch((e: unknown) => e);
    expect((error as WechatApiError).errcode).toBe(-1);
    expect(fake.apiRequests("/cgi-bin/getcallbackip")).toHaveLength(4);
  });

  it("a -1 from the token endpoint is retried once too", async () => {
    fake.tokenErrors.push(-1);
    const client = clientFor(fake);
    await client.basic.getCallbackIp();
    expect(fake.tokenRequests).toBe(2);
  });

  it("other errors are thrown at once", async () => {
    const client = clientFor(fake);
    fake.on("/cgi-bin/getcallbackip", () => ({ json: { errcode: "48001", errmsg: "api unauthorized" } }));
    const error = await client.basic.getCallbackIp().catch((e: unknown) => e);
    expect((error as WechatApiError).errcode).toBe(48001);
    expect((error as WechatApiError).rid).toBeUndefined();
    expect(fake.apiRequests("/cgi-bin/getcallbackip")).toHaveLength(1);
  });

  it("refreshes a little before expiry", async () => {
    await fake.close();
    fake = await startFakeWechat({ expiresIn: 2 });
    const client = clientFor(fake, { refreshMarginSeconds: 300 }); // capped at half the lifetime: 1 s
    await client.basic.getCallbackIp();
    await client.basic.getCallbackIp();
    expect(fake.tokenRequests).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    await client.basic.getCallbackIp();
    expect(fake.tokenRequests).toBe(2);
  });

  it("uses stable_token, forcing a refresh only when the rejected token comes back", async () => {
    const client = clientFor(fake, { useStableToken: true });
    const first = await client.getAccessToken();
    expect(fake.stableTokenRequests).toEqual([false]);
    fake.validTokens.delete(first); // invalidated elsewhere, yet normal mode still hands it out
    await client.basic.getCallbackIp();
    expect(fake.stableTokenRequests).toEqual([false, false, true]);
    const tokens = fake.apiRequests("/cgi-bin/getcallbackip").map((r) => r.query.access_token);
    expect(tokens[0]).toBe(first);
    expect(tokens[1]).not.toBe(first);
  });
});

describe("downloads", () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);
  beforeEach(() => {
    fake.on("/cgi-bin/media/get", (req) =>
      req.query.media_id === "good"
        ? {
            body: jpeg,
            headers: {
              "content-type": "image/jpeg",
              "content-disposition": 'attachment; filename="good.jpg"',
            },
          }
        : req.query.media_id === "video"
          ? { json: { video_url: "http://example.invalid/v.mp4" } }
          : { json: errorBody(40007, "invalid media_id") },
    );
  });

  it("returns the bytes, content type and filename", async () => {
    const client = clientFor(fake);
    const file = await client.call(adHoc.download, { media_id: "good" });
    expect(isMediaFile(file)).toBe(true);
    if (!isMediaFile(file)) return;
    expect(file.data.equals(jpeg)).toBe(true);
    expect(file.contentType).toBe("image/jpeg");
    expect(file.filename).toBe("good.jpg");
  });

  it("returns the JSON success form of a download endpoint (video_url)", async () => {
    const client = clientFor(fake);
    const result = await client.call(adHoc.download, { media_id: "video" });
    expect(isMediaFile(result)).toBe(false);
    expect(result).toEqual({ video_url: "http://example.invalid/v.mp4" });
  });

  it("throws the typed error when the body is a JSON error", async () => {
    const client = clientFor(fake);
    const error = await client.call(adHoc.download, { media_id: "nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect((error as WechatApiError).errcode).toBe(40007);
    await expect(client.download("/cgi-bin/media/get", { media_id: "nope" })).rejects.toMatchObject({
      errcode: 40007,
    });
  });

  it("streams a download", async () => {
    const client = clientFor(fake);
    const media = await client.stream(adHoc.download, { media_id: "good" });
    const chunks: Buffer[] = [];
    for await (const chunk of media.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(jpeg)).toBe(true);
    expect(media.contentLength).toBe(jpeg.length);
    const viaPath = await client.downloadStream("/cgi-bin/media/get", { media_id: "good" });
    expect(viaPath.filename).toBe("good.jpg");
    viaPath.stream.destroy();
    await expect(client.stream(adHoc.download, { media_id: "nope" })).rejects.toBeInstanceOf(WechatApiError);
  });

  it("retries a download after a token error", async () => {
    const client = clientFor(fake);
    const token = await client.getAccessToken();
    fake.validTokens.delete(token);
    const file = await client.download("/cgi-bin/media/get", { media_id: "good" });
    expect(file.data.equals(jpeg)).toBe(true);
    expect(fake.tokenRequests).toBe(2);
  });
});

describe("uploads", () => {
  const png = Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.alloc(2000, 7)]);

  async function received(index = 0) {
    const req = fake.apiRequests("/cgi-bin/media/upload")[index];
    if (!req) throw new Error("no upload received");
    const form = await new Response(req.body, {
      headers: { "content-type": String(req.headers["content-type"]) },
    }).formData();
    const media = form.get("media");
    if (!(media instanceof File)) throw new Error("media part is not a file");
    return { req, form, media, bytes: Buffer.from(await media.arrayBuffer()) };
  }

  beforeEach(() => {
    fake.on("/cgi-bin/media/upload", (req) => ({
      json: { type: req.query.type, media_id: "m1", created_at: 1 },
    }));
  });

  it("uploads a Buffer as multipart part `media` with a sniffed type and filename", async () => {
    const client = clientFor(fake);
    const result = await client.call(adHoc.upload, { type: "image", media: png });
    expect(result).toMatchObject({ type: "image", media_id: "m1" });
    const { req, media, bytes } = await received();
    expect(req.query.type).toBe("image");
    expect(String(req.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(req.headers["content-length"])).toBe(req.body.length);
    expect(media.name).toBe("media.png");
    expect(media.type).toBe("image/png");
    expect(bytes.equals(png)).toBe(true);
  });

  it("uploads a file path, with extra fields as raw-UTF-8 JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-"));
    const path = join(dir, "视频.mp4");
    writeFileSync(path, png);
    const client = clientFor(fake);
    await client.call(adHoc.upload, {
      type: "video",
      media: path,
      description: { title: "标题", introduction: "介绍" },
    });
    const { form, media, bytes } = await received();
    expect(media.name).toBe("视频.mp4");
    expect(media.type).toBe("video/mp4");
    expect(bytes.equals(png)).toBe(true);
    expect(form.get("description")).toBe('{"title":"标题","introduction":"介绍"}');
  });

  it("uploads a Readable stream with an explicit filename and type", async () => {
    const client = clientFor(fake);
    const stream = Readable.from([png.subarray(0, 1000), png.subarray(1000)]);
    await client.upload(
      "/cgi-bin/media/upload",
      { data: stream, filename: "a.png", contentType: "image/png" },
      { query: { type: "image" } },
    );
    const { req, media, bytes } = await received();
    expect(req.query.type).toBe("image");
    expect(media.name).toBe("a.png");
    expect(bytes.equals(png)).toBe(true);
  });

  it("names an fs.ReadStream after its file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-"));
    const path = join(dir, "voice.amr");
    writeFileSync(path, Buffer.from("#!AMR\n1234"));
    const client = clientFor(fake);
    await client.call(adHoc.upload, { type: "voice", media: createReadStream(path) });
    const { media } = await received();
    expect(media.name).toBe("voice.amr");
    expect(media.type).toBe("audio/amr");
  });

  it("re-sends a Buffer upload after a token error, but never re-reads a consumed stream", async () => {
    const client = clientFor(fake);
    fake.validTokens.delete(await client.getAccessToken());
    await client.call(adHoc.upload, { type: "image", media: png });
    expect((await received(1)).bytes.equals(png)).toBe(true);

    fake.validTokens.delete(await client.getAccessToken());
    const error = await client
      .call(adHoc.upload, { type: "image", media: Readable.from([png]) })
      .catch((e: unknown) => e);
    expect((error as WechatApiError).errcode).toBe(40001);
    expect(fake.apiRequests("/cgi-bin/media/upload")).toHaveLength(3);
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

describe("base URL routing", () => {
  it("sends api, mp and open endpoints to the single base URL", async () => {
    fake.on("/cgi-bin/showqrcode", () => ({
      body: Buffer.from("GIF89a"),
      headers: { "content-type": "image/gif" },
    }));
    fake.on("/connect/oauth2/authorize", () => ({ json: { ok: true } }));
    const client = clientFor(fake);
    await client.basic.getCallbackIp();
    await client.call(adHoc.page, { ticket: "t" });
    await client.call(adHoc.authorize, { appid: fake.appId });
    expect(fake.requests.map((r) => r.path)).toEqual([
      "/cgi-bin/token",
      "/cgi-bin/getcallbackip",
      "/cgi-bin/showqrcode",
      "/connect/oauth2/authorize",
    ]);
  });

  it("keeps a path prefix of the base URL", async () => {
    const urls: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      urls.push(String(input));
      return Response.json({ access_token: "T", expires_in: 7200 });
    };
    const client = createClient({
      appId: "wx1",
      appSecret: "s",
      baseUrl: "http://localhost:9/wechat/",
      fetch: fetchSpy,
    });
    await client.getAccessToken();
    expect(urls[0]).toMatch(/^http:\/\/localhost:9\/wechat\/cgi-bin\/token\?/);
  });

  it("maps hosts to WeChat's hosts when no base URL is set", async () => {
    const urls: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      const url = String(input);
      urls.push(url);
      if (url.includes("/cgi-bin/token")) return Response.json({ access_token: "T", expires_in: 7200 });
      if (url.includes("showqrcode"))
        return new Response("GIF89a", { headers: { "content-type": "image/gif" } });
      return Response.json({ ok: true });
    };
    const client = createClient({ appId: "wx1", appSecret: "s", fetch: fetchSpy });
    await client.basic.getCallbackIp();
    await client.call(adHoc.page, { ticket: "t" });
    await client.call(adHoc.authorize, { appid: "wx1" });
    expect(urls.map((u) => new URL(u).origin)).toEqual([
      "https://api.weixin.qq.com",
      "https://api.weixin.qq.com",
      "https://mp.weixin.qq.com",
      "https://open.weixin.qq.com",
    ]);
  });
});

describe("secrets", () => {
  it("never appear in errors or in the client's printed forms", async () => {
    const client = clientFor(fake);
    const token = await client.getAccessToken();
    fake.on("/cgi-bin/getcallbackip", () => ({ json: errorBody(45009, "reach max api daily quota limit") }));
    const apiError = await client.basic.getCallbackIp().catch((e: unknown) => e);

    const wrongSecret = createClient({
      appId: fake.appId,
      appSecret: "wrong-secret-value",
      baseUrl: fake.url,
    });
    const tokenError = await wrongSecret.getAccessToken().catch((e: unknown) => e);
    expect((tokenError as WechatApiError).errcode).toBe(40125);

    const offline = createClient({ appId: "wx1", appSecret: fake.appSecret, baseUrl: "http://127.0.0.1:1" });
    const networkError = await offline.getAccessToken().catch((e: unknown) => e);
    expect(networkError).toBeInstanceOf(WechatRequestError);

    const slow = await startFakeWechat({ appId: fake.appId, appSecret: fake.appSecret, tokenDelayMs: 500 });
    const timeoutError = await clientFor(slow, { timeoutMs: 50 })
      .getAccessToken()
      .catch((e: unknown) => e);
    await slow.close();
    expect((timeoutError as Error).message).toContain("timed out");

    const printed = [apiError, tokenError, networkError, timeoutError]
      .flatMap((e) => [String(e), (e as Error).stack ?? "", inspect(e, { depth: 10, showHidden: true })])
      .concat([String(client), JSON.stringify(client), inspect(client, { depth: 10, showHidden: true })]);
    for (const text of printed) {
      expect(text).not.toContain(fake.appSecret);
      expect(text).not.toContain("wrong-secret-value");
      expect(text).not.toContain(token);
    }
    expect(inspect(client)).toContain(fake.appId);
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
