/**
 * HTTP-level hardening: a body over the limit is answered and drained so the client reads the
 * answer (no reset under its upload), framing errors are answered in WeChat's shape on WeChat paths
 * (the simulator's under /_mpstack), and a developer server that resets connections receives each
 * push exactly as often as attempts are recorded — never more than three.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RID_SUFFIX, type Running, start } from "./helpers.js";

const VV = "wxd000000000000004";

/** Send raw bytes; collect everything the server sends until it closes (or 5 s). */
function rawExchange(
  url: string,
  head: string,
  body?: Buffer,
): Promise<{ response: string; writeError: string | null }> {
  const u = new URL(url);
  return new Promise((resolve) => {
    let response = "";
    let writeError: string | null = null;
    const s = net.connect(Number(u.port), u.hostname);
    const finish = () => resolve({ response, writeError });
    s.on("data", (d) => {
      response += d.toString("latin1");
    });
    s.on("error", (err) => {
      writeError ??= (err as NodeJS.ErrnoException).code ?? err.message;
    });
    s.on("close", finish);
    s.setTimeout(5000, () => s.destroy());
    s.write(head);
    if (body) {
      s.end(body, () => {
        // Everything was handed to the kernel; stop once the answer is complete.
        setTimeout(() => s.end(), 200);
      });
    }
  });
}

describe("answers the client can read", () => {
  let r: Running;
  beforeAll(async () => {
    r = await start();
  });
  afterAll(() => r?.close());

  it("drains a 20 MB body over the limit: the whole upload goes through and the 47001 is read", async () => {
    const size = 20 * 1024 * 1024;
    const { response, writeError } = await rawExchange(
      r.url,
      `POST /cgi-bin/menu/create?access_token=x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
      Buffer.alloc(size, 0x61),
    );
    expect(writeError).toBeNull();
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('"errcode":47001');
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${r.url}/cgi-bin/menu/create?access_token=x`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "x".repeat(size),
      });
      expect(((await res.json()) as { errcode: number }).errcode).toBe(47001);
    }
  });

  it("answers oversized URLs/headers and broken framing in WeChat's shape on WeChat paths", async () => {
    const cases: [string, number, "wechat" | "simulator"][] = [
      [`GET /cgi-bin/token?x=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, "wechat"],
      [`GET /cgi-bin/user/info HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`, 431, "wechat"],
      ["POST /cgi-bin/menu/create HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n", 400, "wechat"],
      [
        "POST /cgi-bin/menu/create HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        400,
        "wechat",
      ],
      ["GET /cgi-bin/token HTTP/9.9\r\n\r\n", 400, "wechat"],
      [`GET /_mpstack/health?x=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, "simulator"],
      ["GET /_mpstack/health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "simulator"],
    ];
    for (const [head, status, shape] of cases) {
      const { response } = await rawExchange(r.url, head);
      const label = `${head.slice(0, 50)} → ${response.slice(0, 200)}`;
      expect(response.startsWith(`HTTP/1.1 ${status} `), label).toBe(true);
      const body = JSON.parse(response.slice(response.indexOf("\r\n\r\n") + 4)) as Record<string, unknown>;
      if (shape === "wechat") {
        expect(body.errcode, label).toBe(47001);
        expect(String(body.errmsg)).toMatch(RID_SUFFIX);
      } else {
        expect((body.error as { code: string }).code, label).toBe("invalid_request");
      }
    }
    expect((await r.get("/_mpstack/health")).body.status).toBe("ok");
  });
});

describe("a developer server that resets connections", () => {
  it("receives each push as often as attempts are recorded, at most three times", async () => {
    let posts = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.method !== "POST")
          return res.end(new URL(req.url ?? "/", "http://x").searchParams.get("echostr"));
        posts++;
        // The first push is answered (the connection stays alive); later ones are read, then reset.
        if (posts === 1) res.end("success");
        else req.socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const r = await start();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wx`;
      const patched = await r.raw(`/_mpstack/accounts/${VV}?handshake=false`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ server: { url } }),
      });
      expect(patched.status).toBe(200);
      const send = async (content: string) =>
        (await r.post("/_mpstack/users/alice/messages", { appid: VV, type: "text", content })).body as {
          status: string;
          attempts: unknown[];
        };
      const first = await send("one");
      expect(first.attempts).toHaveLength(1);
      expect(posts).toBe(1);
      const second = await send("two");
      expect(second.status).toBe("failed");
      expect(second.attempts).toHaveLength(3);
      expect(posts - 1).toBe(second.attempts.length);
    } finally {
      await r.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
