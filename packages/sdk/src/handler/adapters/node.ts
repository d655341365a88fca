import type { IncomingMessage, ServerResponse } from "node:http";
import type { HandlerCore } from "../handler.js";
import { type FrameworkRequest, failure, queryOf, rawBodyOf, send } from "./shared.js";

/** A `node:http` request listener: `http.createServer(toNodeHttp(handler))`. Also fits connect. */
export function toNodeHttp(core: HandlerCore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    rawBodyOf(req as FrameworkRequest, core.maxBodyBytes, "node:http")
      .then((body) => core.handle({ method: req.method ?? "GET", query: queryOf(req.url), body }))
      .catch((error: unknown) => failure(core, error))
      .then((response) => send(res, response));
  };
}
