/**
 * The handler behind each framework adapter: node:http, Express, Koa, Fastify and fetch, with and
 * without body parsers in front.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import {
  BodyConsumedError,
  createHandler,
  type KoaLikeContext,
  type MessageHandler,
  toExpress,
  toFastify,
  toFastifyHandler,
  toFetch,
  toKoa,
  toNodeHttp,
} from "@mpstack/sdk";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import {
  ACCOUNT,
  close,
  handshakeQuery,
  listen,
  MODES,
  post,
  sealPush,
  textXml,
} from "./handler-fixtures.js";

// Express and Koa ship no types of their own; the tests need only these few members.
type Middleware = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void) => void;
interface ExpressApp extends RequestListener {
  use(...args: (string | Middleware)[]): void;
  all(path: string, ...handlers: Middleware[]): void;
}
interface ExpressModule {
  (): ExpressApp;
  json(): Middleware;
  text(options: { type: string }): Middleware;
  raw(options: { type: string }): Middleware;
  urlencoded(options: { type: string; extended: boolean }): Middleware;
}
type KoaMiddleware = (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<void>;
interface KoaApp {
  use(middleware: KoaMiddleware): void;
  callback(): RequestListener;
}
const require = createRequire(import.meta.url);
const express = require("express") as ExpressModule;
const Koa = require("koa") as new () => KoaApp;
const { parseStringPromise } = require("xml2js") as { parseStringPromise(xml: string): Promise<unknown> };

const servers: ReturnType<typeof createServer>[] = [];
const fastifies: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
  await Promise.all(fastifies.splice(0).map((f) => f.close()));
});

function echoHandler(): MessageHandler {
  const handler = createHandler({
    token: ACCOUNT.token,
    appId: ACCOUNT.appId,
    encodingAESKey: ACCOUNT.encodingAESKey,
    onError: () => {},
  });
  return handler.on("text", (message, ctx) => `${ctx.mode}: ${message.Content}`);
}

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  return listen(server);
}

/** Checks a mounted handler: the handshake, and a text round trip in each of the three modes. */
async function roundTrips(url: string): Promise<void> {
  const handshake = await fetch(url + handshakeQuery("5927782489442352469"));
  expect(await handshake.text()).toBe("5927782489442352469");
  for (const mode of MODES) {
    const answer = await post(url, mode, textXml("ping <&> 你好"));
    expect(answer.status, mode).toBe(200);
    expect(answer.reply).toEqual({ type: "text", content: `${mode}: ping <&> 你好` });
  }
  const forged = await post(url, "safe", textXml("x"), { tamper: { signature: "0".repeat(40) } });
  expect(forged.status).toBe(401);
}

/** A parser that consumes the body and leaves only a parsed object (like body-parser-xml). */
const xmlObjectParser: Middleware = (req, _res, next) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    parseStringPromise(Buffer.concat(chunks).toString()).then((parsed: unknown) => {
      req.body = parsed;
      next();
    });
  });
};

async function expectConsumedError(url: string, framework: string): Promise<void> {
  const { search, body } = sealPush("plain", textXml("lost"));
  const response = await fetch(url + search, {
    method: "POST",
    headers: { "content-type": "text/xml" },
    body,
  });
  expect(response.status).toBe(500);
  const text = await response.text();
  expect(text).toContain(framework);
  expect(text).toContain("Mount the WeChat handler before body parsers");
}

describe("node:http", () => {
  it("round-trips in all three modes", async () => {
    await roundTrips(await serve(toNodeHttp(echoHandler())));
  });
});

describe("Express", () => {
  it("round-trips without body parsers, mounted under a path", async () => {
    const app = express();
    app.use("/wechat", toExpress(echoHandler()) as Middleware);
    await roundTrips(`${await serve(app)}/wechat`);
  });

  it("round-trips with express.json() mounted before (it leaves XML alone)", async () => {
    const app = express();
    app.use(express.json());
    app.all("/wx", toExpress(echoHandler()) as Middleware);
    await roundTrips(`${await serve(app)}/wx`);
  });

  it("round-trips with express.text() and express.raw() mounted before (raw string / Buffer bodies)", async () => {
    for (const parser of [express.text({ type: "*/*" }), express.raw({ type: "*/*" })]) {
      const app = express();
      app.use(parser);
      app.all("/wx", toExpress(echoHandler()) as Middleware);
      await roundTrips(`${await serve(app)}/wx`);
    }
  });

  it("uses rawBody when an XML parser kept it (express-xml-bodyparser style)", async () => {
    const app = express();
    app.use((req, res, next) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        (req as IncomingMessage & { rawBody?: string }).rawBody = Buffer.concat(chunks).toString();
        req.body = { xml: "parsed" };
        next();
      });
      void res;
    });
    app.all("/wx", toExpress(echoHandler()) as Middleware);
    await roundTrips(`${await serve(app)}/wx`);
  });

  it("answers a clear error when a parser consumed the body into an object", async () => {
    for (const parser of [xmlObjectParser, express.urlencoded({ type: "*/*", extended: false })]) {
      const app = express();
      app.use(parser);
      app.all("/wx", toExpress(echoHandler()) as Middleware);
      await expectConsumedError(`${await serve(app)}/wx`, "Express");
    }
  });
});

