import type { IncomingMessage, ServerResponse } from "node:http";
import type { HandlerCore } from "../handler.js";
import { type FrameworkRequest, failure, queryOf, rawBodyOf, send } from "./shared.js";

/** The parts of an Express (4 or 5) request this adapter reads. */
export type ExpressLikeRequest = IncomingMessage & {
  originalUrl?: string;
  body?: unknown;
  rawBody?: unknown;
};

/**
 * Express middleware: `app.all("/wechat", toExpress(handler))` (or `app.use`). Works with or without
 * body parsers mounted before it, as long as a raw body survives (see BodyConsumedError).
 */
export function toExpress(
  core: HandlerCore,
): (req: ExpressLikeRequest, res: ServerResponse, next: (error?: unknown) => void) => void {
  return (req, res) => {
    rawBodyOf(req as FrameworkRequest, core.maxBodyBytes, "Express")
      // originalUrl: the URL before a mount path was stripped; the query is the same either way.
      .then((body) =>
        core.handle({ method: req.method ?? "GET", query: queryOf(req.originalUrl ?? req.url), body }),
      )
      .catch((error: unknown) => failure(core, error))
      .then((response) => send(res, response));
  };
}
