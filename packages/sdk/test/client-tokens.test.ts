/**
 * The client's access token: one fetch for concurrent calls, refresh and one retry after token
 * errors, back-off on "system busy", refresh before expiry.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryTokenStore, WechatApiError } from "../src/index.js";
import { clientFor } from "./client-harness.js";
import { errorBody, type FakeWechat, startFakeWechat } from "./helpers/fake-wechat.js";

let fake: FakeWechat;
beforeEach(async () => {
  fake = await startFakeWechat({ tokenDelayMs: 30 });
});
afterEach(async () => {
  await fake.close();
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
