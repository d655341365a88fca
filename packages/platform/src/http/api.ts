/**
 * The catalog-driven WeChat API layer. A module calls `implement(endpoint, handler)` with an
 * endpoint of `@mpstack/protocol`'s catalog; everything around the handler happens here, once:
 *
 *   route (method + path from the catalog; GET on a POST endpoint → 43002)
 *   → access_token (41001 missing, 40014 malformed, 40001 invalid/superseded, 42001 expired)
 *   → permission row × account type/verified/grants (+ policy overrides) → 48001
 *   → daily quota per account + path (45009)
 *   → request parsing (query / JSON / multipart; 44002 empty, 47001 garbled, 41xxx/40xxx fields)
 *   → handler → JSON (or binary) answer; WechatApiError → errcode/errmsg with ` rid: …`
 *   → journal (rid, account, path, redacted query/body, response, errcode, latency, ip).
 */
import type { Endpoint, RequestOf, ResponseOf } from "@mpstack/protocol";
import { mayCall } from "@mpstack/protocol";
import { type TObject, type TSchema, Type } from "@sinclair/typebox";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../clock.js";
import type { Policies } from "../config/policies.js";
import type { Account } from "../modules/accounts/types.js";
import { errorBody, WechatApiError } from "./errors.js";
import { type Journal, redactJsonText, redactQuery } from "./journal.js";
import { compileValidator, type FieldCodes, parseJsonBody, type Validator } from "./parse.js";
import type { QuotaCounter } from "./quota.js";
import { newRid } from "./rid.js";

export interface UploadedFile {
  /** Form field name (WeChat uses `media`). */
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
}

/** What a handler receives. */
export interface ApiCall<E extends Endpoint> {
  readonly endpoint: E;
  /** The request fields, validated against the endpoint's request schema. */
  readonly input: RequestOf<E>;
  /** The account of the access_token. Throws on `auth: "none"` endpoints (use `accountOrNull`). */
  readonly account: Account;
  readonly accountOrNull: Account | null;
  /** The effective policies (global, then the account's own). */
  readonly policies: Policies;
  /** Raw query parameters (strings). */
  readonly query: Record<string, string>;
  /** Raw body (JSON endpoints), for handlers that need the exact bytes. */
  readonly rawBody: Buffer | undefined;
  /** Uploaded files (multipart endpoints). */
  readonly files: UploadedFile[];
  readonly ip: string;
  readonly rid: string;
  /** Platform time (ms) when the call arrived. */
  readonly now: number;
  /** For `auth: "none"` endpoints: tell the journal which account the call belongs to. */
  identify(appid: string): void;
  /** For `auth: "none"` endpoints: count one call against the account's daily quota (throws 45009). */
  chargeQuota(account: Account): Promise<void>;
}

