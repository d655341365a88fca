/**
 * The fetch-style adapter: `(Request) => Promise<Response>` for Hono, Deno, Bun, Workers and the like.
 */
import type { HandlerCore } from "../handler.js";
import { BodyConsumedError, BodyTooLargeError, failure, queryOf } from "./shared.js";

/**
 * A web-standard handler, `(Request) => Promise<Response>`: Hono (`app.all("/wechat", (c) =>
 * fetchHandler(c.req.raw))`), Deno, Bun, Cloudflare Workers and similar.
 */
export function toFetch(core: HandlerCore): (request: Request) => Promise<Response> {
  return async (request) => {
    let result: Awaited<ReturnType<HandlerCore["handle"]>>;
    try {
      if (request.bodyUsed) throw new BodyConsumedError("fetch Request");
      if (Number(request.headers.get("content-length")) > core.maxBodyBytes) {
        throw new BodyTooLargeError(core.maxBodyBytes);
      }
      const body = request.body === null ? "" : new Uint8Array(await request.arrayBuffer());
      if (typeof body !== "string" && body.byteLength > core.maxBodyBytes) {
        throw new BodyTooLargeError(core.maxBodyBytes);
      }
      result = await core.handle({ method: request.method, query: queryOf(request.url), body });
    } catch (error) {
      result = failure(core, error);
    }
    return new Response(result.body, { status: result.status, headers: result.headers });
  };
}
