/**
 * The Express adapter (4 and 5): mounts the handler as middleware, reading the raw body itself or
 * from a raw body parser; a body already parsed into an object is refused (it cannot be verified).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HandlerCore } from "../handler.js";
import { type FrameworkRequest, serveNode } from "./shared.js";

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
  // originalUrl: the URL before a mount path was stripped; the query is the same either way.
  return (req, res) => serveNode(core, req as FrameworkRequest, res, req.originalUrl ?? req.url, "Express");
}
