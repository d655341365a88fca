/**
 * Session endpoints and chat records (spec/customer-service.md §6–§7): kfsession create, close,
 * getsession, getsessionlist, getwaitcase, and msgrecord/getmsglist (24-hour windows, msgid cursor).
 */
import { catalog, ErrorCode } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { findByOpenid } from "../simulated-users/index.js";
import { requireKf } from "./accounts.js";
import { enabledPolicy } from "./api-accounts.js";
import { recordsPage } from "./records.js";
import type { KfSessions } from "./sessions.js";

const fail = (code: number): never => {
  throw new WechatApiError(code);
};

/** The user an OpenID names in this account (40003 otherwise). */
async function userOf(ctx: ModuleContext, account: Account, openid: unknown) {
  if (typeof openid !== "string" || openid === "") return fail(ErrorCode.InvalidOpenId);
  const f = (await findByOpenid(ctx.db, account.appid, openid)) ?? fail(ErrorCode.InvalidOpenId);
  return { userId: f.user_id, openid: f.openid };
}

/** At most this many waiting users are listed (§6.5); `count` is the total. */
const WAITCASE_LIST_MAX = 100;
const DAY_SECONDS = 86_400;
const RECORDS_MAX = 10_000;

/** An integer field of getmsglist; anything else → 65416. */
function intField(v: unknown): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d{1,15}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : fail(ErrorCode.KfParamInvalid);
}

export function implementKfSessionApi(ctx: ModuleContext, sessions: KfSessions): void {
  ctx.implement(
    catalog.kf.createSession,
    async (body, { account }) => {
      await enabledPolicy(ctx, account);
      const kf = await requireKf(ctx.db, account.appid, body.kf_account);
      return { kf, user: await userOf(ctx, account, body.openid) };
    },
    async (call) => {
      await sessions.expire(call.account.appid);
      await sessions.create(call.account, call.input.kf, call.input.user);
      return ok();
    },
  );

  ctx.implement(
    catalog.kf.closeSession,
    async (body, { account }) => {
      await enabledPolicy(ctx, account);
      const kf = await requireKf(ctx.db, account.appid, body.kf_account);
      if (!kf.worker) fail(ErrorCode.CustomServiceAccountUnbound);
      return { kf, user: await userOf(ctx, account, body.openid) };
    },
    async (call) => {
      await sessions.expire(call.account.appid);
      await sessions.close(call.account, call.input.kf.kf_account, call.input.user.userId);
      return ok();
    },
  );

  ctx.implement(
    catalog.kf.getSession,
    async (q, { account }) => {
      await enabledPolicy(ctx, account);
      return { user: await userOf(ctx, account, q.openid) };
    },
    async (call) => {
      await sessions.expire(call.account.appid);
      const s = await sessions.sessionOf(call.account.appid, call.input.user.userId);
      return { createtime: s ? Math.floor(s.created_at / 1000) : 0, kf_account: s?.kf_account ?? "" };
    },
  );

  ctx.implement(
    catalog.kf.getSessionList,
    async (q, { account }) => {
      await enabledPolicy(ctx, account);
      return { kf: await requireKf(ctx.db, account.appid, q.kf_account) };
    },
    async (call) => {
      await sessions.expire(call.account.appid);
      const list = await sessions.sessionsOf(call.account.appid, call.input.kf.kf_account);
      return {
        sessionlist: list.map((s) => ({ createtime: Math.floor(s.created_at / 1000), openid: s.openid })),
      };
    },
  );

  ctx.implement(catalog.kf.getWaitCase, async (call) => {
    await enabledPolicy(ctx, call.account);
    const all = await sessions.waitcases(call.account.appid);
    return {
      count: all.length,
      waitcaselist: all.slice(0, WAITCASE_LIST_MAX).map((w) => ({
        latest_time: Math.floor(w.latest_time / 1000),
        openid: w.openid,
        ...(w.kf_account ? { kf_account: w.kf_account } : {}),
      })),
    };
  });

  ctx.implement(
    catalog.kf.getMsgList,
    async (body, { account }) => {
      await enabledPolicy(ctx, account);
      const start = intField(body.starttime);
      const end = intField(body.endtime);
      const msgid = intField(body.msgid);
      const number = intField(body.number);
      if (start > end) fail(ErrorCode.DateRangeError);
      if (end - start > DAY_SECONDS) fail(ErrorCode.KfTimeRangeTooLong);
      if (msgid < 1 || number < 1 || number > RECORDS_MAX || start < 0) fail(ErrorCode.KfParamInvalid);
      return { start, end, msgid, number };
    },
    async (call) => recordsPage(ctx.db, call.account.appid, call.input),
  );
}
