/**
 * The WeChat message handler (callback server) of official accounts:
 *
 * ```ts
 * const handler = createHandler({ token, appId, encodingAESKey, fallback: customerMessageSender(client) });
 * handler
 *   .text(/^weather (.+)/, (msg, ctx) => `Sunny in ${ctx.match?.[1]}`)
 *   .click("MENU_NEWS", () => reply.news([{ title, description, picUrl, url }]))
 *   .scan("42", () => "Thanks for scanning")
 *   .event("subscribe", () => "Welcome!")
 *   .default(() => undefined); // "success"
 * http.createServer(toNodeHttp(handler)).listen(80);   // or toExpress / toKoa / toFastify / toFetch
 * ```
 */
export * from "./adapters/express.js";
export * from "./adapters/fastify.js";
export * from "./adapters/fetch.js";
export * from "./adapters/koa.js";
export * from "./adapters/node.js";
export { BodyConsumedError, BodyTooLargeError } from "./adapters/shared.js";
export * from "./customer-service.js";
export * from "./dedupe.js";
export * from "./handler.js";
export * from "./redis-dedupe.js";
export * from "./reply.js";
export * from "./router.js";
export * from "./types.js";
