/**
 * console-ui: serves the console (packages/console, built by `npm run build`) at `/`, its files at
 * `/console/…`. Files are looked up and read on the first request, never at start (start-up time
 * is unchanged). Hashed assets are cached for a year, the page itself is revalidated (ETag), and
 * gzip is used when the browser accepts it. Without a build, `/` answers a page saying how to make
 * one. The page talks only to the simulator API, which keeps its own access rule (loopback or the
 * admin key): the files themselves hold no data and are served as they are.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { html, pageFrame } from "../../http/html.js";
import { defineModule } from "../../module.js";
import { findConsoleDir, loadConsoleFiles, type StaticFile } from "./files.js";

/** URL prefix of the console's files (Vite's `base`). */
export const CONSOLE_BASE = "/console/";

const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: http: https:; media-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

function notBuiltPage(): string {
  return pageFrame(
    "mpstack console · 控制台未构建",
    html`<h1>控制台还没有构建<br><span class="muted">The console is not built yet.</span></h1>
<div class="card"><p>在仓库根目录运行 / In the repository, run:</p>
<pre>npm run build</pre>
<p class="muted">(<code>npm install</code> builds it too; the console alone: <code>npm run build -w @mpstack/console</code>.)
The platform serves the files from <code>packages/platform/dist/console/</code>, or from the folder
in <code>MPSTACK_CONSOLE_DIR</code>. The simulator API works without it: <a href="/_mpstack/openapi.json">/_mpstack/openapi.json</a>.</p></div>`,
  );
}

export const consoleUiModule = defineModule({
  name: "console-ui",
  setup(ctx) {
    let files: Map<string, StaticFile> | null = null;
    const get = (): Map<string, StaticFile> | null => {
      if (files) return files;
      const dir = findConsoleDir();
      if (!dir) return null; // looked up again on the next request: a build made meanwhile appears
      files = loadConsoleFiles(dir);
      return files;
    };

    const send = (req: FastifyRequest, reply: FastifyReply, f: StaticFile, page: boolean) => {
      reply.header("etag", f.etag).type(f.type);
      reply.header("cache-control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
      if (page) reply.headers(PAGE_HEADERS);
      else reply.header("x-content-type-options", "nosniff");
      reply.header("vary", "accept-encoding");
      if (req.headers["if-none-match"] === f.etag) return reply.code(304).send();
      const gzip = f.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
      if (gzip) reply.header("content-encoding", "gzip");
      return reply.send(gzip ? f.gzip : f.body);
    };
    const page = (req: FastifyRequest, reply: FastifyReply) => {
      const index = get()?.get("index.html");
      if (!index)
        return reply
          .code(503)
          .type("text/html; charset=utf-8")
          .header("cache-control", "no-store")
          .send(notBuiltPage());
      return send(req, reply, index, true);
    };

    ctx.app.get("/", page);
    ctx.app.get(CONSOLE_BASE, page);
    ctx.app.get<{ Params: { "*": string } }>(`${CONSOLE_BASE}*`, (req, reply) => {
      const path = req.params["*"];
      if (path === "" || path === "index.html") return page(req, reply);
      const f = get()?.get(path);
      if (!f) return reply.code(404).type("text/plain; charset=utf-8").send("not found");
      return send(req, reply, f, false);
    });
  },
});
