/**
 * Serves a message handler on a loopback port for one test file: `const serve = handlerHarness();` at
 * the top of the file, then `await serve(options, (h) => routes)`; servers close after each test.
 */
import { createServer } from "node:http";
import {
  createHandler,
  type HandlerErrorInfo,
  type HandlerOptions,
  type MessageHandler,
  toNodeHttp,
} from "@mpstack/sdk";
import { afterEach } from "vitest";
import { ACCOUNT, close, listen } from "./handler-fixtures.js";

export interface Harness {
  handler: MessageHandler;
  base: string;
  errors: { error: unknown; info: HandlerErrorInfo }[];
}

/** Registers the cleanup of the calling test file and returns its `serve`. */
export function handlerHarness(): (
  options?: Partial<HandlerOptions>,
  setup?: (h: MessageHandler) => void,
) => Promise<Harness> {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });
  return async (options = {}, setup) => {
    const errors: Harness["errors"] = [];
    const handler = createHandler({
      token: ACCOUNT.token,
      appId: ACCOUNT.appId,
      encodingAESKey: ACCOUNT.encodingAESKey,
      onError: (error, info) => errors.push({ error, info }),
      ...options,
    });
    setup?.(handler);
    const server = createServer(toNodeHttp(handler));
    servers.push(server);
    return { handler, base: await listen(server), errors };
  };
}
