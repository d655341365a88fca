/**
 * The user's side of subscription notifications (spec/template.md §10), as simulator user events
 * on `POST /_mpstack/users/{user}/events`: `subscribe_msg_popup` (the user answers the popup of an
 * H5 page or an article: accept/reject per template) and `subscribe_msg_change` (the user changes
 * the setting later). Each updates the user's subscriptions and pushes the matching event.
 */
import type { InboundPayload } from "@mpstack/protocol";
import { badRequest } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import { resultView } from "../push/index.js";
import { ensureIdentity } from "../simulated-users/index.js";
import { applyChoices, type Choice, subTemplate } from "./store.js";

/** `templates: [{ templateId, status: "accept" | "reject" }]`, each one of the account's templates. */
async function choicesOf(
  ctx: ModuleContext,
  appid: string,
  body: Record<string, unknown>,
): Promise<Choice[]> {
  const list = body.templates;
  if (!Array.isArray(list) || list.length === 0 || list.length > 20)
    throw badRequest("templates: 1 to 20 { templateId, status } entries");
  const choices: Choice[] = [];
  for (const item of list) {
    const o = (item ?? {}) as Record<string, unknown>;
    const status = o.status;
    if (status !== "accept" && status !== "reject") throw badRequest('status: "accept" or "reject"');
    const template = typeof o.templateId === "string" ? await subTemplate(ctx.db, appid, o.templateId) : null;
    if (!template) throw badRequest(`templateId: not a subscription template of ${appid}`);
    choices.push({ template, status });
  }
  return choices;
}

export function registerSubscriptionUserEvents(ctx: ModuleContext<"push">): void {
  const push = ctx.services.push;
  push.registerUserEvent(
    "subscribe_msg_popup",
    async ({ user, account, body }) => {
      const scene = body.popupScene ?? 1;
      if (scene !== 1 && scene !== 2) throw badRequest("popupScene: 1 (H5 page) or 2 (article)");
      const choices = await choicesOf(ctx, account.appid, body);
      const { openid } = await ensureIdentity(ctx, account, user.id);
      await applyChoices(ctx, { appid: account.appid, userId: user.id, openid }, choices, "popup");
      const message: InboundPayload = {
        kind: "event",
        MsgType: "event",
        Event: "subscribe_msg_popup_event",
        ToUserName: account.originalId,
        FromUserName: openid,
        CreateTime: ctx.clock.nowSeconds(),
        SubscribeMsgPopupEvent: choices.map((c) => ({
          TemplateId: c.template.priTmplId,
          SubscribeStatusString: c.status,
          PopupScene: scene,
        })),
      };
      return resultView(await push.send({ appid: account.appid, userId: user.id, message }));
    },
    "The user answers a subscription popup: { templates: [{ templateId, status: accept|reject }], popupScene?: 1|2 }.",
  );
  push.registerUserEvent(
    "subscribe_msg_change",
    async ({ user, account, body }) => {
      const choices = await choicesOf(ctx, account.appid, body);
      const { openid } = await ensureIdentity(ctx, account, user.id);
      await applyChoices(ctx, { appid: account.appid, userId: user.id, openid }, choices, "change");
      const message: InboundPayload = {
        kind: "event",
        MsgType: "event",
        Event: "subscribe_msg_change_event",
        ToUserName: account.originalId,
        FromUserName: openid,
        CreateTime: ctx.clock.nowSeconds(),
        SubscribeMsgChangeEvent: choices.map((c) => ({
          TemplateId: c.template.priTmplId,
          SubscribeStatusString: c.status,
        })),
      };
      return resultView(await push.send({ appid: account.appid, userId: user.id, message }));
    },
    "The user changes subscription settings later: { templates: [{ templateId, status: accept|reject }] }.",
  );
}
