/**
 * The handler's envelope: the URL-verification handshake, signature and timestamp checks on pushes,
 * and round trips in the three modes (including a key change).
 */
import { MessageCrypto } from "@mpstack/protocol";
import { describe, expect, it } from "vitest";
import {
  ACCOUNT,
  handshakeQuery,
  MODES,
  msgId,
  OPENID,
  post,
  readAnswer,
  sealPush,
  textXml,
} from "./handler-fixtures.js";
import { handlerHarness } from "./handler-harness.js";

const serve = handlerHarness();

describe("URL verification (GET echostr)", () => {
  it("echoes echostr as text/plain when the signature is valid", async () => {
    const { base } = await serve();
    const response = await fetch(base + handshakeQuery("4375120948345356249"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("4375120948345356249");
  });

  it("checks the official example (token AAAAA)", async () => {
    const { base } = await serve({ token: "AAAAA" });
    const query =
      "?signature=f464b24fc39322e44b38aa78f5edd27bd1441696&echostr=4375120948345356249&timestamp=1714036504&nonce=1514711492";
    const response = await fetch(base + query);
    expect(await response.text()).toBe("4375120948345356249");
  });

  it("refuses a forged or missing signature and never echoes", async () => {
    const { base, errors } = await serve();
    const forged = handshakeQuery("12345").replace(/signature=[0-9a-f]{40}/, `signature=${"0".repeat(40)}`);
    for (const query of [forged, "?timestamp=1&nonce=2&echostr=12345", "?echostr=12345"]) {
      const response = await fetch(base + query);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("12345");
    }
    expect(errors.every((e) => e.info.stage === "request")).toBe(true);
  });
});

describe("signature checks on pushes", () => {
  for (const mode of MODES) {
    it(`${mode}: a wrong signature is refused with 401 and no route runs`, async () => {
      let runs = 0;
      const { base } = await serve({}, (h) => h.on("text", () => void runs++));
      const answer = await post(base, mode, textXml("hi"), { tamper: { signature: "0".repeat(40) } });
      expect(answer.status).toBe(401);
      expect(runs).toBe(0);
    });
  }

  it("plain: a push without any signature is refused", async () => {
    let runs = 0;
    const { base } = await serve({}, (h) => h.on("text", () => void runs++));
    const response = await fetch(`${base}/?timestamp=1700000000&nonce=1`, {
      method: "POST",
      body: textXml("x"),
    });
    expect(response.status).toBe(401);
    expect(runs).toBe(0);
  });

  for (const mode of ["compatible", "safe"] as const) {
    it(`${mode}: a wrong msg_signature, or another body under a valid query, is refused`, async () => {
      let runs = 0;
      const { base } = await serve({}, (h) => h.on("text", () => void runs++));
      const bad = await post(base, mode, textXml("hi"), { tamper: { msg_signature: "f".repeat(40) } });
      expect(bad.status).toBe(401);
      // msg_signature binds the body: a valid query with a swapped body must fail.
      const first = sealPush(mode, textXml("one"));
      const second = sealPush(mode, textXml("two"));
      const swapped = await fetch(base + first.search, { method: "POST", body: second.body });
      expect(swapped.status).toBe(401);
      expect(runs).toBe(0);
    });
  }

  it("safe: a push encrypted for another appid is refused (400, generic)", async () => {
    let runs = 0;
    const { base } = await serve({}, (h) => h.on("text", () => void runs++));
    const other = new MessageCrypto(ACCOUNT.encodingAESKey, "wxffffffffffffffff");
    const { sealInbound } = await import("@mpstack/protocol");
    const sealed = sealInbound({
      xml: textXml("hi"),
      mode: "safe",
      token: ACCOUNT.token,
      crypto: other,
      timestamp: String(Math.floor(Date.now() / 1000)),
      nonce: "42",
      appId: "wxffffffffffffffff",
      toUserName: ACCOUNT.originalId,
    });
    const response = await fetch(`${base}/?${new URLSearchParams(sealed.query)}`, {
      method: "POST",
      body: sealed.body,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("invalid message");
    expect(runs).toBe(0);
  });
});

describe("timestamp window", () => {
  const old = String(Math.floor(Date.now() / 1000) - 3600);

  it("refuses old GETs and pushes when a window is set", async () => {
    let runs = 0;
    const { base } = await serve({ timestampWindowSeconds: 300 }, (h) => h.on("text", () => void runs++));
    expect((await fetch(base + handshakeQuery("77", old))).status).toBe(401);
    for (const mode of MODES) {
      expect((await post(base, mode, textXml("late"), { timestamp: old })).status).toBe(401);
    }
    expect(runs).toBe(0);
    // Inside the window everything passes.
    expect(await (await fetch(base + handshakeQuery("77"))).text()).toBe("77");
    expect((await post(base, "safe", textXml("now"))).status).toBe(200);
    expect(runs).toBe(1);
  });

  it("follows the handler's clock and is off by default", async () => {
    const shifted = await serve({ timestampWindowSeconds: 300, now: () => Date.now() - 3600_000 });
    expect(await (await fetch(shifted.base + handshakeQuery("9", old))).text()).toBe("9");
    const open = await serve();
    expect(await (await fetch(open.base + handshakeQuery("8", "1000000000"))).text()).toBe("8");
  });
});

describe("round trip in every mode", () => {
  for (const mode of MODES) {
    it(`${mode}: text in, text reply out, addressed back to the sender`, async () => {
      const seen: string[] = [];
      const { base } = await serve({}, (h) =>
        h.on("text", (message, ctx) => {
          seen.push(`${ctx.mode}:${ctx.openid}:${message.MsgId}`);
          return `echo: ${message.Content}`;
        }),
      );
      const id = msgId();
      const answer = await post(base, mode, textXml("你好 <&]]> world", id));
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/xml/);
      expect(answer.reply).toEqual({ type: "text", content: "echo: 你好 <&]]> world" });
      expect(answer.toUserName).toBe(OPENID);
      expect(answer.fromUserName).toBe(ACCOUNT.originalId);
      expect(seen).toEqual([`${mode}:${OPENID}:${id}`]);
      if (mode !== "plain") expect(answer.body).toContain("<Encrypt>");
    });
  }

  it("answers success (not an encrypted empty reply) when a route returns nothing", async () => {
    const { base } = await serve({}, (h) => h.on("text", async () => {}));
    for (const mode of MODES) {
      const answer = await post(base, mode, textXml("quiet"));
      expect([answer.status, answer.body]).toEqual([200, "success"]);
    }
  });

  it("accepts encrypt_type=raw as plaintext", async () => {
    const { base } = await serve({}, (h) => h.on("text", () => "raw ok"));
    const { search, body } = sealPush("plain", textXml("x"));
    const response = await fetch(`${base}/${search}&encrypt_type=raw`, { method: "POST", body });
    expect((await readAnswer(response, "plain")).reply).toEqual({ type: "text", content: "raw ok" });
  });

  it("decrypts with the previous EncodingAESKey during a key change and answers with it", async () => {
    const oldKey = ACCOUNT.encodingAESKey;
    const newKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
    const { base } = await serve({ encodingAESKey: newKey, previousEncodingAESKey: oldKey }, (h) =>
      h.on("text", () => "rotated"),
    );
    // The fixtures' platform still encrypts with the old key; openReply with it must succeed.
    const answer = await post(base, "safe", textXml("old key"));
    expect(answer.reply).toEqual({ type: "text", content: "rotated" });
  });
});
