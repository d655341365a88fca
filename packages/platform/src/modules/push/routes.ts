/** The push module's simulator routes: server settings, user actions, the outbox, push policies. */
import type { InboundHeader, InboundPayload } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import type { Account, ServerSettings } from "../../account.js";
import { addPolicyRoutes } from "../../http/policy-routes.js";
import { badRequest, checkedInput, conflict, notFound, SimulatorError } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import {
  accountConfigShape,
  readAccount,
  requireAccount,
  type ServerCheckRefusal,
  updateAccount,
} from "../accounts/index.js";
import { type FollowOptions, follow, getFollow, requireUser, unfollow } from "../simulated-users/index.js";
import { MessageBody, type MessageInput, ordinaryMessage, rawMessage } from "./build.js";
import type { PushEngine, PushResult } from "./engine.js";
import { type HandshakeReport, handshake } from "./handshake.js";
import { listPushes, loadPush } from "./outbox.js";
import { pushPolicies, pushPolicyFor } from "./policy.js";
import type { UserEventRegistry } from "./registry.js";
import { addUserMediaRoutes } from "./user-media.js";

export interface FollowPushes {
  /** The subscribe/unsubscribe push started by the last follow change of (appid, user). */
  take(appid: string, userId: string): Promise<PushResult> | undefined;
}

export function resultView(r: PushResult) {
  return {
    pushId: r.pushId,
    status: r.status,
    reply: r.reply ?? null,
    notice: r.notice ?? null,
    attempts: r.attempts,
  };
}

/** The push header for a follower; 403 when the user does not follow (the client would not let them write). */
async function followerHeader(ctx: ModuleContext, account: Account, userId: string): Promise<InboundHeader> {
  const f = await getFollow(ctx.db, account.appid, userId);
  if (f?.subscribed !== 1) {
    await requireUser(ctx.db, userId);
    throw new SimulatorError(403, "not_following", `user ${userId} does not follow ${account.appid}`);
  }

  return { ToUserName: account.originalId, FromUserName: f.openid, CreateTime: ctx.clock.nowSeconds() };
}

/** The account's settings in config-file shape with new server settings, validated like the config. */
function validatedServer(a: Account, server: Partial<ServerSettings>): ServerSettings {
  const merged = { ...accountConfigShape(a), server: { ...a.server, ...server } };
  return checkedInput(() => readAccount(merged, "account", null)).server;
}

async function saveCheck(ctx: ModuleContext, appid: string, kind: string, r: HandshakeReport): Promise<void> {
  const row = {
    url: r.url,
    kind,
    ok: r.ok ? 1 : 0,
    result: r.result,
    reason: r.reason,
    status: r.status,
    latency_ms: r.latencyMs,
    checked_at: ctx.clock.now(),
  };
  await ctx.db
    .insertInto("server_checks")
    .values({ appid, ...row })
    .onConflict((oc) => oc.column("appid").doUpdateSet(row))
    .execute();
}

const ServerBody = Type.Object({
  url: Type.Optional(Type.String({ description: "http:// or https:// URL; empty turns pushing off" })),
  token: Type.Optional(Type.String()),
  encodingAESKey: Type.Optional(Type.String()),
  mode: Type.Optional(Type.Union([Type.Literal("plain"), Type.Literal("compatible"), Type.Literal("safe")])),
});
const AppidParams = Type.Object({ appid: Type.String() });
const UserParams = Type.Object({ user: Type.String() });

