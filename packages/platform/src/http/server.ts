/**
 * The one Fastify server for WeChat's three hosts (api / mp / open: their paths do not collide) and
 * the simulator API under /_mpstack: server options, the WeChat API scope (raw bodies, uploads),
 * the simulator scope, and the answers for what no route takes — in WeChat's shape on WeChat's
 * paths, in the simulator's shape under /_mpstack.
 */
import multipart from "@fastify/multipart";
import { newRid } from "@mpstack/protocol";
import Fastify, { type FastifyError, type FastifyInstance, LogController } from "fastify";
import type { Clock } from "../clock.js";
import { type ApiRegistration, type ApiServices, mountApi } from "./api.js";
import { sendWechatError, toWechatError, WechatApiError } from "./errors.js";
import { clientErrorHandler, drainUnreadBody } from "./framing.js";
import { redactLogLine } from "./redact.js";
import {
  type AnySimRoute,
  mountSimulator,
  openApiDocument,
  SIMULATOR_PREFIX,
  SimulatorError,
  sendSimError,
} from "./simulator.js";
import type { SimulatorAccess } from "./simulator-guard.js";

/** Where log lines go (default: stdout). */
export interface LogStream {
  write(line: string): void;
}

export interface ServerOptions {
  clock: Clock;
  /** Fastify logging (never logs requests or secrets). Default off. */
  logger?: boolean | { level?: string; stream?: LogStream };
  /** Largest accepted request body (JSON) in bytes. */
  bodyLimit: number;
}

function normalizeUrl(url: string): string {
  // `//cgi-bin/token` (some SDK configurations produce it) is served as `/cgi-bin/token`.
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes("//")) return url;
  return path.replace(/\/{2,}/g, "/") + (q === -1 ? "" : url.slice(q));
}

const pathOf = (url: string) => url.split("?")[0] ?? "";

const isSimulatorUrl = (url: string) =>
  url === SIMULATOR_PREFIX ||
  url.startsWith(`${SIMULATOR_PREFIX}/`) ||
  url.startsWith(`${SIMULATOR_PREFIX}?`);

export function createServer(options: ServerOptions): FastifyInstance {
  const { clock } = options;
  const logger = options.logger;
  const app = Fastify({
    logger:
      logger === undefined || logger === false
        ? false
        : {
            level: logger === true ? "info" : (logger.level ?? "info"),
            ...(logger !== true && logger.stream ? { stream: logger.stream } : {}),
            redact: ["req.headers.authorization", 'req.headers["x-mpstack-admin-key"]', "req.query"],
            // A request is logged by method and path only: query strings carry tokens and secrets.
            serializers: {
              req: (req: { method: string; url: string }) => ({ method: req.method, path: pathOf(req.url) }),
            },
            // The last step of every line, whoever logs it: values of secret keys are masked.
            hooks: { streamWrite: redactLogLine },
          },
    // No request logging: query strings carry access tokens and secrets.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    rewriteUrl: (req) => normalizeUrl(req.url ?? "/"),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    requestIdHeader: false,
    // Malformed URLs (bad percent-encoding) still get an answer in WeChat's shape.
    frameworkErrors: (_err, req, reply) => {
      if (isSimulatorUrl(req.url))
        return sendSimError(reply, new SimulatorError(400, "invalid_request", "malformed URL"));
      sendWechatError(reply, new WechatApiError(40066), newRid(clock.now()));
    },
    // Oversized URLs/headers and broken framing: answered in WeChat's (or the simulator's) shape.
    clientErrorHandler: clientErrorHandler(clock),
    return503OnClosing: true,
  });
  // An answer sent before the body was read (over the limit): drain the rest, do not reset.
  app.addHook("onSend", (req, reply, payload, done) => {
    drainUnreadBody(req, reply);
    done(null, payload);
  });

  app.setNotFoundHandler((req, reply) => {
    if (isSimulatorUrl(req.url)) {
      return sendSimError(
        reply,
        new SimulatorError(404, "not_found", `${req.method} ${req.url.split("?")[0]} not found`),
      );
    }
    sendWechatError(reply, new WechatApiError(40066), newRid(clock.now()));
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isSimulatorUrl(req.url)) {
      const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
      return sendSimError(reply, new SimulatorError(status, "invalid_request", err.message));
    }
    sendWechatError(reply, toWechatError(err, app.log, pathOf(req.url)), newRid(clock.now()));
  });
  return app;
}

/** The WeChat API scope: raw bodies (the pipeline parses them into WeChat errors) and multipart uploads. */
export async function mountWechatApi(
  app: FastifyInstance,
  registrations: ApiRegistration[],
  services: ApiServices,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    await scope.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 4, fields: 20 } });
    scope.setErrorHandler((err: FastifyError, req, reply) => {
      sendWechatError(reply, toWechatError(err, app.log, pathOf(req.url)), newRid(services.clock.now()));
    });
    mountApi(scope, registrations, services);
  });
}

/** The simulator scope under /_mpstack, with its OpenAPI document. */
export async function mountSimulatorApi(
  app: FastifyInstance,
  routes: AnySimRoute[],
  registrations: ApiRegistration[],
  access: SimulatorAccess,
): Promise<void> {
  await app.register(
    async (scope) => {
      mountSimulator(scope, routes, access);
      scope.get("/openapi.json", async () => openApiDocument(routes, registrations));
    },
    { prefix: SIMULATOR_PREFIX },
  );
}
