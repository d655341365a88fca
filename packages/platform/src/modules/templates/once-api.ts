/**
 * `message/template/subscribe` (spec/template.md §9.3): the account's one-time template (40037), a
 * known OpenID (40003; following is not required), the grant for that scene (43101: never given,
 * cancelled or used), title ≤ 15 and content ≤ 200 characters (47003); then the grant is used and
 * the message delivered.
 */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { argumentInvalid, isObj, jumpOf, optionalString, recipientOf } from "./checks.js";
import { hasOnceGrant, onceTemplateId, sceneOf, useGrantAndDeliver } from "./once.js";
import { templatePolicies } from "./policy.js";

const TITLE_MAX = 15;
const CONTENT_MAX = 200;

export function implementSubscribeOnce(ctx: ModuleContext): void {
  ctx.implement(
    catalog.template.subscribeOnce,
    async (body, { account }) => {
      if (body.template_id !== onceTemplateId(account.appid))
        throw new WechatApiError(ErrorCode.InvalidTemplateId);
      const to = await recipientOf(ctx.db, account.appid, body.touser, false);
      const scene = sceneOf(body.scene);
      if (scene === null) throw new WechatApiError(ErrorCode.DataFormatError);
      const policy = await templatePolicies.of(ctx.db, account.appid);
      const jump = jumpOf(body, "url", policy.linkedMiniPrograms);
      const title = optionalString(body, "title") ?? "";
      const data = body.data;
      const content = isObj(data) && isObj(data.content) ? data.content : null;
      if (!content) throw new WechatApiError(ErrorCode.DataFormatError);
      const value = optionalString(content, "value") ?? "";
      const color = optionalString(content, "color");
      return { to, scene, jump, title, value, color };
    },
    async (call) => {
      const { to, scene, jump, title, value, color } = call.input;
      const appid = call.account.appid;
      if (!(await hasOnceGrant(ctx.db, appid, to.user_id, scene)))
        throw new WechatApiError(ErrorCode.UserRefuseToAcceptMsg);
      if (title === "" || [...title].length > TITLE_MAX) throw argumentInvalid("title invalid");
      if ([...value].length > CONTENT_MAX) throw argumentInvalid("data.content.value invalid");
      const delivered = await useGrantAndDeliver(ctx, {
        appid,
        userId: to.user_id,
        openid: to.openid,
        following: to.subscribed === 1,
        scene,
        payload: {
          template_id: onceTemplateId(appid),
          title,
          content: value,
          ...(color ? { color } : {}),
          url: jump.url ?? null,
          miniprogram: jump.miniprogram ?? null,
          opens: jump.miniprogram ? "miniprogram" : jump.url ? "url" : null,
        },
      });
      // Another call used the grant in the meantime.
      if (!delivered) throw new WechatApiError(ErrorCode.UserRefuseToAcceptMsg);
      return ok();
    },
  );
}
