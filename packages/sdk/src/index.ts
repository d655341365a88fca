export * from "./client/index.js";
export * from "./handler/index.js";
export * from "./subscribe/one-time.js";