/** A download answer (media/get etc.). Errors of binary endpoints are still JSON. */
export class BinaryResult {
  constructor(
    readonly body: Buffer,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export type ApiResult<E extends Endpoint> = ResponseOf<E> | BinaryResult;
export type ApiHandler<E extends Endpoint> = (call: ApiCall<E>) => ApiResult<E> | Promise<ApiResult<E>>;

export interface ImplementOptions {
  /** Per-field error codes for this endpoint (on top of the defaults in parse.ts). */
  fieldCodes?: FieldCodes;
  /** Convert JSON field types before validating ("1" → 1). Query fields are always converted. */
  coerce?: boolean;
  /** Largest accepted upload per file (multipart endpoints), bytes. Default 20 MiB. */
  maxFileBytes?: number;
}

/**
 * The endpoint with a request schema that takes any JSON object, for handlers that check the body
 * themselves because WeChat answers each of its rules with its own code (menu buttons, custom
 * message types, QR actions); the catalog's schema would answer them all with one code first.
 */
export function withAnyJsonBody<Res extends TSchema>(e: Endpoint<TSchema, Res>): Endpoint<TObject, Res> {
  return { ...e, request: Type.Object({}) };
}

export type Implement = <E extends Endpoint>(
  endpoint: E,
  handler: ApiHandler<E>,
  options?: ImplementOptions,
) => void;

export interface ApiRegistration {
  endpoint: Endpoint;
  // biome-ignore lint/suspicious/noExplicitAny: registrations of different endpoints share one list
  handler: ApiHandler<any>;
  options: ImplementOptions;
}

export interface ApiServices {
  clock: Clock;
  journal: Journal;
  quota: QuotaCounter;
  /** access_token → account, or a WechatApiError (41001/40014/40001/42001). */
  authenticate(token: string | undefined): Promise<Account>;
  policiesFor(account: Account | null): Policies;
  log: FastifyBaseLogger;
}

const JSON_TYPE = "application/json; encoding=utf-8";

export function sendWechatJson(reply: FastifyReply, body: unknown, rid: string): string {
  const text = JSON.stringify(body);
  // A Buffer, so Fastify leaves WeChat's exact content type alone (WxJava matches on it).
  reply.code(200).header("content-type", JSON_TYPE).header("x-mpstack-rid", rid).send(Buffer.from(text));
  return text;
}

/** Register every implemented endpoint on `app` (an encapsulated scope with a raw-buffer body parser). */
export function mountApi(
  app: FastifyInstance,
  registrations: ApiRegistration[],
  services: ApiServices,
): void {
  const byPath = new Map<string, ApiRegistration>();
  for (const r of registrations) {
    if (byPath.has(r.endpoint.path)) throw new Error(`endpoint ${r.endpoint.path} implemented twice`);
    byPath.set(r.endpoint.path, r);
    const validator = compileValidator(r.endpoint.request, r.options.fieldCodes, r.endpoint.schemaErrcode);
    const handle = (req: FastifyRequest, reply: FastifyReply) => runCall(req, reply, r, validator, services);
    app.route({ method: ["GET", "POST"], url: r.endpoint.path, handler: handle });
  }
}

async function runCall(
  req: FastifyRequest,
  reply: FastifyReply,
  reg: ApiRegistration,
  validator: Validator,
  s: ApiServices,
): Promise<void> {
  const started = performance.now();
  const now = s.clock.now();
  const rid = newRid(now);
  const endpoint = reg.endpoint;
  const query = flattenQuery(req.query);
  const rawBody = Buffer.isBuffer(req.body) ? req.body : undefined;
  let appid: string | null = null;
  let account: Account | null = null;
  let responseText = "";
  let errcode = 0;
  let bodyForJournal = rawBody ? redactJsonText(rawBody.toString("utf8")) : "";
  let call: Call | undefined;
  try {
    if (endpoint.method === "POST" && req.method === "GET") throw new WechatApiError(43002);
    if (endpoint.auth === "access_token") {
      account = await s.authenticate(query.access_token);
      appid = account.appid;
    }
    const policies = s.policiesFor(account);
    if (account) {
      if (
        endpoint.permission !== null &&
        !mayCall(account, endpoint.permission, policies.permissionOverrides)
      ) {
        throw new WechatApiError(48001);
      }
      if (!(await s.quota.consume(account.appid, endpoint.path, quotaLimit(endpoint, policies)))) {
        throw new WechatApiError(45009);
      }
    }
    const files: UploadedFile[] = [];
    const fields = await readFields(req, endpoint, query, rawBody, files, reg.options);
    if (endpoint.requestIn === "multipart") bodyForJournal = describeMultipart(fields, files);
    const input = validator.check(fields, endpoint.requestIn === "query" || reg.options.coerce === true);
    call = new Call(endpoint, input, account, policies, query, rawBody, files, req.ip, rid, now, s);
    const result = await reg.handler(call);
    if (result instanceof BinaryResult) {
      reply.code(200).header("content-type", result.contentType).header("x-mpstack-rid", rid);
      for (const [k, v] of Object.entries(result.headers)) reply.header(k, v);
      reply.send(result.body);
      responseText = `<binary ${result.body.length} bytes ${result.contentType}>`;
    } else {
      errcode =
        typeof (result as { errcode?: unknown }).errcode === "number"
          ? (result as { errcode: number }).errcode
          : 0;
      responseText = sendWechatJson(reply, result, rid);
    }
    appid = call.identified ?? appid;
  } catch (err) {
    const wx = toWechatError(err, s.log, endpoint.path);
    errcode = wx.errcode;
    appid = call?.identified ?? appid ?? wx.ownerAppid ?? null;
    responseText = sendWechatJson(reply, errorBody(wx, rid), rid);
  }
  s.journal.record({
    rid,
    appid,
    method: req.method,
    path: endpoint.path,
    query: redactQuery(query),
    body: bodyForJournal,
    response: redactJsonText(responseText),
    errcode,
    latency_ms: Math.round(performance.now() - started),
    client_ip: req.ip,
    time: now,
  });
}

/**
 * What a handler receives. A class, not an object literal: a literal with a getter defines an
 * accessor property on every call, a visible cost on the hottest path.
 */
class Call implements ApiCall<Endpoint> {
  /** The account an `auth: "none"` call named (`identify`), for the journal. */
  identified: string | null = null;

  constructor(
    readonly endpoint: Endpoint,
    readonly input: RequestOf<Endpoint>,
    readonly accountOrNull: Account | null,
    readonly policies: Policies,
    readonly query: Record<string, string>,
    readonly rawBody: Buffer | undefined,
    readonly files: UploadedFile[],
    readonly ip: string,
    readonly rid: string,
    readonly now: number,
    private readonly services: ApiServices,
  ) {}

  get account(): Account {
    if (!this.accountOrNull) throw new Error(`${this.endpoint.path} has auth "none": use accountOrNull`);
    return this.accountOrNull;
  }

  identify(appid: string): void {
    this.identified = appid;
  }

  async chargeQuota(a: Account): Promise<void> {
    const limit = quotaLimit(this.endpoint, this.services.policiesFor(a));
    if (!(await this.services.quota.consume(a.appid, this.endpoint.path, limit))) {
      throw new WechatApiError(45009);
    }
  }
}

function quotaLimit(endpoint: Endpoint, policies: Policies): number | null | undefined {
  return endpoint.path in policies.dailyQuotas ? policies.dailyQuotas[endpoint.path] : endpoint.dailyQuota;
}

/** Unexpected errors become -1 `system error` (logged, never shown). */
export function toWechatError(err: unknown, log: FastifyBaseLogger, path: string): WechatApiError {
  if (err instanceof WechatApiError) return err;
  const code = (err as { code?: unknown })?.code;
  if (code === "FST_REQ_FILE_TOO_LARGE") return new WechatApiError(45001);
  if (typeof code === "string" && code.startsWith("FST_")) return new WechatApiError(47001);
  log.error(
    { path, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) },
    "api handler failed",
  );
  return new WechatApiError(-1);
}

function flattenQuery(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!q || typeof q !== "object") return out;
  for (const [k, v] of Object.entries(q as Record<string, unknown>)) {
    // A repeated parameter: WeChat-style servers take the first value.
    const one = Array.isArray(v) ? v[0] : v;
    if (typeof one === "string") out[k] = one;
  }
  return out;
}

