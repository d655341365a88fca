export * from "./client/index.js";
export * from "./handler/index.js";
export * from "./jssdk/index.js";
export * from "./oauth/index.js";
