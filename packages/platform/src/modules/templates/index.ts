/**
 * Templates module (spec/template.md §1–§9): industries, the shipped template library and the
 * account's private templates, `message/template/send` with TEMPLATESENDJOBFINISH, intercepted
 * sends, and one-time subscription messages (the authorisation page on the mp host and
 * `message/template/subscribe`). The category library and value rules are shared with the
 * subscription notifications of the subscribe-messages module.
 */
import { defineModule } from "../../module.js";
import { implementTemplateApi } from "./api.js";
import { DelayedPushes } from "./delayed-push.js";
import { templateMigrations } from "./migrations.js";
import { implementSubscribeOnce } from "./once-api.js";
import { implementSubscribePage } from "./once-page.js";
import { addTemplateRoutes } from "./routes.js";
import { implementTemplateSend } from "./send-api.js";
import type { SendStatus } from "./sends.js";

declare module "../../events.js" {
  interface PlatformEventMap {
    /** A template/send passed its checks (delivered, or ended otherwise). */
    "template.sent": {
      appid: string;
      userId: string;
      openid: string;
      msgid: number;
      templateId: string;
      status: SendStatus;
    };
    /** TEMPLATESENDJOBFINISH was pushed. */
    "template.job-finished": { appid: string; msgid: number; status: string; pushId: string };
    /** The account's service categories changed; templates of `removed` categories are gone. */
    "templates.categories-changed": { appid: string; removed: number[] };
    /** A user allowed a one-time subscription message. */
    "subscribe-once.granted": { appid: string; userId: string; scene: number };
  }
}

export const templatesModule = defineModule({
  name: "templates",
  requires: ["accounts", "simulated-users", "conversations", "push", "web-identity"],
  migrations: templateMigrations,
  setup(ctx) {
    const jobs = new DelayedPushes(ctx.services.push, ctx.log);
    ctx.onClose(() => jobs.clear());
    ctx.events.on("world.replaced", () => jobs.clear());
    implementTemplateApi(ctx);
    implementTemplateSend(ctx, jobs);
    implementSubscribePage(ctx);
    implementSubscribeOnce(ctx);
    addTemplateRoutes(ctx);
  },
});

export { argumentInvalid, dataOf, isObj, jumpOf, optionalString, recipientOf } from "./checks.js";
export { DelayedPushes } from "./delayed-push.js";
export {
  allCategories,
  type Category,
  type CategoryKeyword,
  type CategoryTemplate,
  categoryContent,
  categoryTemplatesOf,
  findCategory,
  findCategoryTemplate,
  type TemplateField,
} from "./library/library.js";
export { onceTemplateId } from "./once.js";
export { DEFAULT_TEMPLATE_POLICY, type TemplatePolicy, templatePolicies } from "./policy.js";
export { newTemplateMsgId } from "./sends.js";
export { categoriesOf, newTemplateId } from "./store.js";
export { checkTypedData, fitsRule } from "./value-rules.js";
