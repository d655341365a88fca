/**
 * The Fastify adapter: a route handler that hands the raw body to the message handler (Fastify's
 * parsed bodies cannot be verified, so the raw one is required).
 */
import type { IncomingMessage } from "node:http";
import type { HandlerCore } from "../handler.js";
import type { HandlerResponse } from "../types.js";
import { BodyConsumedError, failure, queryOf } from "./shared.js";

/** The parts of a Fastify request and reply this adapter uses. */
export interface FastifyLikeRequest {
  method: string;
  url: string;
  body?: unknown;
  raw: IncomingMessage;
}
export interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(payload: string): unknown;
}

type BufferParser = (
  request: unknown,
  body: Buffer,
  done: (error: Error | null, body?: Buffer) => void,
) => void;

/** The parts of a Fastify instance the plugin uses (Fastify 4 and 5). */
export interface FastifyLikeInstance {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    type: string,
    options: { parseAs: "buffer"; bodyLimit?: number },
    parser: BufferParser,
  ): void;
  route(options: {
    method: string[];
    url: string;
    handler: (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown>;
  }): unknown;
}

export interface FastifyAdapterOptions {
  /** The route inside the plugin's prefix. Default "/". */
  path?: string;
}

async function answer(core: HandlerCore, request: FastifyLikeRequest): Promise<HandlerResponse> {
  try {
    const body = request.body;
    let raw: string | Uint8Array;
    if (body === undefined || body === null) raw = "";
    else if (typeof body === "string" || body instanceof Uint8Array) raw = body;
    else throw new BodyConsumedError("Fastify");
    return await core.handle({ method: request.method, query: queryOf(request.url), body: raw });
  } catch (error) {
    return failure(core, error);
  }
}

/**
 * A Fastify route handler for apps that already receive the body raw (a string or Buffer, e.g. via
 * their own `addContentTypeParser(..., { parseAs: "buffer" })`). Prefer the plugin, which does that.
 */
export function toFastifyHandler(
  core: HandlerCore,
): (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown> {
  return async (request, reply) => {
    const response = await answer(core, request);
    return reply.code(response.status).headers(response.headers).send(response.body);
  };
}

/**
 * A Fastify plugin: `app.register(toFastify(handler), { prefix: "/wechat" })`. Inside its own
 * (encapsulated) context it replaces the content-type parsers with one that keeps every body as a
 * raw Buffer, so the rest of the app keeps its parsers and the handler sees the exact bytes.
 */
export function toFastify(
  core: HandlerCore,
  options: FastifyAdapterOptions = {},
): (instance: FastifyLikeInstance) => Promise<void> {
  const handler = toFastifyHandler(core);
  return async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: core.maxBodyBytes },
      (_req, body, done) => done(null, body),
    );
    instance.route({ method: ["GET", "POST"], url: options.path ?? "/", handler });
  };
}
