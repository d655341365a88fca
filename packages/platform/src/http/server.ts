/**
 * The one Fastify server for WeChat's three hosts (api / mp / open: their paths do not collide) and
 * the simulator API under /_mpstack: server options, the WeChat API scope (raw bodies, uploads),
 * the simulator scope, and the answers for what no route takes — in WeChat's shape on WeChat's
 * paths, in the simulator's shape under /_mpstack.
 */
import multipart from "@fastify/multipart";
import Fastify, { type FastifyError, type FastifyInstance, LogController } from "fastify";
import type { Clock } from "../clock.js";
import { type ApiRegistration, type ApiServices, mountApi } from "./api.js";
import { sendWechatError, toWechatError, WechatApiError } from "./errors.js";
import { newRid } from "./rid.js";
import {
  type AnySimRoute,
  mountSimulator,
  openApiDocument,
  SIMULATOR_PREFIX,
  SimulatorError,
  sendSimError,
} from "./simulator.js";
import type { SimulatorAccess } from "./simulator-guard.js";

export interface ServerOptions {
  clock: Clock;
  /** Fastify logging (never logs requests or secrets). Default off. */
  logger?: boolean | { level?: string };
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
            redact: ["req.headers.authorization", 'req.headers["x-mpstack-admin-key"]', "req.query"],
          },
    // No request logging: query strings carry access tokens and secrets.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    rewriteUrl: (req) => normalizeUrl(req.url ?? "/"),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    requestIdHeader: false,
    // Malformed URLs (bad percent-encoding) still get an answer in WeChat's shape.
    frameworkErrors: (_err, _req, reply) => {
      sendWechatError(reply, new WechatApiError(40066), newRid(clock.now()));
    },
    return503OnClosing: true,
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
    sendWechatError(reply, toWechatError(err, app.log, req.url), newRid(clock.now()));
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
      sendWechatError(reply, toWechatError(err, app.log, req.url), newRid(services.clock.now()));
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
