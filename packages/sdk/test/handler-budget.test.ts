/**
 * The 5-second rule and errors: late replies go out as customer-service messages, route errors
 * answer "success" and are reported; request handling (methods, bodies, adapters' reports).
 */
import { parseReplyXml, type Reply } from "@mpstack/protocol";
import {
  type CustomerMessageSender,
  createClient,
  createHandler,
  customerMessageSender,
  customMessageFromReply,
  reply,
} from "@mpstack/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, MODES, OPENID, post, sealPush, sleep, textXml } from "./handler-fixtures.js";
import { handlerHarness } from "./handler-harness.js";
import { startFakeWechat } from "./helpers/fake-wechat.js";

const serve = handlerHarness();

// The timings below measure the budget, not a cold process: the first fetch and the first push of
// a process cost ~150 ms more (in the single handler test file, earlier tests used to absorb it).
beforeAll(async () => {
  const { base } = await serve();
  for (const mode of MODES) await post(base, mode, textXml("warm-up"));
});

describe("time budget and errors", () => {
  it("answers success at once when a route is slower than budgetMs; the fallback gets the reply", async () => {
    const sent: [string, Reply][] = [];
    let delivered: () => void = () => {};
    const fallback: CustomerMessageSender = {
      sendCustomerMessage: async (openid, r) => {
        sent.push([openid, r]);
        delivered();
      },
    };
    const { base } = await serve({ budgetMs: 100, fallback }, (h) =>
      h.on("text", async () => {
        await sleep(300);
        return reply.image("MEDIA_late");
      }),
    );
    for (const mode of ["plain", "safe"] as const) {
      sent.length = 0;
      const arrived = new Promise<void>((resolve) => {
        delivered = resolve;
      });
      const started = Date.now();
      const answer = await post(base, mode, textXml("take your time"));
      const elapsed = Date.now() - started;
      expect([answer.status, answer.body]).toEqual([200, "success"]);
      expect(elapsed).toBeGreaterThanOrEqual(90);
      expect(elapsed).toBeLessThan(280);
      await arrived;
      expect(sent).toEqual([[OPENID, { type: "image", mediaId: "MEDIA_late" }]]);
    }
  });

  it("delivers the late reply through the API client's customer-service send", async () => {
    const wechat = await startFakeWechat({ appId: ACCOUNT.appId });
    try {
      const client = createClient({ appId: wechat.appId, appSecret: wechat.appSecret, baseUrl: wechat.url });
      const { base } = await serve({ budgetMs: 50, fallback: customerMessageSender(client) }, (h) =>
        h.on("text", async (m) => {
          await sleep(120);
          return `late answer to ${m.Content}`;
        }),
      );
      expect((await post(base, "safe", textXml("slow question"))).body).toBe("success");
      for (let i = 0; i < 50 && wechat.apiRequests("/cgi-bin/message/custom/send").length === 0; i++)
        await sleep(20);
      const [sent] = wechat.apiRequests("/cgi-bin/message/custom/send");
      expect(JSON.parse(sent!.body.toString())).toEqual({
        touser: OPENID,
        msgtype: "text",
        text: { content: "late answer to slow question" },
      });
    } finally {
      await wechat.close();
    }
  });

  it("maps every reply type to its customer-service message", () => {
    expect(customMessageFromReply(OPENID, reply.image("I"))).toEqual({
      touser: OPENID,
      msgtype: "image",
      image: { media_id: "I" },
    });
    expect(customMessageFromReply(OPENID, reply.voice("V"))).toMatchObject({
      msgtype: "voice",
      voice: { media_id: "V" },
    });
    expect(customMessageFromReply(OPENID, reply.video("M", { title: "t" }))).toMatchObject({
      msgtype: "video",
      video: { media_id: "M", title: "t" },
    });
    expect(customMessageFromReply(OPENID, reply.music({ thumbMediaId: "T", musicUrl: "u" }))).toMatchObject({
      msgtype: "music",
      music: { thumb_media_id: "T", musicurl: "u", hqmusicurl: "u" },
    });
    const article = { title: "a", description: "b", picUrl: "p", url: "u" };
    expect(customMessageFromReply(OPENID, reply.news([article]))).toMatchObject({
      msgtype: "news",
      news: { articles: [{ title: "a", description: "b", picurl: "p", url: "u" }] },
    });
    expect(() => customMessageFromReply(OPENID, reply.transferCustomerService())).toThrow(
      /transfer_customer_service/,
    );
  });

  it("reports a late reply it cannot deliver when no fallback is configured", async () => {
    const { base, errors } = await serve({ budgetMs: 50 }, (h) =>
      h.on("text", async () => {
        await sleep(120);
        return "too late";
      }),
    );
    expect((await post(base, "plain", textXml("x"))).body).toBe("success");
    await sleep(150);
    expect(errors.map((e) => e.info.stage)).toEqual(["budget"]);
  });

  it("reports a failing fallback", async () => {
    const fallback: CustomerMessageSender = {
      sendCustomerMessage: async () => {
        throw new Error("45047 out of quota");
      },
    };
    const { base, errors } = await serve({ budgetMs: 30, fallback }, (h) =>
      h.on("text", async () => {
        await sleep(80);
        return "late";
      }),
    );
    await post(base, "plain", textXml("x"));
    await sleep(120);
    expect(errors.map((e) => [e.info.stage, (e.error as Error).message])).toEqual([
      ["fallback", "45047 out of quota"],
    ]);
  });

  it("turns a throwing route into success + onError (never a 500 that makes WeChat retry)", async () => {
    let runs = 0;
    const { base, errors } = await serve({}, (h) =>
      h.on("text", () => {
        runs++;
        throw new Error("boom");
      }),
    );
    const xml = textXml("explode");
    for (const mode of MODES) {
      const answer = await post(base, mode, mode === "plain" ? xml : textXml("explode"));
      expect([answer.status, answer.body]).toEqual([200, "success"]);
    }
    // The retry of the failed push does not run it again.
    expect((await post(base, "plain", xml)).body).toBe("success");
    expect(runs).toBe(3);
    expect(errors.map((e) => [e.info.stage, (e.error as Error).message])).toEqual(
      Array(3).fill(["route", "boom"]),
    );
    expect(errors[0]?.info.message?.kind).toBe("text");
  });

  it("answers an invalid reply object with success and reports it", async () => {
    const { base, errors } = await serve({}, (h) =>
      h.on("text", () => ({ type: "image", mediaId: "" }) as Reply),
    );
    expect((await post(base, "plain", textXml("x"))).body).toBe("success");
    expect(errors).toHaveLength(1);
  });
});

