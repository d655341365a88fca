/**
 * Push module: the platform → developer-server channel (spec/callback.md). Server settings with the
 * GET handshake, pushes of every message and event in the three modes with WeChat's timing, passive
 * replies into the conversation, a durable outbox, and the simulator routes for user actions.
 * Other modules push through its services: `ctx.services.push.send(…)`, and add user event types
 * with `ctx.services.push.registerUserEvent(…)`.
 */
import type { PlatformEventMap } from "../../events.js";
import { defineModule } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { PushEngine, type PushRequest, type PushResult } from "./engine.js";
import type { InboundRouter } from "./inbound-router.js";
import { pushMigrations } from "./migrations.js";
import { type UserEventHandler, UserEventRegistry } from "./registry.js";
import { addPushRoutes } from "./routes.js";

export interface PushServices {
  /** Record the user's message in the conversation, push it, interpret the answer (push-contract.md). */
  send(req: PushRequest): Promise<PushResult>;
  /** Add a type to `POST /_mpstack/users/{user}/events` (see registry.ts). */
  registerUserEvent(type: string, handler: UserEventHandler, summary?: string): void;
  /** Install the multi-customer-service hook (inbound-router.ts); once. */
  setInboundRouter(router: InboundRouter): void;
}

declare module "../../module.js" {
  interface ModuleServices {
    push: PushServices;
  }
}

type Followed = PlatformEventMap["user.followed"];

/** `qrscene_<scene>` for a follow from a parametric QR code (callback.md §5.2), else "". */
function subscribeKey(e: Followed): string {
  if (e.qrSceneStr) return `qrscene_${e.qrSceneStr}`;
  if (e.qrScene) return `qrscene_${e.qrScene}`;
  return "";
}

export const pushModule = defineModule({
  name: "push",
  requires: ["accounts", "simulated-users", "conversations", "followers"],
  migrations: pushMigrations,
  setup(ctx): PushServices {
    const engine = new PushEngine(ctx);
    const userEvents = new UserEventRegistry();
    ctx.onClose(() => engine.close());
    ctx.events.on("world.replaced", () => engine.worldReplaced());

    // subscribe / unsubscribe follow every follow change (config seeding is silent: no push).
    const followPushes = new Map<string, Promise<PushResult>>();
    const remember = (appid: string, userId: string, p: Promise<PushResult>) => {
      const key = `${appid}\n${userId}`;
      followPushes.set(key, p);
      const forget = () => {
        if (followPushes.get(key) === p) followPushes.delete(key);
      };
      p.then(forget, (err) => {
        forget();
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "follow push failed");
      });
    };
    ctx.events.on("user.followed", (e) => {
      const ticket = e.ticket;
      const p = (async () => {
        const account = await getAccount(ctx.db, e.appid);
        if (!account) throw new Error(`account ${e.appid} vanished`);
        const eventKey = subscribeKey(e);
        return engine.push({
          appid: e.appid,
          userId: e.userId,
          message: {
            kind: "event",
            MsgType: "event",
            Event: "subscribe",
            ToUserName: account.originalId,
            FromUserName: e.openid,
            CreateTime: Math.floor(e.time / 1000),
            EventKey: eventKey,
            ...(eventKey && ticket ? { Ticket: ticket } : {}),
          },
        });
      })();
      remember(e.appid, e.userId, p);
    });
    ctx.events.on("user.unfollowed", (e) => {
      const p = (async () => {
        const account = await getAccount(ctx.db, e.appid);
        if (!account) throw new Error(`account ${e.appid} vanished`);
        return engine.push({
          appid: e.appid,
          userId: e.userId,
          message: {
            kind: "event",
            MsgType: "event",
            Event: "unsubscribe",
            ToUserName: account.originalId,
            FromUserName: e.openid,
            CreateTime: Math.floor(e.time / 1000),
            EventKey: "",
          },
        });
      })();
      remember(e.appid, e.userId, p);
    });

    addPushRoutes(
      ctx,
      engine,
      {
        take(appid, userId) {
          const key = `${appid}\n${userId}`;
          const p = followPushes.get(key);
          followPushes.delete(key);
          return p;
        },
      },
      userEvents,
    );

    // Pushes a previous run left pending continue once the platform is up (a platform closed
    // meanwhile resumes them next time).
    ctx.background("push resume", () => engine.resume());
    return {
      send: (req) => engine.push(req),
      registerUserEvent: (type, handler, summary) => userEvents.register(type, handler, summary),
      setInboundRouter(router) {
        if (engine.router) throw new Error("an inbound router is already installed");
        engine.router = router;
      },
    };
  },
});

export { Agents, type Exchange, type ExchangeResult, exchange } from "./delivery.js";
export { type PushRequest, type PushResult, SERVICE_UNAVAILABLE_NOTICE } from "./engine.js";
export type { InboundRouter } from "./inbound-router.js";
export type { PushAttemptRecord, PushStatus, PushView } from "./outbox.js";
export { listPushes, loadPush } from "./outbox.js";
export { DEFAULT_PUSH_POLICY, type PushPolicy, pushPolicyFor } from "./policy.js";
export type { UserEventHandler, UserEventInput } from "./registry.js";
export { resultView } from "./routes.js";
export { type WindowOpener, type WindowScene, windowOpeners, windowSceneOf } from "./window-openers.js";
