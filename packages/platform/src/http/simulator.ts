/**
 * The simulator API (`/_mpstack/...`): the only door for the console and for tests. Modules add
 * routes with `simulator.route({...})`; each route's TypeBox schemas validate the request and
 * describe it in `/_mpstack/openapi.json`. Errors are `{ "error": { "code", "message" } }` with a
 * 4xx status. Who may call, under which host name and from which origin: simulator-guard.ts.
 */
import type { Static, TSchema } from "@sinclair/typebox";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ConfigError } from "../config/check.js";
import type { ApiRegistration } from "./api.js";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-limits.js";
import { closeObjects, simulatorValidator } from "./sim-validate.js";
import { type SimulatorAccess, simulatorGuard } from "./simulator-guard.js";

export { type SimulatorAccess, simulatorGuard } from "./simulator-guard.js";

export const SIMULATOR_PREFIX = "/_mpstack";

export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "SimulatorError";
  }
}

export const notFound = (what: string) => new SimulatorError(404, "not_found", `${what} not found`);
export const badRequest = (message: string) => new SimulatorError(400, "invalid_request", message);
export const conflict = (message: string) => new SimulatorError(409, "conflict", message);

/** Run a config-shaped check on a simulator input: its ConfigError becomes a 400 naming the field. */
export function checkedInput<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ConfigError) throw badRequest(err.message);
    throw err;
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface SimRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  raw: FastifyRequest;
}

export interface SimRoute<B extends TSchema, Q extends TSchema, P extends TSchema> {
  method: Method;
  /** Path below `/_mpstack`, Fastify syntax: `/users/:user/follow`. */
  url: string;
  summary: string;
  tag?: string;
  body?: B;
  /** How body problems name the body (`account.secret: …`); default "body". */
  bodyName?: string;
  query?: Q;
  params?: P;
  /** Schema of a 2xx answer (documentation only). */
  response?: TSchema;
  /** The answer's content type when it is not JSON (documentation only), e.g. `text/event-stream`. */
  produces?: string;
  /** Return the JSON answer (status 200), or use `req.raw`/`reply` for anything else. */
  handler(req: SimRequest<Static<B>, Static<Q>, Static<P>>, reply: FastifyReply): unknown | Promise<unknown>;
}

export interface SimulatorRouter {
  route<B extends TSchema = TSchema, Q extends TSchema = TSchema, P extends TSchema = TSchema>(
    def: SimRoute<B, Q, P>,
  ): void;
}

// biome-ignore lint/suspicious/noExplicitAny: routes of different shapes share one list
export type AnySimRoute = SimRoute<any, any, any>;

export function createSimulatorRouter(list: AnySimRoute[]): SimulatorRouter {
  return {
    route(def) {
      // Bodies are closed by default (undeclared fields refused): see sim-validate.ts.
      list.push({ ...def, ...(def.body ? { body: closeObjects(def.body) } : {}) } as AnySimRoute);
    },
  };
}

export function sendSimError(reply: FastifyReply, err: SimulatorError): void {
  reply.code(err.status).send({ error: { code: err.code, message: err.message } });
}

export function mountSimulator(app: FastifyInstance, routes: AnySimRoute[], access: SimulatorAccess): void {
  app.addHook("onRequest", simulatorGuard(access));
  const bodyNames = new Map<TSchema, string>();
  for (const r of routes) if (r.body && r.bodyName) bodyNames.set(r.body, r.bodyName);
  app.setValidatorCompiler(simulatorValidator(badRequest, bodyNames));
  // JSON bodies; an empty one (curl -X POST …/reset with a JSON content type) counts as absent.
  // Nesting is bounded before parsing (as on the WeChat API side).
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
      return done(badRequest(`body: nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new SimulatorError(400, "invalid_request", "body: not valid JSON"), undefined);
    }
  });
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err instanceof SimulatorError) return sendSimError(reply, err);
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof SimulatorError) return sendSimError(reply, cause);
    if (err.validation)
      return sendSimError(
        reply,
        badRequest(
          `${err.validationContext ?? "request"}${err.message.replace(/^(body|querystring|params)/, "")}`,
        ),
      );
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendSimError(reply, new SimulatorError(err.statusCode, "invalid_request", err.message));
    }
    app.log.error({ err: { message: err.message, stack: err.stack } }, "simulator route failed");
    reply.code(500).send({ error: { code: "internal", message: "internal error" } });
  });
  app.setNotFoundHandler((req, reply) =>
    sendSimError(reply, notFound(`${req.method} ${req.url.split("?")[0]}`)),
  );
  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      schema: {
        ...(r.body ? { body: r.body } : {}),
        ...(r.query ? { querystring: r.query } : {}),
        ...(r.params ? { params: r.params } : {}),
      },
      handler: async (req, reply) => {
        const result = await r.handler(
          { body: req.body, query: req.query, params: req.params, raw: req },
          reply,
        );
        if (reply.sent) return reply;
        return result ?? { ok: true };
      },
    });
  }
}

/** The OpenAPI 3.1 document of the simulator routes (and a list of the WeChat endpoints served). */
export function openApiDocument(routes: AnySimRoute[], api: ApiRegistration[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = SIMULATOR_PREFIX + r.url.replace(/:([A-Za-z_]+)/g, "{$1}");
    const params: Record<string, unknown>[] = [...r.url.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const queryProps = (r.query as { properties?: Record<string, TSchema> } | undefined)?.properties ?? {};
    for (const [name, schema] of Object.entries(queryProps))
      params.push({ name, in: "query", required: false, schema });
    const item = paths[path] ?? {};
    paths[path] = item;
    item[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag ?? "simulator"],
      ...(params.length ? { parameters: params } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: r.body } },
              // How 400 answers name this body's fields (`account.secret: …`).
              "x-mpstack-body-name": r.bodyName ?? "body",
            },
          }
        : {}),
      responses: {
        "200": {
          description: "OK",
          content: { [r.produces ?? "application/json"]: { schema: r.response ?? { type: "object" } } },
        },
        "4XX": {
          description: "Simulator error",
          content: { "application/json": { schema: SIM_ERROR_SCHEMA } },
        },
      },
    };
  }
  for (const reg of api) {
    const e = reg.endpoint;
    const item = paths[e.path] ?? {};
    paths[e.path] = item;
    item[e.method.toLowerCase()] = {
      summary: e.title,
      operationId: e.id,
      tags: [`wechat:${e.id.split(".")[0]}`],
      ...(e.requestIn === "json"
        ? { requestBody: { content: { "application/json": { schema: e.request } } } }
        : {}),
      responses: {
        "200": { description: "WeChat answer", content: { "application/json": { schema: e.response } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "mpstack",
      version: "0.1.0",
      description:
        "The simulator API (/_mpstack) and the WeChat endpoints the platform serves. Simulator errors are { error: { code, message } }.",
    },
    components: {
      securitySchemes: {
        adminKey: { type: "apiKey", in: "header", name: "x-mpstack-admin-key" },
        bearer: { type: "http", scheme: "bearer" },
      },
    },
    paths,
  };
}

const SIM_ERROR_SCHEMA = {
  type: "object",
  properties: {
    error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } },
  },
};