describe("request handling", () => {
  it("405 for other methods, 413 for huge bodies, 400 for a signed body that is not a push", async () => {
    const { base } = await serve({ maxBodyBytes: 2048 });
    expect((await fetch(base, { method: "PUT", body: "x" })).status).toBe(405);
    const big = sealPush("plain", textXml("x".repeat(5000)));
    expect((await fetch(base + big.search, { method: "POST", body: big.body })).status).toBe(413);
    const junk = sealPush("plain", "<xml><Foo>1</Foo></xml>");
    const response = await fetch(base + junk.search, { method: "POST", body: junk.body });
    expect([response.status, await response.text()]).toEqual([400, "invalid message"]);
    const doctype = sealPush(
      "plain",
      '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml>&x;</xml>',
    );
    expect((await fetch(base + doctype.search, { method: "POST", body: doctype.body })).status).toBe(400);
  });

  it("refuses an encrypted push when no EncodingAESKey is configured, after checking its signature", async () => {
    const { base } = await serve({ encodingAESKey: undefined });
    expect((await post(base, "safe", textXml("x"))).status).toBe(500);
    expect((await post(base, "safe", textXml("x"), { tamper: { signature: "0".repeat(40) } })).status).toBe(
      401,
    );
    expect((await post(base, "plain", textXml("x"))).status).toBe(200);
  });

  it("works through handle() directly, with a Uint8Array body", async () => {
    const handler = createHandler({ token: ACCOUNT.token, appId: ACCOUNT.appId });
    handler.on("text", (m) => m.Content.toUpperCase());
    const { query, body } = sealPush("plain", textXml("direct"));
    const response = await handler.handle({ method: "POST", query, body: new TextEncoder().encode(body) });
    expect(response.status).toBe(200);
    expect(parseReplyXml(response.body).reply).toEqual(reply.text("DIRECT"));
  });
});
