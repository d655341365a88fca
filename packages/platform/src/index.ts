export type { Account, OpenPlatform, ServerMode, ServerSettings } from "./account.js";
export { createPlatform, type Platform, type PlatformOptions } from "./app.js";
export { type Clock, createClock, cstDay, cstMonth, type MutableClock } from "./clock.js";
export { ConfigError } from "./config/check.js";
export { DEFAULT_POLICIES, type Policies } from "./config/policies.js";
export type { ConfigSection, PlatformConfig } from "./config/types.js";
export { emptyConfig, loadConfigFile, validateConfig } from "./config-file.js";
export type { Migration } from "./db/migrate.js";
export type { Database, Db } from "./db/schema.js";
export type { WorldSnapshot } from "./db/world.js";
export { DEMO_OPEN_PLATFORM, demoAppid, demoConfig, demoSecret } from "./demo-world.js";
export { type PlatformEventMap, PlatformEvents } from "./events.js";
export type {
  ApiCall,
  ApiHandler,
  ImplementOptions,
  ParseContext,
  ParseStep,
  UploadedFile,
} from "./http/api.js";
export { ok, sendWechatError, WechatApiError } from "./http/errors.js";
export { BinaryResult, bytes, HtmlResult, htmlPage, RedirectResult, redirect } from "./http/results.js";
export { badRequest, conflict, notFound, SimulatorError } from "./http/simulator.js";
export {
  defineModule,
  type ModuleContext,
  type ModuleServices,
  type PlatformModule,
  type PlatformRuntime,
  type WorldControl,
} from "./module.js";
export { describeGraph, formatGraph, type ModuleGraphEntry, ModuleGraphError } from "./module-graph.js";
export type { AccountConfig, OpenPlatformConfig } from "./modules/accounts/index.js";
export type { FollowConfig, UserConfig } from "./modules/simulated-users/index.js";
export type * from "./simulator-types.js";
export type { World } from "./world.js";
