/**
 * The endpoint catalog: every declared WeChat endpoint, by group. Each area adds its group here;
 * the SDK's `client.<group>.<name>()` methods and the platform's routes follow from it.
 */
import { basic } from "./basics.js";
import { listEndpoints } from "./endpoint.js";
import { user } from "./user.js";

export const catalog = { basic, user } as const;
export type Catalog = typeof catalog;

export const endpoints = listEndpoints(catalog);

export * from "./endpoint.js";
