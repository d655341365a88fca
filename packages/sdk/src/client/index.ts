/**
 * The API client's public surface: the client, its errors, token stores and the types of its methods.
 */
export {
  type ClientOptions,
  createClient,
  isMediaFile,
  type RequestOptions,
  type WechatClient,
  WechatClientCore,
} from "./client.js";
export {
  BUSY_ERRCODE,
  parseRid,
  TOKEN_ERROR_CODES,
  WechatApiError,
  WechatError,
  WechatRequestError,
} from "./errors.js";
export type { MediaBody, MediaInput } from "./multipart.js";
export { RedisTokenStore, type RedisTokenStoreOptions } from "./redis-token-store.js";
export { MemoryTokenStore, type StoredToken, type TokenLock, type TokenStore } from "./token-store.js";
export type { FetchFn, MediaFile, MediaStream } from "./transport.js";
export type { ApiGroups, ArgsOf, CallOptions, CatalogMethods, EndpointMethod, ResultOf } from "./types.js";
export type { Query, QueryValue } from "./url.js";
