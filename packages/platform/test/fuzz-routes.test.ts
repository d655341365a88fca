/**
 * Route fuzz over BOTH APIs, every route: each simulator route of /_mpstack/openapi.json and each
 * catalog endpoint gets, one bad field at a time, text XML cannot carry, out-of-range numbers
 * (the clock among them), an unknown field, a body nested too deep, and HTTP framing errors
 * (oversized URL and header → 431, broken framing → 400). Every answer must be in its API's shape,
 * never a 5xx nor errcode -1; the simulator must name the bad field (400), the WeChat API must
 * answer 47001 to the deep body. Afterwards the platform still serves, on time.
 */
import net from "node:net";
import { type Endpoint, endpoints } from "@mpstack/protocol";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isClosed,
  type JsonSchema,
  type Known,
  leaves,
  NON_XML_TEXT,
  replaced,
  sample,
} from "./fuzz-schema.js";
import { BACKENDS, PG_URL, RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
const DEEP = `${'{"a":'.repeat(100)}1${"}".repeat(100)}`;
const HUGE = [1e300, -1e300, 9e15];

interface SimRoute {
  method: string;
  path: string;
  body?: JsonSchema;
  /** How the route's 400 answers name its body's fields (`body`, or e.g. `account`). */
  bodyName: string;
  query: { name: string; schema: JsonSchema }[];
}

function simRoutes(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): SimRoute[] {
  const out: SimRoute[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith("/_mpstack")) continue;
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters ?? []) as { name: string; in: string; schema: JsonSchema }[];
      const requestBody = op.requestBody as
        | { content?: Record<string, { schema: JsonSchema }>; "x-mpstack-body-name"?: string }
        | undefined;
      const body = requestBody?.content?.["application/json"]?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        bodyName: requestBody?.["x-mpstack-body-name"] ?? "body",
        ...(body ? { body } : {}),
        query: params.filter((p) => p.in === "query"),
      });
    }
  }
  return out;
}

/** A route path with its `{params}` filled: the demo's alice and account 4, or `raw` for all. */
const fill = (path: string, raw?: string) =>
  path.replace(
    /\{(\w+)\}/g,
    (_m, name: string) => raw ?? (name === "user" ? "alice" : name === "appid" ? VV.appid : "fuzz"),
  );

type Answer = { status: number; text: string; json: Record<string, unknown> | null };

