/**
 * The Koa adapter: middleware that reads the raw body (or a raw body parser's) and answers on the context.
 */
import type { IncomingMessage } from "node:http";
import type { HandlerCore } from "../handler.js";
import { type FrameworkRequest, failure, queryOf, rawBodyOf } from "./shared.js";

/** The parts of a Koa context this adapter uses. */
export interface KoaLikeContext {
  method: string;
  url: string;
  path: string;
  req: IncomingMessage;
  request: { body?: unknown; rawBody?: unknown };
  status: number;
  body: unknown;
  set(field: Record<string, string>): void;
}

export interface KoaAdapterOptions {
  /** Only answer this path and pass other requests on (without a router). */
  path?: string;
}

/** Koa middleware: `app.use(toKoa(handler, { path: "/wechat" }))` or a router's `all` route. */
export function toKoa(
  core: HandlerCore,
  options: KoaAdapterOptions = {},
): (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<void> {
  return async (ctx, next) => {
    if (options.path !== undefined && ctx.path !== options.path) {
      await next();
      return;
    }
    const req = ctx.req as FrameworkRequest;
    // koa-bodyparser keeps the text in ctx.request.rawBody; a string/Buffer ctx.request.body is raw too.
    const kept = ctx.request.rawBody ?? ctx.request.body;
    let response: Awaited<ReturnType<HandlerCore["handle"]>>;
    try {
      const body =
        typeof kept === "string" || kept instanceof Uint8Array
          ? kept
          : await rawBodyOf(req, core.maxBodyBytes, "Koa");
      response = await core.handle({ method: ctx.method, query: queryOf(ctx.url), body });
    } catch (error) {
      response = failure(core, error);
    }
    ctx.status = response.status;
    ctx.set(response.headers);
    ctx.body = response.body;
  };
}
