/**
 * Secrets never reach the log or the journal: every log line (ours, Fastify's, a module's) passes
 * the logger's redaction, requests are logged by path only, and the journal redacts bodies on
 * their parsed meaning (escaped keys, duplicate keys) and malformed bodies by pattern.
 */

import { endpoint, group } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactJsonText, redactLogLine } from "../src/http/redact.js";
import { defineModule } from "../src/module.js";
import { modules as defaultModules } from "../src/modules/index.js";
import { type Running, start, tokenFor } from "./helpers.js";

const APPID = "wxd000000000000004";
const SECRET = "d0000000000000000000000000000004";
const AES_KEY = `mpstackDemoEncodingAESKey${"4".padStart(18, "0")}`;

/** A module whose handlers fail with secrets in their error messages (as a careless one might). */
const failing = group("hardenTest", {
  boom: endpoint({
    title: "测试",
    method: "POST",
    host: "api",
    path: "/cgi-bin/mpstack-test/boom",
    permission: null,
    auth: "none",
    request: Type.Object({}),
    response: Type.Object({}),
  }),
});
const failingModule = defineModule({
  name: "harden-test",
  requires: [],
  migrations: [],
  setup(ctx) {
    ctx.implement(failing.boom, ({ rawBody }) => {
      throw new Error(`upstream refused secret=${SECRET} body ${rawBody?.toString("utf8")}`);
    });
    ctx.simulator.route({
      method: "POST",
      url: "/harden-test/boom",
      summary: "fails",
      handler: () => {
        throw new Error(`{"appsecret":"${SECRET}","encodingAESKey":"${AES_KEY}"}`);
      },
    });
  },
});

describe("secrets in the log", () => {
  const lines: string[] = [];
  let r: Running;
  beforeAll(async () => {
    r = await start({
      logger: { level: "trace", stream: { write: (line: string) => void lines.push(line) } },
      modules: [...defaultModules, failingModule],
    });
  });
  afterAll(() => r?.close());

  it("logs failures by path, with every secret masked, whoever logs them", async () => {
    const token = await tokenFor(r, APPID, SECRET);
    const q = `?grant_type=client_credential&appid=${APPID}&secret=${SECRET}&access_token=${token}`;
    const json = { "content-type": "application/json" };
    // The repro: a truncated JSON body on the token endpoint with the secret in the query.
    await request(`${r.url}/cgi-bin/token${q}`, {
      method: "POST",
      headers: json,
      body: `{"secret":"${SECRET}"`,
    });
    await request(`${r.url}/cgi-bin/stable_token${q}`, {
      method: "POST",
      headers: json,
      body: `{"secret":"${SECRET}",`,
    });
    const boom = await request(`${r.url}/cgi-bin/mpstack-test/boom${q}`, {
      method: "POST",
      headers: json,
      body: `{"secret":"${SECRET}","access_token":"${token}"}`,
    });
    expect((await boom.body.json()) as object).toMatchObject({ errcode: -1 });
    const sim = await request(`${r.url}/_mpstack/harden-test/boom${q}`, {
      method: "POST",
      headers: json,
      body: "{}",
    });
    expect(sim.statusCode).toBe(500);
    await sim.body.text();
    // Oversized URL (Node's 431) and broken framing with the secret in the request line.
    const net = await import("node:net");
    const port = Number(new URL(r.url).port);
    for (const raw of [
      `GET /cgi-bin/token${q}&pad=${"x".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /cgi-bin/token${q} HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n`,
    ]) {
      await new Promise<void>((resolve) => {
        const s = net.connect(port, "127.0.0.1", () => s.write(raw));
        s.on("data", () => {});
        s.on("close", () => resolve());
        s.on("error", () => resolve());
      });
    }
    const log = lines.join("");
    expect(log).toContain("api handler failed");
    expect(log).toContain("simulator route failed");
    expect(log).toContain("/cgi-bin/mpstack-test/boom");
    for (const secret of [SECRET, token, AES_KEY]) expect(log).not.toContain(secret);
  });

  it("masks secret pairs in any line shape", () => {
    const lines = [
      `secret=${SECRET}&x=1`,
      `{"msg":"{\\"secret\\":\\"${SECRET}\\"}"}`,
      `"AppSecret": "${SECRET}"`,
      `authorization: Bearer ${SECRET}`,
      `"encodingAESKey":"${AES_KEY}"`,
    ];
    for (const line of lines) expect(redactLogLine(line)).not.toContain(SECRET.slice(4));
    expect(redactLogLine(`"encodingAESKey":"${AES_KEY}"`)).not.toContain(AES_KEY);
    expect(redactLogLine('{"level":30,"msg":"Server listening at http://127.0.0.1:7700"}')).toBe(
      '{"level":30,"msg":"Server listening at http://127.0.0.1:7700"}',
    );
  });
});

describe("secrets in the journal", () => {
  it("redacts on the parsed meaning and by pattern when a body does not parse", () => {
    const cases = [
      `{"\\u0073ecret":"${SECRET}"}`,
      `{"secret":"x","secret":"${SECRET}"}`,
      `{"grant_type":"client_credential","appid":"${APPID}","secret":"${SECRET}",}`,
      `{"a":[{"b":{"AppSecret":"${SECRET}"}}]`,
      `{"\\u0061ccess_token" : "${SECRET}"`,
      `${"[".repeat(100)}{"secret":"${SECRET}"}${"]".repeat(100)}`,
      `grant_type=client_credential&secret=${SECRET}`,
    ];
    for (const text of cases) expect(redactJsonText(text), text).not.toContain(SECRET);
    // Bodies naming no secret are kept byte for byte (escapes included).
    for (const text of ['{"content":"\\u4f60\\u597d"}', '{ "a" : 1 }', "{broken"])
      expect(redactJsonText(text)).toBe(text);
  });

  it("keeps no secret of escaped or malformed bodies (rid/get, the journal)", async () => {
    const r = await start();
    try {
      const token = await tokenFor(r, APPID, SECRET);
      const bodies = [
        `{"grant_type":"client_credential","appid":"${APPID}","\\u0073ecret":"${SECRET}"}`,
        `{"grant_type":"client_credential","appid":"${APPID}","secret":"${SECRET}",}`,
      ];
      const rids: string[] = [];
      for (const body of bodies) {
        const res = await r.raw("/cgi-bin/stable_token", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        rids.push(String(res.headers.get("x-mpstack-rid")));
        await res.text();
      }
      await new Promise((resolve) => setTimeout(resolve, 150)); // the journal writes behind the answer
      const first = await r.post(`/cgi-bin/openapi/rid/get?access_token=${token}`, { rid: rids[0] });
      expect(first.body.errcode, JSON.stringify(first.body)).toBe(0);
      expect(JSON.stringify(first.body)).toContain("***");
      expect(JSON.stringify(first.body)).not.toContain(SECRET);
      const journal = await r.get("/_mpstack/journal?limit=50");
      const text = JSON.stringify(journal.body);
      for (const rid of rids) expect(text).toContain(rid);
      expect(text).not.toContain(SECRET);
    } finally {
      await r.close();
    }
  });
});
