/**
 * Inbound messages and events, passive replies: their types, the parser and the reply builder.
 */
export * from "./events.js";
export * from "./inbound.js";
export * from "./parse.js";
export * from "./replies.js";
