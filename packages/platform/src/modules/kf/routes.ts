/**
 * The simulated workers (spec/customer-service.md §5.7, §6): answering an invitation, going online
 * or offline (with auto-accept), picking up a waiting user, writing in a session (the user sees the
 * message with the worker's account named; record 2002), closing and transferring sessions; the
 * account's customer-service state for the console; avatars; the kf policies.
 */
import { Type } from "@sinclair/typebox";
import { addPolicyRoutes } from "../../http/policy-routes.js";
import { conflict, notFound } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { recordMessage } from "../conversations/index.js";
import { findByOpenid } from "../simulated-users/index.js";
import { headimgOf, headimgUrl, inviteStatus, kfList, kfListItem, kfOf, updateKf } from "./accounts.js";
import { kfPolicies } from "./policy.js";
import { appendRecord, KF_SENT } from "./records.js";
import type { KfSessions } from "./sessions.js";

const KfParams = Type.Object({ appid: Type.String(), kfAccount: Type.String() });
const OpenidBody = Type.Object({ openid: Type.String() });

export function addKfRoutes(ctx: ModuleContext, sessions: KfSessions): void {
  const sim = ctx.simulator;
  const kfOr404 = async (appid: string, kfAccount: string) => {
    const account = await requireAccount(ctx.db, appid);
    await sessions.expire(account.appid);
    const kf = await kfOf(ctx.db, account.appid, kfAccount);
    if (!kf) throw notFound(`customer-service account ${kfAccount}`);
    return { account, kf };
  };
  const followerOr404 = async (appid: string, openid: string) => {
    const f = await findByOpenid(ctx.db, appid, openid);
    if (!f) throw notFound(`openid ${openid} of ${appid}`);
    return { userId: f.user_id, openid: f.openid };
  };

  sim.route({
    method: "GET",
    url: "/kf/:appid",
    tag: "kf",
    summary:
      "The account's customer-service accounts (worker, invitation, online, sessions), sessions and waiting users.",
    params: Type.Object({ appid: Type.String() }),
    handler: async ({ params }) => {
      const a = await requireAccount(ctx.db, params.appid);
      await sessions.expire(a.appid);
      const now = ctx.clock.now();
      const all = await sessions.sessionsOf(a.appid);
      return {
        appid: a.appid,
        accounts: (await kfList(ctx.db, a.appid)).map((k) => ({
          ...kfListItem(k, now, ctx.runtime.url),
          worker: k.worker,
          inviteStatus: inviteStatus(k, now),
          online: k.online === 1,
          autoAccept: k.auto_accept === 1,
          sessions: all.filter((s) => s.kf_account === k.kf_account).length,
        })),
        sessions: all.map((s) => ({
          user: s.user_id,
          openid: s.openid,
          kfAccount: s.kf_account,
          createdAt: s.created_at,
          lastActivity: s.last_activity,
        })),
        waiting: (await sessions.waitcases(a.appid)).map((w) => ({
          user: w.user_id,
          openid: w.openid,
          kfAccount: w.kf_account || null,
          latestTime: w.latest_time,
        })),
      };
    },
  });
  sim.route({
    method: "POST",
    url: "/kf/:appid/:kfAccount/invitation",
    tag: "kf",
    summary:
      "The invited worker accepts (binds to the customer-service account) or rejects a waiting invitation.",
    params: KfParams,
    body: Type.Object({ decision: Type.Union([Type.Literal("accept"), Type.Literal("reject")]) }),
    handler: async ({ params, body }) => {
      const { account, kf } = await kfOr404(params.appid, params.kfAccount);
      if (inviteStatus(kf, ctx.clock.now()) !== "waiting" || !kf.invite_wx)
        throw conflict(`no waiting invitation on ${kf.kf_account}`);
      if (body.decision === "accept")
        await updateKf(ctx.db, account.appid, kf.kf_account, {
          worker: kf.invite_wx,
          invite_wx: null,
          invite_status: null,
          invite_expire_at: null,
        });
      else await updateKf(ctx.db, account.appid, kf.kf_account, { invite_status: "rejected" });
      ctx.events.emit("kf.account", {
        appid: account.appid,
        kfAccount: kf.kf_account,
        action: body.decision === "accept" ? "bound" : "rejected",
      });
      return { kfAccount: kf.kf_account, worker: body.decision === "accept" ? kf.invite_wx : null };
    },
  });
  sim.route({
    method: "PUT",
    url: "/kf/:appid/:kfAccount/status",
    tag: "kf",
    summary:
      "The worker goes online or offline on the web tool; with autoAccept, waiting users come to them.",
    params: KfParams,
    body: Type.Object({ online: Type.Boolean(), autoAccept: Type.Optional(Type.Boolean()) }),
    handler: async ({ params, body }) => {
      const { account, kf } = await kfOr404(params.appid, params.kfAccount);
      if (!kf.worker) throw conflict(`${kf.kf_account} has no worker bound`);
      await updateKf(ctx.db, account.appid, kf.kf_account, {
        online: body.online ? 1 : 0,
        ...(body.autoAccept === undefined ? {} : { auto_accept: body.autoAccept ? 1 : 0 }),
      });
      ctx.events.emit("kf.account", {
        appid: account.appid,
        kfAccount: kf.kf_account,
        action: body.online ? "online" : "offline",
      });
      if (body.online) await sessions.autoAssign(account);
      return {
        kfAccount: kf.kf_account,
        online: body.online,
        sessions: (await sessions.sessionsOf(account.appid, kf.kf_account)).length,
      };
    },
  });
  sim.route({
    method: "POST",
    url: "/kf/:appid/:kfAccount/accept",
    tag: "kf",
    summary:
      "The worker picks up a waiting user (the given openid, else the one waiting longest): kf_create_session.",
    params: KfParams,
    body: Type.Object({ openid: Type.Optional(Type.String()) }),
    handler: async ({ params, body }) => {
      const { account, kf } = await kfOr404(params.appid, params.kfAccount);
      const eligible = (await sessions.waitcases(account.appid)).filter(
        (w) =>
          (w.kf_account === "" || w.kf_account === kf.kf_account) &&
          (!body.openid || w.openid === body.openid),
      );
      const w = eligible[0];
      if (!w)
        throw conflict(
          body.openid ? `${body.openid} is not waiting for ${kf.kf_account}` : "nobody is waiting",
        );
      if (!kf.worker || kf.online !== 1) throw conflict(`${kf.kf_account} is not online`);
      await sessions.create(account, kf, { userId: w.user_id, openid: w.openid });
      return { kfAccount: kf.kf_account, openid: w.openid, user: w.user_id };
    },
  });
  sim.route({
    method: "POST",
    url: "/kf/:appid/:kfAccount/messages",
    tag: "kf",
    summary:
      "The worker writes to a user in their session: the user sees it with the worker's account named (record 2002).",
    params: KfParams,
    body: Type.Object({ openid: Type.String(), text: Type.String({ minLength: 1, maxLength: 4096 }) }),
    handler: async ({ params, body }) => {
      const { account, kf } = await kfOr404(params.appid, params.kfAccount);
      const user = await followerOr404(account.appid, body.openid);
      const s = await sessions.sessionOf(account.appid, user.userId);
      if (s?.kf_account !== kf.kf_account)
        throw conflict(`${body.openid} is not in a session with ${kf.kf_account}`);
      const saved = await recordMessage(ctx, {
        appid: account.appid,
        userId: user.userId,
        openid: user.openid,
        direction: "out",
        kind: "customer_service",
        msgType: "text",
        payload: {
          msgtype: "text",
          text: { content: body.text },
          customservice: { kf_account: kf.kf_account },
          worker: {
            kf_account: kf.kf_account,
            nickname: kf.nickname,
            headimgurl: headimgUrl(ctx.runtime.url, kf),
          },
        },
      });
      await appendRecord(ctx.db, account.appid, {
        openid: user.openid,
        worker: kf.kf_account,
        opercode: KF_SENT,
        text: body.text,
        time: ctx.clock.nowSeconds(),
      });
      await sessions.touch(account.appid, user.userId);
      ctx.events.emit("kf.message", {
        appid: account.appid,
        userId: user.userId,
        kfAccount: kf.kf_account,
        direction: "out",
        text: body.text,
      });
      return { id: saved.id };
    },
  });
  sim.route({
    method: "POST",
    url: "/kf/:appid/:kfAccount/close",
    tag: "kf",
    summary: "The worker closes the session with a user: kf_close_session.",
    params: KfParams,
    body: OpenidBody,
    handler: async ({ params, body }) => {
      const { account, kf } = await kfOr404(params.appid, params.kfAccount);
      const user = await followerOr404(account.appid, body.openid);
      const s = await sessions.sessionOf(account.appid, user.userId);
      if (s?.kf_account !== kf.kf_account)
        throw conflict(`${body.openid} is not in a session with ${kf.kf_account}`);
      await sessions.close(account, kf.kf_account, user.userId);
      return { closed: true };
    },
  });
  sim.route({
    method: "POST",
    url: "/kf/:appid/:kfAccount/transfer",
    tag: "kf",
    summary: "The worker hands a session to another online customer-service account: kf_switch_session.",
    params: KfParams,
    body: Type.Object({ openid: Type.String(), to: Type.String() }),
    handler: async ({ params, body }) => {
      const { account, kf } = await kfOr404(params.appid, params.kfAccount);
      const user = await followerOr404(account.appid, body.openid);
      const s = await sessions.sessionOf(account.appid, user.userId);
      if (!s || s.kf_account !== kf.kf_account)
        throw conflict(`${body.openid} is not in a session with ${kf.kf_account}`);
      const to = await kfOf(ctx.db, account.appid, body.to);
      if (!to) throw notFound(`customer-service account ${body.to}`);
      if (!to.worker || to.online !== 1) throw conflict(`${to.kf_account} is not online`);
      await sessions.switchTo(account, s, to);
      return { from: kf.kf_account, to: to.kf_account };
    },
  });
  // Avatars are fetched by browsers and clients: outside the simulator's guard, like WeChat's CDN.
  ctx.app.get<{ Params: { appid: string; kfId: string } }>(
    "/_mpstack/kf-headimg/:appid/:kfId",
    async (req, reply) => {
      const jpeg = await headimgOf(ctx.db, req.params.appid, req.params.kfId);
      if (!jpeg) return reply.code(404).send({ error: { code: "not_found", message: "no avatar" } });
      return reply.type("image/jpeg").send(jpeg);
    },
  );
  addPolicyRoutes(sim, ctx, {
    url: "/kf-policy",
    tag: "kf",
    what: "Multi-customer-service",
    policies: kfPolicies,
    requireAccount,
    fields: {
      enabled: Type.Boolean(),
      maxAccounts: Type.Integer({ minimum: 0, maximum: 10_000 }),
      wechatId: Type.String({ pattern: "^[A-Za-z0-9_-]{1,30}$" }),
      inviteSeconds: Type.Integer({ minimum: 1 }),
      workerBindLimit: Type.Integer({ minimum: 1 }),
      sessionTimeoutMinutes: Type.Integer({ minimum: 1 }),
      autoAcceptLimit: Type.Integer({ minimum: 1 }),
    },
  });
}
