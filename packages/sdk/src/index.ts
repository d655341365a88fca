export * from "./client/index.js";
export * from "./handler/index.js";
