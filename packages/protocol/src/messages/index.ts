export * from "./events.js";
export * from "./inbound.js";
export * from "./parse.js";
export * from "./replies.js";