async function call(url: string, method: string, body?: string): Promise<Answer> {
  const res = await request(url, {
    method: method as "GET",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.body.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {}
  return { status: res.statusCode, text, json };
}

/** One raw exchange; the status line and the JSON body of the answer. */
function raw(url: string, text: string): Promise<{ status: number; json: Record<string, unknown> | null }> {
  const u = new URL(url);
  return new Promise((resolve) => {
    let out = "";
    const s = net.connect(Number(u.port), u.hostname, () => s.write(text));
    s.on("data", (d) => {
      out += d.toString("latin1");
    });
    s.on("error", () => {});
    s.on("close", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0);
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(out.slice(out.indexOf("\r\n\r\n") + 4)) as Record<string, unknown>;
      } catch {}
      resolve({ status, json });
    });
    s.setTimeout(5000, () => s.destroy());
  });
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`route fuzz on ${backend.name}`, () => {
    let r: Running;
    let token: string;
    let known: Known;
    let routes: SimRoute[];
    let failures: string[] = [];
    const fail = (label: string, a: { status: number; text?: string }) =>
      failures.push(`${label} → ${a.status} ${(a.text ?? "").slice(0, 160)}`);

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      // Every apply-only grant, so each endpoint reaches its body checks (no 48001 first).
      const granted = await r.raw(`/_mpstack/accounts/${VV.appid}?handshake=false`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grants: ["pay", "card", "shop", "device"] }),
      });
      expect(granted.status).toBe(200);
      token = await tokenFor(r, VV.appid, VV.secret);
      const follows = (await r.get("/_mpstack/users/alice")).body.follows as {
        appid: string;
        openid: string;
      }[];
      // alice writes first: the 48-hour window is open, so sends reach storage.
      await r.post("/_mpstack/users/alice/messages", { appid: VV.appid, type: "text", content: "hi" });
      known = { touser: follows.find((f) => f.appid === VV.appid)?.openid, appid: VV.appid };
      known.openid = known.touser;
      routes = simRoutes((await r.get("/_mpstack/openapi.json")).body as never);
      expect(routes.length).toBeGreaterThan(40);
    });
    afterAll(() => r?.close());

    it("simulator routes: invalid text, huge numbers, unknown fields, deep bodies, bad params", async () => {
      failures = [];
      let sent = 0;
      for (const route of routes) {
        const url = r.url + fill(route.path);
        const check = (label: string, a: Answer, want400: string | null) => {
          sent++;
          if (
            a.status >= 500 ||
            (a.status >= 400 && typeof (a.json?.error as { code?: unknown })?.code !== "string")
          )
            return fail(label, a);
          if (want400 !== null) {
            const message = String((a.json?.error as { message?: unknown })?.message);
            if (a.status !== 400 || !message.includes(want400))
              fail(`${label} (want 400 naming ${want400})`, a);
          }
        };
        if (route.body) {
          const base = sample(route.body, known);
          for (const [i, leaf] of leaves(base).slice(0, 8).entries()) {
            const at = leaf.path.join(".");
            if (leaf.kind === "string") {
              const body = replaced(base, leaf.path, NON_XML_TEXT[i % NON_XML_TEXT.length]);
              check(
                `${route.method} ${route.path} ${at}=bad text`,
                await call(url, route.method, JSON.stringify(body)),
                `${route.bodyName}.${leaf.path[0]}`,
              );
            } else {
              for (const n of HUGE) {
                const body = JSON.stringify(replaced(base, leaf.path, n));
                check(`${route.method} ${route.path} ${at}=${n}`, await call(url, route.method, body), null);
              }
            }
          }
          if (isClosed(route.body) && base && typeof base === "object") {
            const body = JSON.stringify({ ...(base as object), fuzzUnknown: { deep: [1] } });
            check(
              `${route.method} ${route.path} unknown field`,
              await call(url, route.method, body),
              `${route.bodyName}.fuzzUnknown`,
            );
          }
        }
        if (route.method !== "GET")
          check(`${route.method} ${route.path} deep`, await call(url, route.method, DEEP), "nested deeper");
        for (const q of route.query) {
          const value = q.schema.type === "string" ? "%00x" : "1e300";
          const a = await call(
            `${url}?${q.name}=${value}`,
            route.method,
            route.method === "GET" ? undefined : "{}",
          );
          check(
            `${route.method} ${route.path}?${q.name}=${value}`,
            a,
            q.schema.type === "string" ? `query.${q.name}` : null,
          );
        }
        if (route.path.includes("{")) {
          const a = await call(
            r.url + fill(route.path, "%00"),
            route.method,
            route.method === "GET" ? undefined : "{}",
          );
          check(`${route.method} ${route.path} param NUL`, a, "params.");
        }
      }
      expect(failures.slice(0, 25)).toEqual([]);
      expect(sent).toBeGreaterThan(200);
    }, 120_000);

    it("catalog endpoints: invalid text and huge numbers in each field, unknown and deep bodies", async () => {
      failures = [];
      let sent = 0;
      const wechat = (label: string, a: Answer, want?: number) => {
        sent++;
        if (a.status >= 500) return fail(label, a);
        if (!a.json) return; // pages and files (mp/open hosts): status checked above
        if ("errcode" in a.json) {
          if (a.json.errcode === -1 || (a.json.errcode !== 0 && !RID_SUFFIX.test(String(a.json.errmsg))))
            return fail(label, a);
          if (want !== undefined && a.json.errcode !== want) fail(`${label} (want ${want})`, a);
        }
      };
      const byPath = new Map<string, Endpoint>(endpoints.map((e) => [e.path, e]));
      for (const e of byPath.values()) {
        const base = sample(e.request as JsonSchema, known) as Record<string, unknown>;
        const auth = e.auth === "access_token" ? `access_token=${token}` : "";
        const target = (query: string) => `${r.url}${e.path}?${[auth, query].filter(Boolean).join("&")}`;
        const send = async (fields: unknown): Promise<Answer> => {
          if (e.requestIn === "multipart") {
            const form = new FormData();
            for (const [k, v] of Object.entries(fields as Record<string, unknown>))
              if (k !== "media") form.append(k, String(v));
            form.append("media", new Blob([Buffer.from("GIF89a")], { type: "image/gif" }), "a.gif");
            const res = await fetch(target(""), { method: "POST", body: form });
            const text = await res.text();
            let json: Record<string, unknown> | null = null;
            try {
              json = JSON.parse(text) as Record<string, unknown>;
            } catch {}
            return { status: res.status, text, json };
          }
          if (e.requestIn === "query") {
            const q = new URLSearchParams(fields as Record<string, string>).toString();
            return call(target(q), e.method);
          }
          return call(target(""), "POST", JSON.stringify(fields));
        };
        for (const [i, leaf] of leaves(base).slice(0, 10).entries()) {
          const bad = leaf.kind === "string" ? NON_XML_TEXT[i % NON_XML_TEXT.length] : HUGE[i % HUGE.length];
          wechat(
            `${e.id} ${leaf.path.join(".")}=${JSON.stringify(bad)}`,
            await send(replaced(base, leaf.path, bad)),
          );
        }
        if (e.requestIn === "json") {
          wechat(`${e.id} unknown field`, await send({ ...base, fuzzUnknown: { a: [{ b: "\u0000" }] } }));
          wechat(`${e.id} deep`, await call(target(""), "POST", DEEP), 47001);
        }
      }
      expect(failures.slice(0, 25)).toEqual([]);
      expect(sent).toBeGreaterThan(140);
    }, 120_000);

    it("framing errors on every route: 431 and 400 in the route's API shape", async () => {
      failures = [];
      const paths = [...routes.map((x) => fill(x.path)), ...endpoints.map((e) => e.path)];
      for (const path of new Set(paths)) {
        const simulator = path.startsWith("/_mpstack");
        for (const [text, status] of [
          [`GET ${path}?pad=${"x".repeat(17_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 431],
          [`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${"y".repeat(17_000)}\r\n\r\n`, 431],
          [`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1x\r\n\r\n`, 400],
        ] as const) {
          const a = await raw(r.url, text);
          const shaped = simulator
            ? typeof (a.json?.error as { code?: unknown })?.code === "string"
            : a.json?.errcode === 47001 && RID_SUFFIX.test(String(a.json.errmsg));
          if (a.status !== status || !shaped)
            failures.push(`${path} framing ${status} → ${a.status} ${JSON.stringify(a.json)}`);
        }
      }
      expect(failures.slice(0, 25)).toEqual([]);
    }, 120_000);

    it("still serves, on time: health, the clock and a fresh token", async () => {
      expect((await r.get("/_mpstack/health")).body.status).toBe("ok");
      const clock = await r.get("/_mpstack/clock");
      expect(clock.status).toBe(200);
      expect(Math.abs(Number(clock.body.offsetMs))).toBeLessThan(86_400_000);
      const fresh = await r.get(
        `/cgi-bin/token?grant_type=client_credential&appid=${VV.appid}&secret=${VV.secret}`,
      );
      expect(fresh.body.expires_in).toBe(7200);
    });
  });
}
