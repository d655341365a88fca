/**
 * `message/subscribe/bizsend` (spec/template.md §10): a known OpenID (40003), one of the account's
 * subscription templates (40037), a subscription that allows a send (43101), typed values (47003),
 * the Mini Program page (41030); then the send is used, the notification lands in the user's
 * Service Notifications, and subscribe_msg_sent_event follows. Answers the msgid (WxJava reads it).
 */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import {
  checkTypedData,
  type DelayedPushes,
  dataOf,
  jumpOf,
  newTemplateMsgId,
  recipientOf,
  templatePolicies,
} from "../templates/index.js";
import { maySend, subTemplate, useAndDeliver } from "./store.js";

export function implementBizsend(ctx: ModuleContext, pushes: DelayedPushes): void {
  ctx.implement(
    catalog.subscribe.bizsend,
    async (body, { account }) => {
      const to = await recipientOf(ctx.db, account.appid, body.touser, false);
      const t =
        typeof body.template_id === "string" && body.template_id !== ""
          ? await subTemplate(ctx.db, account.appid, body.template_id)
          : null;
      if (!t) throw new WechatApiError(ErrorCode.InvalidTemplateId);
      if (!(await maySend(ctx.db, account.appid, to.user_id, t)))
        throw new WechatApiError(ErrorCode.UserRefuseToAcceptMsg);
      const data = dataOf(body);
      checkTypedData(t.fields, data);
      const policy = await templatePolicies.of(ctx.db, account.appid);
      const jump = jumpOf(
        body,
        "page",
        policy.linkedMiniPrograms,
        () => new WechatApiError(ErrorCode.InvalidPage),
      );
      return { to, t, data, jump, delayMs: policy.jobFinishDelayMs };
    },
    async (call) => {
      const { to, t, data, jump, delayMs } = call.input;
      const account = call.account;
      const msgid = newTemplateMsgId(ctx.clock.now());
      const delivered = await useAndDeliver(
        ctx,
        { appid: account.appid, userId: to.user_id, openid: to.openid },
        t,
        msgid,
        {
          template_id: t.priTmplId,
          title: t.title,
          lines: t.fields.map((f) => ({ key: f.key, label: f.label, value: data[f.key]?.value ?? "" })),
          page: jump.url ?? null,
          miniprogram: jump.miniprogram ?? null,
          opens: jump.miniprogram ? "miniprogram" : jump.url ? "url" : null,
        },
      );
      if (!delivered) throw new WechatApiError(ErrorCode.UserRefuseToAcceptMsg);
      ctx.events.emit("subscribe.sent", {
        appid: account.appid,
        userId: to.user_id,
        msgid,
        priTmplId: t.priTmplId,
      });
      pushes.schedule(delayMs, {
        appid: account.appid,
        userId: to.user_id,
        message: {
          kind: "event",
          MsgType: "event",
          Event: "subscribe_msg_sent_event",
          ToUserName: account.originalId,
          FromUserName: to.openid,
          CreateTime: ctx.clock.nowSeconds(),
          SubscribeMsgSentEvent: [
            { TemplateId: t.priTmplId, MsgID: String(msgid), ErrorCode: 0, ErrorStatus: "success" },
          ],
        },
      });
      return ok({ msgid });
    },
  );
}
