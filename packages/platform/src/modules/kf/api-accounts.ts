/**
 * Customer-service account endpoints (spec/customer-service.md §5): add, update, del,
 * uploadheadimg, inviteworker, getkflist, getonlinekflist. Every one answers 65400 while the
 * account's "new customer service" is off (policy), before its own checks.
 */
import { catalog, ErrorCode } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { getUser } from "../simulated-users/index.js";
import {
  addKf,
  deleteKf,
  inviteWorker,
  isKfAccountName,
  isNickname,
  kfList,
  kfListItem,
  requireKf,
  setHeadimg,
  updateKf,
} from "./accounts.js";
import { type KfPolicy, kfPolicies } from "./policy.js";
import type { KfSessions } from "./sessions.js";

const fail = (code: number): never => {
  throw new WechatApiError(code);
};

/** The account's kf policy, or 65400 when the feature is off. */
export async function enabledPolicy(ctx: ModuleContext, account: Account): Promise<KfPolicy> {
  const policy = await kfPolicies.of(ctx.db, account.appid);
  if (!policy.enabled) fail(ErrorCode.NewCustomServiceDisabled);
  return policy;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** JPEG files start with FF D8 FF. */
const isJpeg = (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
const HEADIMG_MAX_BYTES = 5 * 1024 * 1024;

export function implementKfAccountApi(ctx: ModuleContext, sessions: KfSessions): void {
  ctx.implement(
    catalog.kf.addAccount,
    async (body, { account }) => {
      const policy = await enabledPolicy(ctx, account);
      const kfAccount = str(body.kf_account);
      if (!isKfAccountName(kfAccount, policy)) fail(ErrorCode.IllegalCustomServiceAccount);
      const nickname = str(body.nickname);
      if (!isNickname(nickname)) fail(ErrorCode.IllegalNickname);
      return { policy, kfAccount, nickname };
    },
    async (call) => {
      const { policy, kfAccount, nickname } = call.input;
      await addKf(ctx, call.account.appid, kfAccount, nickname, policy);
      ctx.events.emit("kf.account", { appid: call.account.appid, kfAccount, action: "added" });
      return ok();
    },
  );

  ctx.implement(
    catalog.kf.updateAccount,
    async (body, { account }) => {
      await enabledPolicy(ctx, account);
      const kf = await requireKf(ctx.db, account.appid, body.kf_account);
      const nickname = str(body.nickname);
      if (!isNickname(nickname)) fail(ErrorCode.IllegalNickname);
      return { kf, nickname };
    },
    async (call) => {
      await updateKf(ctx.db, call.account.appid, call.input.kf.kf_account, { nickname: call.input.nickname });
      ctx.events.emit("kf.account", {
        appid: call.account.appid,
        kfAccount: call.input.kf.kf_account,
        action: "updated",
      });
      return ok();
    },
  );

  ctx.implement(
    catalog.kf.delAccount,
    async (q, { account }) => {
      await enabledPolicy(ctx, account);
      return { kf: await requireKf(ctx.db, account.appid, q.kf_account) };
    },
    async (call) => {
      const { kf } = call.input;
      // Its sessions close (kf_close_session each); users pinned to it wait for anyone (emulator decision).
      for (const s of await sessions.sessionsOf(kf.appid, kf.kf_account))
        await sessions.close(call.account, kf.kf_account, s.user_id);
      await ctx.db
        .updateTable("kf_waitcases")
        .set({ kf_account: "" })
        .where("appid", "=", kf.appid)
        .where("kf_account", "=", kf.kf_account)
        .execute();
      await deleteKf(ctx.db, kf.appid, kf.kf_account);
      ctx.events.emit("kf.account", { appid: kf.appid, kfAccount: kf.kf_account, action: "deleted" });
      return ok();
    },
  );

  ctx.implement(
    catalog.kf.uploadHeadImg,
    async (fields, { account }) => {
      await enabledPolicy(ctx, account);
      return { kf: await requireKf(ctx.db, account.appid, fields.kf_account) };
    },
    async (call) => {
      const file = call.files.find((f) => f.field === "media") ?? fail(ErrorCode.MediaDataMissing);
      if (file.data.length === 0) fail(ErrorCode.MediaDataMissing);
      if (!isJpeg(file.data)) fail(ErrorCode.InvalidFileType);
      await setHeadimg(ctx, call.input.kf, file.data);
      return ok();
    },
    { maxFileBytes: HEADIMG_MAX_BYTES },
  );

  ctx.implement(
    catalog.kf.inviteWorker,
    async (body, { account }) => {
      const policy = await enabledPolicy(ctx, account);
      const kf = await requireKf(ctx.db, account.appid, body.kf_account);
      return { policy, kf, wx: str(body.invite_wx) };
    },
    async (call) => {
      const { policy, kf, wx } = call.input;
      const exists = wx !== "" && (await getUser(ctx.db, wx)) !== undefined;
      await inviteWorker(ctx, kf, wx, exists, policy);
      ctx.events.emit("kf.account", { appid: kf.appid, kfAccount: kf.kf_account, action: "invited" });
      return ok();
    },
  );

  ctx.implement(catalog.kf.getKfList, async (call) => {
    await enabledPolicy(ctx, call.account);
    const now = ctx.clock.now();
    return {
      kf_list: (await kfList(ctx.db, call.account.appid)).map((k) => kfListItem(k, now, ctx.runtime.url)),
    };
  });

  ctx.implement(catalog.kf.getOnlineKfList, async (call) => {
    await enabledPolicy(ctx, call.account);
    await sessions.expire(call.account.appid);
    const load = new Map<string, number>();
    for (const s of await sessions.sessionsOf(call.account.appid))
      load.set(s.kf_account, (load.get(s.kf_account) ?? 0) + 1);
    return {
      kf_online_list: (await kfList(ctx.db, call.account.appid))
        .filter((k) => k.worker && k.online === 1)
        .map((k) => ({
          kf_account: k.kf_account,
          status: 1,
          kf_id: k.kf_id,
          auto_accept: k.auto_accept,
          accepted_case: load.get(k.kf_account) ?? 0,
        })),
    };
  });
}
