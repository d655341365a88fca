/**
 * The catalog-driven WeChat API layer. A module calls `implement(endpoint, handler)` with an
 * endpoint of `@mpstack/protocol`'s catalog; everything around the handler happens here, once:
 *
 *   route (method + path from the catalog; GET on a POST endpoint → 43002)
 *   → access_token (41001 missing, 40014 malformed, 40001 invalid/superseded, 42001 expired)
 *   → permission row × account type/verified/grants (+ policy overrides) → 48001
 *   → daily quota per account + path (45009)
 *   → request parsing (query / JSON / multipart; 44002 empty, 47001 garbled or nested too deep;
 *     a field holding text XML cannot carry answers its invalid code), then either the
 *     catalog schema (41xxx/40xxx by field) or the endpoint's own `parse` step (WeChat's order of
 *     checks), whose output is checked once against the schema
 *   → handler → JSON, bytes, a redirect or an HTML page; WechatApiError → errcode/errmsg + ` rid: …`
 *   → journal (rid, account, path, redacted query/body, response, errcode, latency, ip).
 */
import type { Endpoint, RequestOf, ResponseOf } from "@mpstack/protocol";
import { mayCall, newRid } from "@mpstack/protocol";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Account } from "../account.js";
import type { Clock } from "../clock.js";
import type { Policies } from "../config/policies.js";
import { sendWechatError, sendWechatJson, toWechatError, WechatApiError } from "./errors.js";
import { checkFieldText, compileValidator, type FieldCodes, parseJsonBody, type Validator } from "./parse.js";
import { redactJsonText, redactQuery } from "./redact.js";
import { BinaryResult, HtmlResult, isNonJsonResult, type NonJsonResult, RedirectResult } from "./results.js";

export interface UploadedFile {
  /** Form field name (WeChat uses `media`). */
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
}

/** What a handler receives. */
export interface ApiCall<E extends Endpoint, P = RequestOf<E>> {
  readonly endpoint: E;
  /** The request fields, validated against the endpoint's request schema (or the parse step's result). */
  readonly input: P;
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
  /** The HTTP request (headers and cookies, for the web pages of the mp and open hosts). */
  readonly request: FastifyRequest;
  /** For `auth: "none"` endpoints: tell the journal which account the call belongs to. */
  identify(appid: string): void;
  /** For `auth: "none"` endpoints: count one call against the account's daily quota (throws 45009). */
  chargeQuota(account: Account): Promise<void>;
}

export type ApiResult<E extends Endpoint> = ResponseOf<E> | NonJsonResult;
export type ApiHandler<E extends Endpoint, P = RequestOf<E>> = (
  call: ApiCall<E, P>,
) => ApiResult<E> | Promise<ApiResult<E>>;

/** What a parse step sees besides the raw fields: who calls, under which policies, the exact bytes. */
export interface ParseContext {
  readonly account: Account;
  readonly policies: Policies;
  readonly now: number;
  readonly rawBody: Buffer | undefined;
}

/**
 * For bodies WeChat checks in its own order, each rule with its own code (menu buttons, custom
 * message types, QR actions): build the handler's typed input from the raw fields, throwing
 * WechatApiError at the first broken rule. Once it passes, the same fields are checked against the
 * catalog schema (a mismatch answers the endpoint's `schemaErrcode`: the two disagree, a bug).
 */
export type ParseStep<P> = (fields: Record<string, unknown>, ctx: ParseContext) => P | Promise<P>;

export interface ImplementOptions {
  /** Per-field error codes for this endpoint (on top of the defaults in parse.ts). */
  fieldCodes?: FieldCodes;
  /** Convert JSON field types before validating ("1" → 1). Query fields are always converted. */
  coerce?: boolean;
  /** Largest accepted upload per file (multipart endpoints), bytes. Default 20 MiB. */
  maxFileBytes?: number;
}

/** Implement a catalog endpoint: with the catalog's validation, or with a parse step of its own. */
export interface Implement {
  <E extends Endpoint>(endpoint: E, handler: ApiHandler<E>, options?: ImplementOptions): void;
  <E extends Endpoint, P>(
    endpoint: E,
    parse: ParseStep<P>,
    handler: ApiHandler<E, P>,
    options?: ImplementOptions,
  ): void;
}

export interface ApiRegistration {
  endpoint: Endpoint;
  // biome-ignore lint/suspicious/noExplicitAny: registrations of different endpoints share one list
  handler: ApiHandler<any, any>;
  parse: ParseStep<unknown> | undefined;
  options: ImplementOptions;
}

