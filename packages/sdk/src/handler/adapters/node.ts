/**
 * The `node:http` adapter (also connect): a request listener around the message handler.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HandlerCore } from "../handler.js";
import { type FrameworkRequest, serveNode } from "./shared.js";

/** A `node:http` request listener: `http.createServer(toNodeHttp(handler))`. Also fits connect. */
export function toNodeHttp(core: HandlerCore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => serveNode(core, req as FrameworkRequest, res, req.url, "node:http");
}
