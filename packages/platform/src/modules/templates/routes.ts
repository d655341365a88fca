/**
 * The templates module's simulator routes: an account's template state (industries, categories,
 * private templates, its one-time template id, recent sends), the shipped library, choosing service
 * categories (console-only on WeChat), a user refusing an account's template messages, a user's
 * one-time grants, and the template policies.
 */
import { Type } from "@sinclair/typebox";
import { addPolicyRoutes } from "../../http/policy-routes.js";
import { badRequest } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { getFollow, requireUser } from "../simulated-users/index.js";
import { INDUSTRIES } from "./library/industries.js";
import { allCategories, allCategoryTemplates, allIndustryTemplates } from "./library/library.js";
import { onceGrantsOf, onceTemplateId } from "./once.js";
import { templatePolicies } from "./policy.js";
import { refusesTemplates, sendsToday, setRefusesTemplates } from "./sends.js";
import {
  CategoryRuleError,
  categoriesOf,
  industryOf,
  industryView,
  privateTemplates,
  setCategories,
} from "./store.js";

const AppidParams = Type.Object({ appid: Type.String() });

export function addTemplateRoutes(ctx: ModuleContext): void {
  const sim = ctx.simulator;
  sim.route({
    method: "GET",
    url: "/accounts/:appid/templates",
    tag: "templates",
    summary:
      "The account's industries, service categories, private templates, one-time subscription template id, today's sends and recent sends.",
    params: AppidParams,
    query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
    handler: async ({ params, query }) => {
      const a = await requireAccount(ctx.db, params.appid);
      const industry = await industryOf(ctx.db, a.appid);
      const sends = await ctx.db
        .selectFrom("tmpl_sends")
        .selectAll()
        .where("appid", "=", a.appid)
        .orderBy("created_at", "desc")
        .orderBy("msgid", "desc")
        .limit(query.limit ?? 50)
        .execute();
      return {
        appid: a.appid,
        industry: industry
          ? {
              primary: { code: industry.primary, ...industryView(industry.primary) },
              secondary: { code: industry.secondary, ...industryView(industry.secondary) },
            }
          : null,
        categories: await categoriesOf(ctx.db, a.appid),
        templates: await privateTemplates(ctx.db, a.appid),
        onceTemplateId: onceTemplateId(a.appid),
        sendsToday: await sendsToday(ctx.db, a.appid, ctx.clock.now()),
        recentSends: sends.map((s) => ({
          msgid: Number(s.msgid),
          openid: s.openid,
          user: s.user_id,
          templateId: s.template_id,
          status: s.status,
          eventStatus: s.event_status,
          createdAt: s.created_at,
        })),
      };
    },
  });
  sim.route({
    method: "GET",
    url: "/template-library",
    tag: "templates",
    summary:
      "The shipped library: industry codes, industry templates (TM…), service categories, category templates.",
    handler: () => ({
      industries: [...INDUSTRIES.values()],
      industryTemplates: allIndustryTemplates(),
      categories: allCategories(),
      categoryTemplates: allCategoryTemplates(),
    }),
  });
  sim.route({
    method: "PUT",
    url: "/accounts/:appid/template-categories",
    tag: "templates",
    summary:
      "Choose the account's service categories (WeChat: console only): at most 5, 5 changes a month; templates of removed categories are deleted.",
    params: AppidParams,
    body: Type.Object({ ids: Type.Array(Type.Integer(), { maxItems: 50 }) }),
    handler: async ({ params, body }) => {
      const a = await requireAccount(ctx.db, params.appid);
      const policy = await templatePolicies.of(ctx.db, a.appid);
      try {
        const { removed } = await setCategories(ctx, a.appid, body.ids, policy);
        ctx.events.emit("templates.categories-changed", { appid: a.appid, removed });
      } catch (err) {
        if (err instanceof CategoryRuleError) throw badRequest(err.message);
        throw err;
      }
      return { appid: a.appid, categories: await categoriesOf(ctx.db, a.appid) };
    },
  });
  sim.route({
    method: "PUT",
    url: "/users/:user/template-refusal",
    tag: "templates",
    summary:
      "The user refuses (or accepts again) the account's template messages: sends then end with TEMPLATESENDJOBFINISH `failed:user block`.",
    params: Type.Object({ user: Type.String() }),
    body: Type.Object({ appid: Type.String(), refuse: Type.Boolean() }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      const a = await requireAccount(ctx.db, body.appid);
      await setRefusesTemplates(ctx, a.appid, params.user, body.refuse);
      return {
        user: params.user,
        appid: a.appid,
        refuse: await refusesTemplates(ctx.db, a.appid, params.user),
      };
    },
  });
  sim.route({
    method: "GET",
    url: "/users/:user/subscribe-once/:appid",
    tag: "templates",
    summary: "The user's one-time subscription grants for the account (one per scene until used).",
    params: Type.Object({ user: Type.String(), appid: Type.String() }),
    handler: async ({ params }) => {
      await requireUser(ctx.db, params.user);
      const a = await requireAccount(ctx.db, params.appid);
      const f = await getFollow(ctx.db, a.appid, params.user);
      return {
        user: params.user,
        appid: a.appid,
        openid: f?.openid ?? null,
        templateId: onceTemplateId(a.appid),
        grants: await onceGrantsOf(ctx.db, a.appid, params.user),
      };
    },
  });
  addPolicyRoutes(ctx.simulator, ctx, {
    url: "/template-policy",
    tag: "templates",
    what: "Template and subscription",
    policies: templatePolicies,
    requireAccount,
    fields: {
      dailyLimit: Type.Integer({ minimum: 0 }),
      maxTemplates: Type.Integer({ minimum: 0, maximum: 1000 }),
      industryChangesPerMonth: Type.Integer({ minimum: 0 }),
      categoryChangesPerMonth: Type.Integer({ minimum: 0 }),
      maxCategories: Type.Integer({ minimum: 1, maximum: 50 }),
      punished: Type.Boolean(),
      jobFinishDelayMs: Type.Integer({ minimum: 0, maximum: 600_000 }),
      injectStatus: Type.Union([Type.Literal("failed: system failed"), Type.Literal("failed:freq limit")]),
      interceptTemplateIds: Type.Array(Type.String(), { maxItems: 100 }),
      renderRules: Type.Union([Type.Literal("2023"), Type.Literal("legacy")]),
      linkedMiniPrograms: Type.Union([
        Type.Literal("any"),
        Type.Array(Type.String({ pattern: "^wx[0-9a-f]{16}$" })),
      ]),
      businessDomains: Type.Array(Type.String({ maxLength: 253 }), { maxItems: 50 }),
      clientMsgIdSeconds: Type.Integer({ minimum: 0 }),
    },
  });
}
