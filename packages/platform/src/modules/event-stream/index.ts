/**
 * The live event stream: `GET /_mpstack/events` (Server-Sent Events) forwards every platform event
 * — whatever module declared it — to the console: conversation messages, pushes and their attempts,
 * API calls with their errcode, follows, clock moves, job progress. Resumable with Last-Event-ID
 * (header, or `?lastEventId=` for clients that cannot set it), filterable with `?types=a.b,c.*`,
 * bounded in memory (see hub.ts).
 *
 * Nothing is serialized while no browser listens: the hub subscribes to the platform's events when
 * the first browser connects and keeps buffering for `IDLE_KEEP_MS` after the last one left (so a
 * reload resumes), then stops — the API's hot path pays nothing when no console is open.
 */
import { Type } from "@sinclair/typebox";
import { SimulatorError } from "../../http/simulator.js";
import { defineModule } from "../../module.js";
import { EventHub, type HubLimits, typeFilter } from "./hub.js";

const IDLE_KEEP_MS = 60_000;
const HEARTBEAT_MS = 15_000;

export interface EventStreamServices {
  /** Connected browsers (for tests and the health view). */
  clients(): number;
}

declare module "../../module.js" {
  interface ModuleServices {
    "event-stream": EventStreamServices;
  }
}

/** The module with other limits (tests use small rings). */
export function eventStreamModuleWith(limits: Partial<HubLimits> = {}) {
  return defineModule({
    name: "event-stream",
    setup(ctx): EventStreamServices {
      const hub = new EventHub(limits);
      let unsubscribe: (() => void) | null = null;
      let idleTimer: NodeJS.Timeout | undefined;
      const heartbeat = setInterval(() => hub.heartbeat(), HEARTBEAT_MS);
      heartbeat.unref();
      const listen = () => {
        if (idleTimer) clearTimeout(idleTimer);
        idleTimer = undefined;
        unsubscribe ??= ctx.events.onAny((name, payload) => hub.publish(name, payload));
      };
      const maybeStop = () => {
        if (hub.clientCount > 0 || idleTimer) return;
        idleTimer = setTimeout(() => {
          idleTimer = undefined;
          if (hub.clientCount > 0) return;
          unsubscribe?.();
          unsubscribe = null;
          hub.clear();
        }, IDLE_KEEP_MS);
        idleTimer.unref();
      };
      ctx.onClose(() => {
        clearInterval(heartbeat);
        if (idleTimer) clearTimeout(idleTimer);
        unsubscribe?.();
        hub.closeAll();
      });

      ctx.simulator.route({
        method: "GET",
        url: "/events",
        tag: "platform",
        produces: "text/event-stream",
        summary:
          "Live event stream (text/event-stream): every platform event (conversation.message, push.*, api.call, user.*, clock.moved, world.replaced, jobs…). Resume with Last-Event-ID; ?types=push.*,api.call filters.",
        query: Type.Object({
          types: Type.Optional(Type.String({ maxLength: 1000 })),
          lastEventId: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        handler: ({ query, raw }, reply) => {
          if (!hub.hasRoom()) throw new SimulatorError(503, "busy", "too many event-stream connections");
          listen();
          const header = raw.headers["last-event-id"];
          const lastEventId = (typeof header === "string" ? header : undefined) ?? query.lastEventId;
          reply.hijack();
          const res = reply.raw;
          res.writeHead(200, {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-cache, no-transform",
            "x-accel-buffering": "no",
            connection: "keep-alive",
          });
          res.socket?.setNoDelay(true);
          hub.attach(res, lastEventId, typeFilter(query.types));
          res.once("close", maybeStop);
        },
      });
      return { clients: () => hub.clientCount };
    },
  });
}

export const eventStreamModule = eventStreamModuleWith();
export { EventHub, type HubLimits, typeFilter } from "./hub.js";