async function readFields(
  req: FastifyRequest,
  endpoint: Endpoint,
  query: Record<string, string>,
  rawBody: Buffer | undefined,
  files: UploadedFile[],
  options: ImplementOptions,
): Promise<Record<string, unknown>> {
  const fromQuery = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k of endpoint.queryKeys) if (k in query) out[k] = query[k];
    return out;
  };
  switch (endpoint.requestIn) {
    case "query": {
      const { access_token: _omit, ...rest } = query;
      return rest;
    }
    case "json":
      return { ...parseJsonBody(rawBody), ...fromQuery() };
    case "multipart": {
      const fields: Record<string, unknown> = {};
      if (req.isMultipart()) {
        const limit = options.maxFileBytes ?? 20 * 1024 * 1024;
        for await (const part of req.parts({ limits: { fileSize: limit, files: 4, fields: 20 } })) {
          if (part.type === "file") {
            const data = await part.toBuffer();
            files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, data });
          } else if (typeof part.value === "string") {
            fields[part.fieldname] = part.value;
          }
        }
      }
      return { ...fields, ...fromQuery() };
    }
  }
}

function describeMultipart(fields: Record<string, unknown>, files: UploadedFile[]): string {
  return JSON.stringify({
    fields,
    files: files.map((f) => ({
      field: f.field,
      filename: f.filename,
      mimetype: f.mimetype,
      bytes: f.data.length,
    })),
  });
}
