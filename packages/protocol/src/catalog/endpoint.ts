/**
 * The endpoint catalog format: every WeChat endpoint is declared once, as data. The platform
 * routes, validates and checks permissions from it; the SDK derives its typed methods from it.
 *
 * An entry's documentation is a JSDoc comment on its key in the group (WeChat's doc title in
 * Chinese, an English summary, the spec section), so an editor shows it on `client.menu.create`;
 * the runtime keeps only the short `title` (the platform's OpenAPI document and the console show it).
 */
import type { Static, TSchema } from "@sinclair/typebox";
import { ErrorCode } from "../error-codes.js";
import type { PermissionId } from "../permissions.js";

const DATA_FORMAT_ERROR: number = ErrorCode.DataFormatError;

/** WeChat's hosts: api.weixin.qq.com, mp.weixin.qq.com, open.weixin.qq.com (one port on the platform). */
export type HostKind = "api" | "mp" | "open";

export const HOSTS: Record<HostKind, string> = {
  api: "https://api.weixin.qq.com",
  mp: "https://mp.weixin.qq.com",
  open: "https://open.weixin.qq.com",
};

/**
 * How a call authenticates:
 * - `access_token`: the account's token in the query (`?access_token=`), the usual case;
 * - `none`: no token (the token endpoints themselves carry appid/secret in query or body).
 */
export type AuthKind = "access_token" | "none";

/**
 * Where the request's fields travel:
 * - `query`: every field is a query parameter (GET endpoints);
 * - `json`: a JSON body, except the fields named in `queryKeys`;
 * - `multipart`: multipart/form-data (file field `media`), except `queryKeys`.
 */
export type RequestIn = "query" | "json" | "multipart";

export interface EndpointSpec<Req extends TSchema = TSchema, Res extends TSchema = TSchema> {
  method: "GET" | "POST";
  host: HostKind;
  path: string;
  /** Row of spec/permissions.md; `null` for endpoints every account may call without a row. */
  permission: PermissionId | null;
  auth?: AuthKind;
  request: Req;
  requestIn?: RequestIn;
  /** With `json` or `multipart`: fields of `request` sent in the query string instead. */
  queryKeys?: readonly string[];
  response: Res;
  /**
   * `binary` for downloads: a file on success (typed as `BinaryFile` in `response`), a JSON error body
   * on failure.
   */
  responseKind?: "json" | "binary";
  /**
   * The errcode WeChat answers when the request does not fit `request` (default 47001 `data format
   * error`); e.g. 40097 `invalid args` for qrcode/create. Areas whose errors are finer than one code
   * (menu buttons, message types) check the raw body themselves before the schema.
   */
  schemaErrcode?: number;
  /** WeChat's documented daily call limit for this API, if any (spec/basics.md §7.1). */
  dailyQuota?: number;
  /** The title of WeChat's doc page for this API, in Chinese, e.g. `创建自定义菜单`. */
  title: string;
}

export interface Endpoint<Req extends TSchema = TSchema, Res extends TSchema = TSchema>
  extends Required<Omit<EndpointSpec<Req, Res>, "dailyQuota">> {
  /** `group.name`, e.g. `menu.create`; set by `group()`. */
  id: string;
  dailyQuota: number | undefined;
}

export type RequestOf<E> = E extends Endpoint<infer Req, TSchema> ? Static<Req> : never;
export type ResponseOf<E> = E extends Endpoint<TSchema, infer Res> ? Static<Res> : never;

/** Declare one endpoint; its id is filled in by the group that holds it. */
export function endpoint<Req extends TSchema, Res extends TSchema>(
  spec: EndpointSpec<Req, Res>,
): Endpoint<Req, Res> {
  return {
    id: "",
    auth: "access_token",
    requestIn: spec.method === "GET" ? "query" : "json",
    queryKeys: [],
    responseKind: "json",
    schemaErrcode: DATA_FORMAT_ERROR,
    ...spec,
    dailyQuota: spec.dailyQuota,
  };
}

/** A named group of endpoints (`client.menu.*`). Assigns each endpoint its `group.name` id. */
export function group<G extends Record<string, Endpoint>>(name: string, endpoints: G): G {
  for (const [key, e] of Object.entries(endpoints)) e.id = `${name}.${key}`;
  return endpoints;
}

/** Every endpoint of a catalog, flat. */
export function listEndpoints(catalog: Record<string, Record<string, Endpoint>>): Endpoint[] {
  return Object.values(catalog).flatMap((g) => Object.values(g));
}
