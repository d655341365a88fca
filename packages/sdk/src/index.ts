export * from "./client/index.js";
export * from "./handler/index.js";
export * from "./pay/index.js";
