/**
 * What the framework adapters share: reading a raw body within the size limit, the query, the errors
 * for a body a parser already consumed, and writing the handler's response onto `node:http`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HandlerCore } from "../handler.js";
import type { HandlerResponse } from "../types.js";

/**
 * A framework parsed (or read) the body before the handler and left nothing raw behind. The
 * handler cannot verify or decrypt a re-serialised object, so it refuses instead of guessing.
 */
export class BodyConsumedError extends Error {
  constructor(framework: string) {
    super(
      `${framework}: the request body was already consumed by a body parser and no raw body is left. ` +
        "Mount the WeChat handler before body parsers (express.json(), express.urlencoded(), XML body " +
        "parsers, koa-bodyparser …) or give it the raw body (a string or Buffer in body/rawBody).",
    );
    this.name = "BodyConsumedError";
  }
}

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** Decoded query of a request URL; a repeated parameter keeps its first value. */
export function queryOf(url: string | undefined): Record<string, string> {
  const query: Record<string, string> = {};
  if (!url) return query;
  const start = url.indexOf("?");
  if (start < 0) return query;
  for (const [name, value] of new URLSearchParams(url.slice(start + 1))) {
    if (!(name in query)) query[name] = value;
  }
  return query;
}

function isRaw(value: unknown): value is string | Uint8Array {
  return typeof value === "string" || value instanceof Uint8Array;
}

/** Node request as frameworks leave it: maybe with `body` / `rawBody` set by a parser. */
export type FrameworkRequest = IncomingMessage & { body?: unknown; rawBody?: unknown; _body?: unknown };

type BodyCallback = (error: Error | null, body?: string | Uint8Array) => void;

/** Reads a node request stream to its end, refusing more than `limit` bytes. */
export function readStream(req: IncomingMessage, limit: number, done: BodyCallback): void {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    req.resume();
    done(new BodyTooLargeError(limit));
    return;
  }
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  let failed = false;
  req.on("data", (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > limit) {
      failed = true;
      done(new BodyTooLargeError(limit));
      return;
    }
    if (first === undefined) {
      first = chunk;
    } else {
      more ??= [first];
      more.push(chunk);
    }
  });
  req.on("end", () => {
    if (!failed) done(null, more ? Buffer.concat(more, size) : (first ?? ""));
  });
  req.on("error", (error) => {
    if (failed) return;
    failed = true;
    done(error);
  });
}

/**
 * The raw body of a node request, whatever ran before: a raw body kept by a parser (`rawBody`, or a
 * string/Buffer `body` from express.text/express.raw) is used as is; an untouched stream is read;
 * a stream consumed into a parsed object is an error (BodyConsumedError).
 */
export function readRawBody(
  req: FrameworkRequest,
  limit: number,
  framework: string,
  done: BodyCallback,
): void {
  if (isRaw(req.rawBody)) {
    done(null, req.rawBody);
  } else if (isRaw(req.body)) {
    done(null, req.body);
  } else if (req.readableEnded || req._body === true) {
    // GET requests carry no body; only a consumed POST body is a problem.
    done(req.method === "GET" || req.method === "HEAD" ? null : new BodyConsumedError(framework), "");
  } else {
    readStream(req, limit, done);
  }
}

export function rawBodyOf(
  req: FrameworkRequest,
  limit: number,
  framework: string,
): Promise<string | Uint8Array> {
  return new Promise((resolve, reject) =>
    readRawBody(req, limit, framework, (error, body) => (error ? reject(error) : resolve(body ?? ""))),
  );
}

/** Reads the body, runs the core and writes the answer on a node response (node:http, Express). */
export function serveNode(
  core: HandlerCore,
  req: FrameworkRequest,
  res: ServerResponse,
  url: string | undefined,
  framework: string,
): void {
  const fail = (error: unknown) => send(res, failure(core, error));
  readRawBody(req, core.maxBodyBytes, framework, (error, body) => {
    if (error) {
      fail(error);
      return;
    }
    core
      .handle({ method: req.method ?? "GET", query: queryOf(url), body: body ?? "" })
      .then((response) => send(res, response), fail);
  });
}

/** The answer for an adapter-level failure. */
export function failure(core: HandlerCore, error: unknown): HandlerResponse {
  if (error instanceof BodyTooLargeError) {
    core.report(error, { stage: "request" });
    return { status: 413, headers: { "content-type": "text/plain; charset=utf-8" }, body: "body too large" };
  }
  core.report(error, { stage: "request" });
  const message = error instanceof BodyConsumedError ? error.message : "internal error";
  return { status: 500, headers: { "content-type": "text/plain; charset=utf-8" }, body: message };
}

export function send(res: ServerResponse, response: HandlerResponse): void {
  // An explicit length avoids chunked encoding, so head and body leave in one write.
  res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body) });
  res.end(response.body);
}
