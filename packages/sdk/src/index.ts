/**
 * @mpstack/sdk: the API client (`createClient`) and the message handler (`createHandler`) of an official
 * account; works against WeChat and against the mpstack platform.
 */
export * from "./client/index.js";
export * from "./handler/index.js";
export * from "./jssdk/index.js";
export * from "./oauth/index.js";
export * from "./pay/index.js";
export * from "./subscribe/one-time.js";
