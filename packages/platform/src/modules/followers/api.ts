/** Remark, user info, follower list and blacklist endpoints (users.md §5–8). */
import { catalog } from "@mpstack/protocol";
import { ok } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import {
  checkListSize,
  ForeignOpenid,
  openidPage,
  resolveOpenid,
  resolveOpenids,
} from "../follower-tags/index.js";
import {
  blacklistPage,
  followersPage,
  MAX_BLACKLIST_BATCH,
  MAX_INFO_BATCH,
  setBlacklisted,
  updateRemark,
  userInfos,
} from "./store.js";

const u = catalog.followers;

export function implementFollowersApi(ctx: ModuleContext): void {
  const { db } = ctx;

  ctx.implement(u.updateRemark, async ({ account, input, policies }) => {
    await updateRemark(ctx, account.appid, input.openid, input.remark, policies.remarkMaxBytes);
    return ok();
  });
  // `lang` chose the language of the region fields, which WeChat no longer returns.
  ctx.implement(u.info, async ({ account, input }) => (await userInfos(db, account, [input.openid]))[0]!);
  ctx.implement(u.batchGetInfo, async ({ account, input }) => {
    checkListSize(input.user_list, MAX_INFO_BATCH);
    const openids = input.user_list.map((x) => x.openid);
    return { user_info_list: await userInfos(db, account, openids) };
  });
  ctx.implement(u.list, async ({ account, input }) => {
    const { total, openids } = await followersPage(db, account.appid, input.next_openid ?? "");
    return { total, ...openidPage(openids) };
  });

  ctx.implement(u.getBlacklist, async ({ account, input, policies }) => {
    const begin = input.begin_openid ?? "";
    if (begin !== "") await resolveOpenid(db, account.appid, begin, ForeignOpenid.NotMatchAppId);
    const { total, openids } = await blacklistPage(db, account.appid, begin, policies.blacklistPageSize);
    return { total, ...openidPage(openids) };
  });
  const blacklist =
    (on: boolean) =>
    async ({ account, input }: { account: { appid: string }; input: { openid_list: string[] } }) => {
      checkListSize(input.openid_list, MAX_BLACKLIST_BATCH);
      const users = await resolveOpenids(db, account.appid, input.openid_list, ForeignOpenid.NotMatchAppId);
      await setBlacklisted(ctx, account.appid, users, on);
      return ok();
    };
  ctx.implement(u.batchBlacklist, blacklist(true));
  ctx.implement(u.batchUnblacklist, blacklist(false));
}
