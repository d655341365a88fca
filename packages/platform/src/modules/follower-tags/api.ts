/** The tag endpoints (users.md §3) and the legacy groups endpoints (§4). */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import {
  createGroup,
  deleteGroup,
  groupOf,
  listGroups,
  MAX_GROUP_BATCH,
  moveToGroup,
  renameGroup,
} from "./groups.js";
import { ForeignOpenid, resolveOpenid, resolveOpenids } from "./openids.js";
import {
  createTag,
  deleteTag,
  listTags,
  MAX_TAG_BATCH,
  renameTag,
  tagExists,
  tagMembers,
  tagsOfOpenid,
  tagUsers,
  untagUsers,
} from "./store.js";

const t = catalog.tags;
const g = catalog.groups;

/** 40032 `invalid openid list size` outside 1..max. */
export function checkListSize(list: readonly unknown[], max: number): void {
  if (list.length === 0 || list.length > max) throw new WechatApiError(ErrorCode.InvalidOpenIdListSize);
}

/** A page of OpenIDs: past the end `count: 0`, `next_openid: ""` and no `data` (users.md §7). */
export function openidPage(openids: string[]): {
  count: number;
  data?: { openid: string[] };
  next_openid: string;
} {
  const last = openids.at(-1);
  if (last === undefined) return { count: 0, next_openid: "" };
  return { count: openids.length, data: { openid: openids }, next_openid: last };
}

export function implementTagsApi(ctx: ModuleContext): void {
  const { db } = ctx;

  ctx.implement(t.create, async ({ account, input }) => ({
    tag: await createTag(ctx, account.appid, input.tag.name),
  }));
  ctx.implement(t.get, async ({ account }) => ({ tags: await listTags(db, account.appid) }));
  ctx.implement(t.update, async ({ account, input }) => {
    await renameTag(ctx, account.appid, input.tag.id, input.tag.name);
    return ok();
  });
  // No tag.id: 44002 (SDK-observed, users.md §3.4).
  ctx.implement(
    t.delete,
    async ({ account, input }) => {
      await deleteTag(ctx, account.appid, input.tag.id);
      return ok();
    },
    { fieldCodes: { missing: { tag: ErrorCode.EmptyPostData, "tag.id": ErrorCode.EmptyPostData } } },
  );
  ctx.implement(t.getUsers, async ({ account, input }) => {
    if (!(await tagExists(db, account.appid, input.tagid))) throw new WechatApiError(ErrorCode.InvalidTagId);
    const after = input.next_openid ?? "";
    if (after !== "") await resolveOpenid(db, account.appid, after, ForeignOpenid.Invalid);
    return openidPage(await tagMembers(db, account.appid, input.tagid, after));
  });
  const batch =
    (tagging: boolean) =>
    async ({
      account,
      input,
    }: {
      account: { appid: string };
      input: { openid_list: string[]; tagid: number };
    }) => {
      checkListSize(input.openid_list, MAX_TAG_BATCH);
      if (!(await tagExists(db, account.appid, input.tagid)))
        throw new WechatApiError(ErrorCode.InvalidTagId);
      const users = await resolveOpenids(db, account.appid, input.openid_list, ForeignOpenid.NotMatchAppId);
      await (tagging ? tagUsers : untagUsers)(ctx, account.appid, input.tagid, users);
      return ok();
    };
  ctx.implement(t.tagUsers, batch(true));
  ctx.implement(t.untagUsers, batch(false));
  ctx.implement(t.getUserTags, async ({ account, input }) => {
    const user = await resolveOpenid(db, account.appid, input.openid, ForeignOpenid.NotMatchAppId);
    return { tagid_list: await tagsOfOpenid(db, account.appid, user.openid) };
  });

  // Legacy groups
  ctx.implement(g.create, async ({ account, input }) => ({
    group: await createGroup(ctx, account.appid, input.group.name),
  }));
  ctx.implement(g.get, async ({ account }) => ({ groups: await listGroups(db, account.appid) }));
  ctx.implement(g.getUserGroup, async ({ account, input }) => {
    const user = await resolveOpenid(db, account.appid, input.openid, ForeignOpenid.Invalid);
    return { groupid: await groupOf(db, account.appid, user.openid) };
  });
  ctx.implement(g.update, async ({ account, input }) => {
    await renameGroup(ctx, account.appid, input.group.id, input.group.name);
    return ok();
  });
  ctx.implement(g.moveUser, async ({ account, input }) => {
    const user = await resolveOpenid(db, account.appid, input.openid, ForeignOpenid.Invalid);
    await moveToGroup(ctx, account.appid, [user], input.to_groupid);
    return ok();
  });
  ctx.implement(g.moveUsers, async ({ account, input }) => {
    checkListSize(input.openid_list, MAX_GROUP_BATCH);
    const users = await resolveOpenids(db, account.appid, input.openid_list, ForeignOpenid.Invalid);
    await moveToGroup(ctx, account.appid, users, input.to_groupid);
    return ok();
  });
  ctx.implement(g.delete, async ({ account, input }) => {
    await deleteGroup(ctx, account.appid, input.group.id);
    return ok();
  });
}
