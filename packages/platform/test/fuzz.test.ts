/**
 * Throws a few thousand malformed requests (bad JSON, wrong types, huge bodies, deep nesting, text
 * XML cannot carry, huge numbers, unknown paths, wrong methods, junk query strings, odd content
 * types) at one server — every catalog path and every simulator route of /_mpstack/openapi.json —
 * and checks every answer is WeChat-shaped (or a simulator error under /_mpstack), then that the
 * server still serves on time. fuzz-routes.test.ts goes through each route field by field.
 */
import { endpoints } from "@mpstack/protocol";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RID_SUFFIX, type Running, start, tokenFor } from "./helpers.js";

const TOTAL = 3000;
const API_PATHS = new Set(
  endpoints.filter((e) => e.host === "api" && e.responseKind !== "binary").map((e) => e.path),
);
/** Browser pages on the mp/open hosts (OAuth's authorize and consent, the one-time subscription page): HTML or a redirect. */
const PAGE_PATHS = new Set(
  endpoints
    .filter((e) => e.host === "open" || (e.host !== "api" && e.responseKind === "binary"))
    .map((e) => e.path),
);
const CONCURRENCY = 16;

/** Deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function makeCases(token: string, seed: number, simPaths: string[]): Case[] {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const junk = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(Math.floor(rand() * 0x7f))).join("");
  const paths = [
    ...endpoints.map((e) => e.path),
    "/cgi-bin/nope",
    "/",
    "//",
    "///cgi-bin//token",
    "/cgi-bin/%E0%A4%A",
    "/cgi-bin/%zz",
    "/sns/oauth2/access_token",
    `/cgi-bin/${"a".repeat(3000)}`,
    "/_mpstack/nope",
    "/_mpstack/accounts/%ff",
    "/_mpstack/users/x/follow",
    "/_mpstack/clock",
    ...simPaths,
  ];
  const queries = [
    "",
    `?access_token=${token}`,
    `?access_token=${token}&${junk(20).replace(/[#\s]/g, "")}`,
    "?access_token=",
    "?access_token=%",
    "?access_token[]=a&access_token[]=b",
    `?access_token=${token}&access_token=other`,
    "?grant_type=client_credential&appid=wxd000000000000004&secret=d0000000000000000000000000000004",
    "?grant_type=client_credential&appid[]=x&secret=",
    "?&&&==&%%%",
    `?x=${"y".repeat(5000)}`,
    `?access_token=${"Z".repeat(600)}`,
  ];
  const bodies: (() => string | Buffer | undefined)[] = [
    () => undefined,
    () => "",
    () => "{",
    () => "null",
    () => "[]",
    () => "42",
    () => '"str"',
    () => JSON.stringify({ cgi_path: 5, rid: [], appid: {}, grant_type: null, force_refresh: "yes" }),
    () => JSON.stringify({ grant_type: "client_credential", appid: "wxd000000000000004", secret: 1 }),
    () =>
      JSON.stringify({
        cgi_path: "/cgi-bin/token",
        rid: "6b04a39c-088081b0-aeda9c8e",
        appid: "wxd000000000000004",
      }),
    () => "[".repeat(5000) + "]".repeat(5000),
    () => `{"a":"${"\\u0000".repeat(100)}"}`,
    () => Buffer.from(Array.from({ length: 256 }, () => Math.floor(rand() * 256))),
    () => junk(500),
    () => JSON.stringify({ nested: { deep: { deeper: Array.from({ length: 100 }, (_, i) => i) } } }),
    () => `${'{"a":'.repeat(2000)}1${"}".repeat(2000)}`,
    () => JSON.stringify({ advanceSeconds: 1e300, offsetMs: -9e15, tag: { id: 1e300, name: "x\u0000" } }),
    () => JSON.stringify({ appid: "wxd000000000000004", type: "text", content: "\ud800\u0007\ufffe" }),
    () => JSON.stringify({ openid: "\u0000", remark: "\udfff", touser: "o\u0000", unknownField: { a: 1 } }),
  ];
  const contentTypes = [
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/xml",
    "",
  ];
  const methods = ["GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
  const cases: Case[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const method = pick(methods);
    const ct = pick(contentTypes);
    let body = method === "GET" || method === "OPTIONS" ? undefined : pick(bodies)();
    // A few huge bodies (over the 2 MiB limit).
    if (i % 500 === 250) body = `{"cgi_path":"${"x".repeat(3 * 1024 * 1024)}"}`;
    cases.push({
      method,
      path: pick(paths) + pick(queries),
      headers: ct ? { "content-type": ct } : {},
      ...(body === undefined ? {} : { body }),
    });
  }
  return cases;
}

describe("fuzz: malformed requests", () => {
  let r: Running;
  let token: string;
  let simPaths: string[];
  beforeAll(async () => {
    r = await start();
    token = await tokenFor(r, "wxd000000000000004", "d0000000000000000000000000000004");
    const doc = (await r.get("/_mpstack/openapi.json")).body as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: object }> }>>;
    };
    /** Streams (the live event stream) answer forever: a fuzz request would never end. */
    const streams = (p: string) =>
      Object.values(doc.paths[p] ?? {}).some(
        (op) => "text/event-stream" in (op.responses?.["200"]?.content ?? {}),
      );
    simPaths = Object.keys(doc.paths)
      // (Not /world: exporting a journal this fuzz keeps growing is slow, and fuzz-routes covers it.)
      .filter((p) => p.startsWith("/_mpstack") && p !== "/_mpstack/world" && !streams(p))
      .map((p) =>
        p
          .replace(/\{user\}/g, "alice")
          .replace(/\{appid\}/g, "wxd000000000000004")
          .replace(/\{\w+\}/g, "x"),
      );
  });
  afterAll(() => r?.close());

  it(`answers ${TOTAL} malformed requests in WeChat's shape and keeps serving`, async () => {
    const cases = makeCases(token, 20240601, simPaths);
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const label = `${c.method} ${c.path.slice(0, 120)} [${c.headers["content-type"] ?? "none"}] ${String(c.body ?? "").slice(0, 60)}`;
        try {
          const res = await request(r.url + c.path, {
            method: c.method as "GET",
            headers: c.headers,
            ...(c.body === undefined ? {} : { body: c.body }),
          });
          const text = await res.body.text();
          // GET / is the console's page (HTML; 503 with build instructions when it is not built).
          if (c.method === "GET" && /^\/+(\?|$)/.test(c.path)) continue;
          if (res.statusCode >= 500) {
            failures.push(`${res.statusCode} ${label}: ${text.slice(0, 200)}`);
            continue;
          }
          const pathOnly = c.path.replace(/\/{2,}/g, "/");
          if (
            PAGE_PATHS.has(pathOnly.split("?")[0]!) &&
            !String(res.headers["content-type"]).includes("json")
          ) {
            // A page, an error page (4xx) or a redirect; never a server error, never JSON-less 5xx.
            if (
              res.statusCode >= 500 ||
              (!String(res.headers["content-type"]).startsWith("text/html") && res.statusCode !== 302)
            )
              failures.push(`page ${res.statusCode} ${label}`);
            continue;
          }
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // The simulator's raw GET pages (browse-as chooser, user media) answer HTML or images.
            if (!(pathOnly.startsWith("/_mpstack") && res.statusCode < 400))
              failures.push(`not JSON ${res.statusCode} ${label}: ${text.slice(0, 200)}`);
            continue;
          }
          if (pathOnly.startsWith("/_mpstack")) {
            if (res.statusCode >= 400 && typeof (body.error as { code?: unknown })?.code !== "string") {
              failures.push(`simulator error shape ${label}: ${text.slice(0, 200)}`);
            }
            continue;
          }
          // Catalog endpoints on the api host always answer HTTP 200; browser pages on the mp/open
          // hosts (QR images, OAuth pages) may use 404 & co. with the same JSON body.
          if (res.statusCode !== 200 && API_PATHS.has(pathOnly.split("?")[0]!)) {
            failures.push(`status ${res.statusCode} ${label}: ${text.slice(0, 200)}`);
          }
          if ("errcode" in body) {
            if (typeof body.errcode !== "number" || typeof body.errmsg !== "string")
              failures.push(`errcode shape ${label}: ${text}`);
            else if (body.errcode !== 0 && !RID_SUFFIX.test(body.errmsg))
              failures.push(`no rid ${label}: ${text}`);
            if (String(body.errmsg).includes("    at ")) failures.push(`stack trace ${label}`);
          } else if (typeof body !== "object" || body === null || Array.isArray(body)) {
            failures.push(`success shape ${label}: ${text.slice(0, 200)}`);
          }
          if (body.errcode === -1) failures.push(`system error ${label}: ${text}`);
        } catch (err) {
          failures.push(`transport ${label}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures.slice(0, 20)).toEqual([]);

    expect((await r.get("/_mpstack/health")).body.status).toBe("ok");
    // (The fuzz itself fetched new tokens, superseding `token`: take a fresh one.)
    const fresh = await tokenFor(r, "wxd000000000000004", "d0000000000000000000000000000004");
    expect((await r.get(`/cgi-bin/getcallbackip?access_token=${fresh}`)).body.ip_list).toEqual(["127.0.0.1"]);
    // The clock was never moved out of its range.
    expect(Math.abs(Number((await r.get("/_mpstack/clock")).body.offsetMs))).toBeLessThan(86_400_000 * 366);
  }, 120_000);
});
