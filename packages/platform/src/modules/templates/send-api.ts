/**
 * `message/template/send` (spec/template.md §7): checks in the order of §7.2 — template id shape
 * (40036) and ownership (40037), recipient (40003, 43004), Mini Program (47003), values (47003),
 * daily limit (45009), the anti-re-entry id — then the card lands in the follower's conversation and
 * TEMPLATESENDJOBFINISH follows.
 */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { dataOf, jumpOf, optionalString, recipientOf } from "./checks.js";
import type { DelayedPushes } from "./delayed-push.js";
import { templatePolicies } from "./policy.js";
import { renderCard } from "./render.js";
import { earlierSend, outcomeOf, refusesTemplates, saveSend, sendsToday } from "./sends.js";
import { privateTemplate } from "./store.js";
import { checkTypedData } from "./value-rules.js";

/** A template id that could be one (ours are 43 URL-safe characters): 40036 otherwise (emulator decision). */
const PLAUSIBLE_TEMPLATE_ID = /^[A-Za-z0-9_-]{20,64}$/;

export function implementTemplateSend(ctx: ModuleContext<"push">, jobs: DelayedPushes): void {
  ctx.implement(
    catalog.template.send,
    async (body, { account }) => {
      // The mini-program "uniform send" shape answers 40036 (community-observed, §7).
      if (Object.hasOwn(body, "mp_template_msg")) throw new WechatApiError(ErrorCode.InvalidTemplateIdSize);
      const templateId = body.template_id;
      if (typeof templateId !== "string" || !PLAUSIBLE_TEMPLATE_ID.test(templateId))
        throw new WechatApiError(ErrorCode.InvalidTemplateIdSize);
      const template = await privateTemplate(ctx.db, account.appid, templateId);
      if (!template) throw new WechatApiError(ErrorCode.InvalidTemplateId);
      const to = await recipientOf(ctx.db, account.appid, body.touser, true);
      const policy = await templatePolicies.of(ctx.db, account.appid);
      const jump = jumpOf(body, "url", policy.linkedMiniPrograms);
      const data = dataOf(body);
      if (template.source === "category") checkTypedData(template.fields, data);
      const clientMsgId = optionalString(body, "client_msg_id") ?? null;
      return { template, to, policy, jump, data, clientMsgId };
    },
    async (call) => {
      const { template, to, policy, jump, data, clientMsgId } = call.input;
      const appid = call.account.appid;
      const now = ctx.clock.now();
      if ((await sendsToday(ctx.db, appid, now)) >= policy.dailyLimit)
        throw new WechatApiError(ErrorCode.ApiDailyQuotaReached);
      if (clientMsgId) {
        const earlier = await earlierSend(
          ctx.db,
          appid,
          to.openid,
          clientMsgId,
          now - policy.clientMsgIdSeconds * 1000,
        );
        if (earlier !== null) return ok({ msgid: earlier });
      }
      const card = renderCard(template.title, template.fields, data, jump, policy.renderRules);
      const refuses = await refusesTemplates(ctx.db, appid, to.user_id);
      const outcome = await saveSend(
        ctx,
        {
          appid,
          userId: to.user_id,
          openid: to.openid,
          templateId: template.templateId,
          clientMsgId,
          card,
          data,
        },
        outcomeOf(policy, template.templateId, refuses),
      );
      ctx.events.emit("template.sent", {
        appid,
        userId: to.user_id,
        openid: to.openid,
        msgid: outcome.msgid,
        templateId: template.templateId,
        status: outcome.status,
      });
      jobs.schedule(
        policy.jobFinishDelayMs,
        {
          appid,
          userId: to.user_id,
          message: {
            kind: "event",
            MsgType: "event",
            Event: "TEMPLATESENDJOBFINISH",
            ToUserName: call.account.originalId,
            FromUserName: to.openid,
            CreateTime: ctx.clock.nowSeconds(),
            MsgID: String(outcome.msgid),
            Status: outcome.eventStatus,
          },
        },
        (r) =>
          ctx.events.emit("template.job-finished", {
            appid,
            msgid: outcome.msgid,
            status: outcome.eventStatus,
            pushId: r.pushId,
          }),
      );
      return ok({ msgid: outcome.msgid });
    },
  );
}