export function addPushRoutes(
  ctx: ModuleContext<"accounts">,
  engine: PushEngine,
  followPushes: FollowPushes,
  userEvents: UserEventRegistry,
): void {
  /** The handshake new settings must pass; refused settings get a 422 naming the reason. */
  const checkNewServer = async (
    a: Account,
    server: ServerSettings,
  ): Promise<{ report: HandshakeReport; refusal: ServerCheckRefusal | null }> => {
    const policy = await pushPolicyFor(ctx.db, a.appid);
    const report = await handshake(engine.agents, ctx.clock, {
      url: server.url,
      token: server.token,
      timeoutMs: policy.handshakeTimeoutMs,
    });
    await saveCheck(ctx, a.appid, "save", report);
    if (report.ok) return { report, refusal: null };
    const body = {
      error: { code: "handshake_failed", message: `server settings refused: ${report.reason}` },
      handshake: report,
    };
    return { report, refusal: { status: 422, body } };
  };
  // PATCH /accounts/{appid} goes through the same check.
  ctx.services.accounts.setServerCheck(async (a, server) => (await checkNewServer(a, server)).refusal);

  const sim = ctx.simulator;

  // ---- server settings -----------------------------------------------------------------------------
  sim.route({
    method: "GET",
    url: "/accounts/:appid/server",
    tag: "push",
    summary: "The account's server settings and the last handshake made against them.",
    params: AppidParams,
    handler: async ({ params }) => {
      const a = await requireAccount(ctx.db, params.appid);
      const check = await ctx.db
        .selectFrom("server_checks")
        .selectAll()
        .where("appid", "=", a.appid)
        .executeTakeFirst();
      return {
        server: a.server,
        lastCheck: check
          ? {
              url: check.url,
              kind: check.kind,
              ok: check.ok === 1,
              result: check.result,
              reason: check.reason,
              status: check.status,
              latencyMs: check.latency_ms,
              checkedAt: check.checked_at,
            }
          : null,
      };
    },
  });
  sim.route({
    method: "PUT",
    url: "/accounts/:appid/server",
    tag: "push",
    summary:
      "Save server settings (URL, Token, EncodingAESKey, mode) as WeChat does: the GET handshake must echo within 5 s, else 422 and nothing changes. (PATCH /accounts/{appid} checks them the same way unless ?handshake=false.)",
    params: AppidParams,
    body: ServerBody,
    handler: async ({ params, body }, reply) => {
      const a = await requireAccount(ctx.db, params.appid);
      const server = validatedServer(a, body);
      if (server.url === "") {
        const saved = await updateAccount(ctx, a.appid, { server });
        return { ok: true, server: saved?.server ?? server, handshake: null };
      }
      const { report, refusal } = await checkNewServer(a, server);
      if (refusal) return reply.code(refusal.status).send(refusal.body);
      const saved = await updateAccount(ctx, a.appid, { server });
      return { ok: true, server: saved?.server ?? server, handshake: report };
    },
  });
  sim.route({
    method: "POST",
    url: "/accounts/:appid/server/verify",
    tag: "push",
    summary:
      "Re-run the handshake against the saved settings (422 when it fails). { wrongSignature: true } sends a wrong signature and passes only if the server refuses it.",
    params: AppidParams,
    body: Type.Optional(Type.Object({ wrongSignature: Type.Optional(Type.Boolean()) })),
    handler: async ({ params, body }, reply) => {
      const a = await requireAccount(ctx.db, params.appid);
      if (a.server.url === "") throw conflict(`account ${a.appid} has no server URL`);
      const policy = await pushPolicyFor(ctx.db, a.appid);
      const wrongSignature = body?.wrongSignature === true;
      const report = await handshake(engine.agents, ctx.clock, {
        url: a.server.url,
        token: a.server.token,
        timeoutMs: policy.handshakeTimeoutMs,
        wrongSignature,
      });
      await saveCheck(ctx, a.appid, wrongSignature ? "negative" : "verify", report);
      if (!report.ok) {
        return reply.code(422).send({
          error: { code: "handshake_failed", message: report.reason },
          handshake: report,
        });
      }
      return { ok: true, handshake: report };
    },
  });

  // ---- user actions --------------------------------------------------------------------------------
  addUserMediaRoutes(ctx);
  sim.route({
    method: "POST",
    url: "/users/:user/messages",
    tag: "push",
    summary:
      "The user sends a message (text, image, voice, video, shortvideo, location, link) to an account they follow; waits for the push and answers { pushId, status, reply, notice, attempts }.",
    params: UserParams,
    body: MessageBody,
    handler: async ({ params, body }) => {
      const account = await requireAccount(ctx.db, body.appid);
      const header = await followerHeader(ctx, account, params.user); // 404 for an unknown user
      const message = ordinaryMessage(
        body as MessageInput,
        header,
        (id) => `${ctx.runtime.url}/_mpstack/user-media/${encodeURIComponent(id)}`,
      );
      return resultView(await engine.push({ appid: account.appid, userId: params.user, message }));
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/events",
    tag: "push",
    summary:
      'A user action that pushes an event, by type: "subscribe" {scene?, qrScene?, qrSceneStr?, ticket?}, "unsubscribe", "raw" {event, fields, msgType?}, and the types other modules register (menu clicks, scans, location). Answers like /messages.',
    params: UserParams,
    body: Type.Object({ appid: Type.String(), type: Type.String() }, { additionalProperties: true }),
    handler: async ({ params, body }) => {
      const user = await requireUser(ctx.db, params.user);
      const account = await requireAccount(ctx.db, body.appid);
      const input = body as Record<string, unknown>;
      const registered = userEvents.handler(body.type);
      if (registered) return registered({ user, account, body: input });
      switch (body.type) {
        case "subscribe": {
          const opts: FollowOptions = {
            scene:
              optionalString(input, "scene") ??
              (input.qrScene || input.qrSceneStr ? "ADD_SCENE_QR_CODE" : "ADD_SCENE_OTHERS"),
          };
          const qrScene = input.qrScene;
          if (qrScene !== undefined) {
            if (typeof qrScene !== "number" || !Number.isInteger(qrScene) || qrScene < 0)
              throw badRequest("qrScene: must be a non-negative integer");
            opts.qrScene = qrScene;
          }
          const qrSceneStr = optionalString(input, "qrSceneStr");
          if (qrSceneStr !== undefined) opts.qrSceneStr = qrSceneStr;
          const ticket = optionalString(input, "ticket");
          if (ticket !== undefined) opts.ticket = ticket;
          const r = await follow(ctx, account, user.id, opts);
          if (!r.changed) throw conflict(`user ${user.id} already follows ${account.appid}`);
          return followResult(followPushes.take(account.appid, user.id));
        }
        case "unsubscribe": {
          const r = await unfollow(ctx, account, user.id);
          if (!r.changed) throw conflict(`user ${user.id} does not follow ${account.appid}`);
          return followResult(followPushes.take(account.appid, user.id));
        }
        case "raw": {
          const header = await followerHeader(ctx, account, user.id);
          const fields = input.fields;
          if (
            fields !== undefined &&
            (fields === null || typeof fields !== "object" || Array.isArray(fields))
          )
            throw badRequest("fields: must be an object");
          const message: InboundPayload = rawMessage(
            {
              ...(optionalString(input, "msgType") !== undefined
                ? { msgType: optionalString(input, "msgType") }
                : {}),
              ...(optionalString(input, "event") !== undefined
                ? { event: optionalString(input, "event") }
                : {}),
              ...(fields ? { fields: fields as Record<string, unknown> } : {}),
            },
            header,
          );
          return resultView(await engine.push({ appid: account.appid, userId: user.id, message }));
        }
        default:
          throw badRequest(
            `unknown event type "${body.type}" (known: ${["raw", "subscribe", "unsubscribe", ...userEvents.names()].sort().join(", ")})`,
          );
      }
    },
  });

  // ---- the outbox ----------------------------------------------------------------------------------
  sim.route({
    method: "GET",
    url: "/pushes",
    tag: "push",
    summary: "Pushes, newest first, with every attempt (request, response, status, latency, outcome).",
    query: Type.Object({
      appid: Type.Optional(Type.String()),
      user: Type.Optional(Type.String()),
      status: Type.Optional(Type.String()),
      before: Type.Optional(Type.String({ description: "a push id (paging)" })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    }),
    handler: async ({ query }) => ({ pushes: await listPushes(ctx.db, query) }),
  });
  sim.route({
    method: "GET",
    url: "/pushes/:id",
    tag: "push",
    summary: "One push and its attempts.",
    params: Type.Object({ id: Type.String() }),
    handler: async ({ params }) => {
      const p = await loadPush(ctx.db, params.id);
      if (!p) throw notFound(`push ${params.id}`);
      return p;
    },
  });

  sim.route({
    method: "POST",
    url: "/pushes/:id/resend",
    tag: "push",
    summary:
      "Deliver a push again as a new push (same XML, MsgId and CreateTime; fresh attempts); answers like /messages.",
    params: Type.Object({ id: Type.String() }),
    handler: async ({ params }) => {
      const r = await engine.resend(params.id);
      if (!r) throw notFound(`push ${params.id}`);
      return resultView(r);
    },
  });

  // ---- policies ------------------------------------------------------------------------------------
  addPolicyRoutes(sim, ctx, {
    url: "/push-policy",
    tag: "push",
    what: "Push policies (timeout, attempts, retry spacing, signature reuse, news limit)",
    policies: pushPolicies,
    requireAccount,
    fields: {
      timeoutMs: Type.Integer({ minimum: 1, maximum: 60_000 }),
      attempts: Type.Integer({ minimum: 1, maximum: 10 }),
      retryDelayMs: Type.Integer({ minimum: 0, maximum: 600_000 }),
      reuseSignature: Type.Boolean(),
      newsArticles: Type.Union([Type.Literal("current"), Type.Literal("8"), Type.Literal("10")]),
      handshakeTimeoutMs: Type.Integer({ minimum: 1, maximum: 60_000 }),
    },
  });
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw badRequest(`${key}: must be a string`);
  return v;
}

async function followResult(p: Promise<PushResult> | undefined) {
  if (!p) return { pushId: null, status: "no_server", reply: null, notice: null, attempts: [] };
  return resultView(await p);
}
