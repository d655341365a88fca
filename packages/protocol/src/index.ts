export * from "./catalog/index.js";
export * from "./permissions.js";
export * from "./schemas.js";
