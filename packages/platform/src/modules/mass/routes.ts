/**
 * Simulator routes of the mass module: an account's mass jobs with their progress, what a user
 * received from an account (every kind, rendered), and the mass policies.
 */
import { Type } from "@sinclair/typebox";
import { parseJsonColumn } from "../../db/schema.js";
import { addPolicyRoutes } from "../../http/policy-routes.js";
import { notFound } from "../../http/simulator.js";
import { getAccount, requireAccount } from "../accounts/index.js";
import { listConversation } from "../conversations/index.js";
import { getFollow, getUser } from "../simulated-users/index.js";
import type { MassContext } from "./context.js";
import { articleUrls } from "./finish.js";
import { findJob, listJobs } from "./jobs.js";
import { massPolicies } from "./policy.js";
import { Renderer } from "./render.js";
import type { MassJobTable } from "./tables.js";

/** A mass job as the simulator API shows it. */
export function jobView(j: MassJobTable, base: string) {
  const done = j.total;
  return {
    msgId: j.msg_id,
    msgDataId: j.msg_data_id,
    kind: j.kind,
    scope: j.scope,
    tagId: j.tag_id,
    isToAll: j.is_to_all === 1,
    msgtype: j.msgtype,
    message: parseJsonColumn<unknown>(j.message, null),
    status: j.status,
    result: j.result,
    expected: j.expected,
    totalCount: j.total,
    filterCount: j.total - j.skipped,
    sentCount: j.sent,
    errorCount: j.errors,
    /** Share of the expected recipients handled so far (1 once finished). */
    progress: j.status === "SENDING" ? (j.expected > 0 ? Math.min(1, done / j.expected) : 0) : 1,
    copyright: parseJsonColumn<unknown>(j.copyright, null),
    articleUrls: articleUrls(base, j),
    deletedArticles: parseJsonColumn<number[]>(j.deleted, []),
    createdAt: j.created_at,
    finishedAt: j.finished_at,
    finishPushed: j.finish_pushed === 1,
  };
}

export function addMassRoutes(ctx: MassContext): void {
  const base = () => ctx.services.materials.base();
  const account = async (appid: string) => {
    if (!(await getAccount(ctx.db, appid))) throw notFound(`account ${appid}`);
  };
  ctx.simulator.route({
    method: "GET",
    url: "/accounts/:appid/mass-jobs",
    tag: "mass",
    summary:
      "The account's mass jobs (sends and previews), newest first, with progress and counts (TotalCount, FilterCount, SentCount, ErrorCount).",
    params: Type.Object({ appid: Type.String() }),
    query: Type.Object({
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      before: Type.Optional(
        Type.String({ description: "created_at (ms) of the last job of the previous page" }),
      ),
    }),
    handler: async ({ params, query }) => {
      await account(params.appid);
      const rows = await listJobs(ctx.db, params.appid, { limit: query.limit ?? 100, before: query.before });
      return { jobs: rows.map((j) => jobView(j, base())) };
    },
  });
  ctx.simulator.route({
    method: "GET",
    url: "/accounts/:appid/mass-jobs/:msgId",
    tag: "mass",
    summary: "One mass job with its progress.",
    params: Type.Object({ appid: Type.String(), msgId: Type.String() }),
    handler: async ({ params }) => {
      const j = await findJob(ctx.db, params.appid, params.msgId);
      if (!j) throw notFound(`mass job ${params.msgId} of ${params.appid}`);
      return jobView(j, base());
    },
  });
  ctx.simulator.route({
    method: "GET",
    url: "/users/:user/received/:appid",
    tag: "mass",
    summary:
      "What the user received from the account (outgoing messages of every kind: passive, customer_service, mass, mass_preview, template, …), oldest first, each rendered as the phone shows it.",
    params: Type.Object({ user: Type.String(), appid: Type.String() }),
    query: Type.Object({
      after: Type.Optional(Type.String()),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      kind: Type.Optional(Type.String({ description: "only this kind" })),
    }),
    handler: async ({ params, query }) => {
      if (!(await getUser(ctx.db, params.user))) throw notFound(`user ${params.user}`);
      await account(params.appid);
      const all = await listConversation(ctx.db, params.appid, params.user, {
        ...(query.after ? { after: query.after } : {}),
        limit: query.limit ?? 100,
      });
      const renderer = new Renderer(ctx.db, base());
      const messages = [];
      for (const m of all) {
        if (m.direction !== "out" || (query.kind && m.kind !== query.kind)) continue;
        messages.push({
          id: m.id,
          kind: m.kind,
          msgType: m.msgType,
          createdAt: m.createdAt,
          rendered: await renderer.render(m),
          payload: m.payload,
        });
      }
      const f = await getFollow(ctx.db, params.appid, params.user);
      return {
        user: params.user,
        appid: params.appid,
        openid: f?.openid ?? null,
        messages,
        next: all.at(-1)?.id ?? null,
      };
    },
  });
  addPolicyRoutes(ctx.simulator, ctx, {
    url: "/mass-policy",
    tag: "mass",
    what: "Mass-send policies (frequency limits, who may send by OpenID list, delivery pace)",
    policies: massPolicies,
    requireAccount,
    fields: {
      subscriptionPerDay: Type.Integer({ minimum: 0 }),
      serviceToAllPerDay: Type.Integer({ minimum: 0 }),
      serviceToAllPerMonth: Type.Integer({ minimum: 0 }),
      serviceCallsPerDay: Type.Integer({ minimum: 0 }),
      serviceReceivesPerMonth: Type.Integer({ minimum: 1 }),
      callsPerMinute: Type.Integer({ minimum: 1 }),
      previewsByWxnamePerDay: Type.Integer({ minimum: 0 }),
      sendByOpenidAccounts: Type.Union([Type.Literal("verified_service"), Type.Literal("verified")]),
      digestKeyWithoutClientMsgId: Type.Boolean(),
      agreementAccepted: Type.Boolean(),
      pace: Type.Union([Type.Literal("instant"), Type.Literal("speed")]),
      chunkSize: Type.Integer({ minimum: 1, maximum: 100_000 }),
      chunkPauseMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
      liveMessagesUpTo: Type.Integer({ minimum: 0 }),
    },
  });
}