describe("Koa", () => {
  it("round-trips without a body parser, only on its path", async () => {
    const app = new Koa();
    app.use(toKoa(echoHandler(), { path: "/wechat" }));
    app.use(async (ctx) => {
      ctx.status = 404;
      ctx.body = "other";
    });
    const base = await serve(app.callback());
    await roundTrips(`${base}/wechat`);
    expect(await (await fetch(`${base}/elsewhere`)).text()).toBe("other");
  });

  /** Reads the body like koa-bodyparser: `ctx.request.body` parsed, `rawBody` kept when asked. */
  const bodyParser =
    (keepRaw: boolean): KoaMiddleware =>
    async (ctx, next) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString();
      ctx.request.body = text ? await parseStringPromise(text) : {};
      if (keepRaw) ctx.request.rawBody = text;
      await next();
    };

  it("uses ctx.request.rawBody left by a body parser", async () => {
    const app = new Koa();
    app.use(bodyParser(true));
    app.use(toKoa(echoHandler()));
    await roundTrips(await serve(app.callback()));
  });

  it("answers a clear error when a parser consumed the body and kept no raw text", async () => {
    const app = new Koa();
    app.use(bodyParser(false));
    app.use(toKoa(echoHandler()));
    await expectConsumedError(await serve(app.callback()), "Koa");
  });
});

describe("Fastify", () => {
  async function start(app: FastifyInstance): Promise<string> {
    fastifies.push(app);
    return app.listen({ port: 0, host: "127.0.0.1" });
  }

  it("plugin: round-trips under a prefix while the app keeps its own parsers", async () => {
    const app = Fastify();
    // The app parses XML into objects for its other routes; the plugin's context sees raw bytes.
    app.addContentTypeParser("text/xml", { parseAs: "string" }, (_req, body, done) => {
      parseStringPromise(body as string).then((parsed: unknown) => done(null, parsed), done);
    });
    app.post("/other", async (request) => ({ parsed: typeof request.body }));
    await app.register(toFastify(echoHandler()), { prefix: "/wechat" });
    const base = await start(app);
    await roundTrips(`${base}/wechat`);
    const other = await fetch(`${base}/other`, {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: "<a>1</a>",
    });
    expect(await other.json()).toEqual({ parsed: "object" });
  });

  it("route handler: works with a raw-body parser, refuses a parsed object with a clear error", async () => {
    const raw = Fastify();
    raw.addContentTypeParser("text/xml", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    raw.route({ method: ["GET", "POST"], url: "/wx", handler: toFastifyHandler(echoHandler()) });
    await roundTrips(`${await start(raw)}/wx`);

    const parsed = Fastify();
    parsed.addContentTypeParser("text/xml", { parseAs: "string" }, (_req, body, done) => {
      parseStringPromise(body as string).then((value: unknown) => done(null, value), done);
    });
    parsed.route({ method: ["GET", "POST"], url: "/wx", handler: toFastifyHandler(echoHandler()) });
    await expectConsumedError(`${await start(parsed)}/wx`, "Fastify");
  });
});

describe("fetch (web-standard Request → Response)", () => {
  /** A minimal web-standard server on node:http, as Hono's node adapter does it. */
  function fetchServer(handle: (request: Request) => Promise<Response>): RequestListener {
    return (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const hasBody = req.method !== "GET" && req.method !== "HEAD";
        const request = new Request(`http://${req.headers.host}${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: hasBody ? Buffer.concat(chunks) : undefined,
        });
        const response = await handle(request);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    };
  }

  it("round-trips in all three modes", async () => {
    await roundTrips(await serve(fetchServer(toFetch(echoHandler()))));
  });

  it("answers a clear error when the Request body was already read", async () => {
    const handle = toFetch(echoHandler());
    const { search, body } = sealPush("plain", textXml("used"));
    const request = new Request(`http://127.0.0.1/${search}`, { method: "POST", body });
    await request.text();
    const response = await handle(request);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain(new BodyConsumedError("fetch Request").message.slice(0, 40));
  });
});