/** One API call as the journal keeps it (the `journal` table's row). */
export interface ApiCallRecord {
  rid: string;
  appid: string | null;
  method: string;
  path: string;
  /** Query string with access_token / secret values redacted. */
  query: string;
  body: string;
  response: string;
  errcode: number;
  latency_ms: number;
  client_ip: string;
  time: number;
}

export interface ApiServices {
  clock: Clock;
  /** Where each call is recorded (the core module's journal). */
  journal: { record(entry: ApiCallRecord): void };
  /** The daily quota per account and path (the core module's counters); false when spent. */
  quota: { consume(appid: string, path: string, limit: number | null | undefined): Promise<boolean> };
  /** access_token → account, or a WechatApiError (41001/40014/40001/42001). */
  authenticate(token: string | undefined): Promise<Account>;
  policiesFor(account: Account | null): Policies;
  log: FastifyBaseLogger;
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
    if (r.parse) {
      const parse = r.parse;
      const agreed = compileValidator(r.endpoint.request, {}, r.endpoint.schemaErrcode, true);
      r.parse = async (fields, c) => {
        const input = await parse(fields, c);
        // Coerced: WeChat takes "60" where the catalog says integer, and so do parse steps.
        agreed.check(fields, true);
        return input;
      };
    }
    // Resolving with the reply tells Fastify the answer is on its way: a streamed download (a file
    // still opening) must not be taken for an unanswered request and cut to an empty body.
    const handle = async (req: FastifyRequest, reply: FastifyReply) => {
      await runCall(req, reply, r, validator, services);
      return reply;
    };
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
    if (endpoint.requestIn === "multipart") bodyForJournal = redactJsonText(describeMultipart(fields, files));
    // Query junk beside the declared parameters is ignored (as WeChat does); a body may be kept whole.
    checkFieldText(
      endpoint.requestIn === "query" ? declaredOnly(fields, endpoint) : fields,
      reg.options.fieldCodes,
      endpoint.schemaErrcode,
    );
    const input = reg.parse
      ? await reg.parse(fields, { account: account as Account, policies, now, rawBody })
      : validator.check(fields, endpoint.requestIn === "query" || reg.options.coerce === true);
    call = new Call(endpoint, input, account, policies, query, rawBody, files, req.ip, rid, now, req, s);
    const result = await reg.handler(call);
    if (isNonJsonResult(result)) {
      sendNonJson(reply, result, rid);
      responseText = result.describe();
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
    responseText = sendWechatError(reply, wx, rid);
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
    readonly request: FastifyRequest,
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

function sendNonJson(reply: FastifyReply, result: NonJsonResult, rid: string): void {
  reply.header("x-mpstack-rid", rid);
  for (const [k, v] of Object.entries(result.headers)) reply.header(k, v);
  if (result instanceof BinaryResult) {
    reply.code(200).header("content-type", result.contentType).send(result.body);
  } else if (result instanceof RedirectResult) {
    reply.code(result.status).header("location", result.location).send();
  } else if (result instanceof HtmlResult) {
    reply.code(result.status).header("content-type", "text/html; charset=utf-8").send(result.html);
  }
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
        try {
          for await (const part of req.parts({ limits: { fileSize: limit, files: 4, fields: 20 } })) {
            if (part.type === "file") {
              const data = await part.toBuffer();
              files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, data });
            } else if (typeof part.value === "string") {
              fields[part.fieldname] = part.value;
            }
          }
        } catch (err) {
          // A body that is not multipart at all (no boundary, broken framing) is garbled data;
          // Fastify's own limits keep their codes (45001 for a file too large).
          if ((err as { code?: unknown }).code === undefined) throw new WechatApiError(47001);
          throw err;
        }
      }
      // A file is its field's value too (the catalog's `UploadFile`), so schemas and parse steps see it.
      const uploads: Record<string, unknown> = {};
      for (const f of files)
        uploads[f.field] ??= { data: f.data, filename: f.filename, contentType: f.mimetype };
      return { ...fields, ...uploads, ...fromQuery() };
    }
  }
}

function declaredOnly(fields: Record<string, unknown>, endpoint: Endpoint): Record<string, unknown> {
  const declared = (endpoint.request as { properties?: Record<string, unknown> }).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(fields)) if (k in declared) out[k] = fields[k];
  return out;
}

function describeMultipart(fields: Record<string, unknown>, files: UploadedFile[]): string {
  const fileFields = new Set(files.map((f) => f.field));
  return JSON.stringify({
    fields: Object.fromEntries(Object.entries(fields).filter(([k]) => !fileFields.has(k))),
    files: files.map((f) => ({
      field: f.field,
      filename: f.filename,
      mimetype: f.mimetype,
      bytes: f.data.length,
    })),
  });
}
