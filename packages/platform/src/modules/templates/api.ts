/**
 * Industries and private templates (spec/template.md §2–§6, §8.1): api_set_industry,
 * get_industry, api_add_template (industry `TM…` or numeric category templates), the private
 * template list, deletion, and queryblocktmplmsg.
 */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import { INDUSTRIES } from "./library/industries.js";
import {
  type CategoryKeyword,
  categoryContent,
  findCategory,
  findCategoryTemplate,
  findIndustryTemplate,
} from "./library/library.js";
import { templatePolicies } from "./policy.js";
import { interceptedSends } from "./sends.js";
import {
  addPrivateTemplate,
  categoriesOf,
  deletePrivateTemplate,
  industryCode,
  industryOf,
  industryView,
  privateTemplate,
  privateTemplates,
  setIndustry,
} from "./store.js";

const fail = (code: number): never => {
  throw new WechatApiError(code);
};

/** The keywords a category template is added with: names in order, all known, none twice (40246). */
function chosenKeywords(all: CategoryKeyword[], names: unknown): CategoryKeyword[] {
  if (!Array.isArray(names) || names.length === 0) return fail(ErrorCode.InvalidKeywordList);
  const seen = new Set<string>();
  return names.map((name) => {
    const k = typeof name === "string" ? all.find((x) => x.name === name) : undefined;
    if (!k || seen.has(k.name)) return fail(ErrorCode.InvalidKeywordList);
    seen.add(k.name);
    return k;
  });
}

export function implementTemplateApi(ctx: ModuleContext): void {
  ctx.implement(
    catalog.template.setIndustry,
    (body) => {
      const id1 = industryCode(body.industry_id1);
      const id2 = body.industry_id2 === undefined ? undefined : industryCode(body.industry_id2);
      return { id1, id2 };
    },
    async (call) => {
      const policy = await templatePolicies.of(ctx.db, call.account.appid);
      await setIndustry(ctx, call.account.appid, call.input.id1, call.input.id2, policy);
      return ok();
    },
  );

  ctx.implement(catalog.template.getIndustry, async (call) => {
    const s = await industryOf(ctx.db, call.account.appid);
    return {
      primary_industry: industryView(s?.primary ?? 0),
      secondary_industry: industryView(s?.secondary ?? 0),
    };
  });

  ctx.implement(
    catalog.template.addTemplate,
    (body) => {
      const short = body.template_id_short;
      if (typeof short !== "string" && typeof short !== "number") return fail(ErrorCode.DataFormatError);
      const names = body.keyword_name_list;
      if (names !== undefined && names !== null && !Array.isArray(names))
        return fail(ErrorCode.DataFormatError);
      return { short: String(short).trim(), names };
    },
    async (call) => {
      const appid = call.account.appid;
      const policy = await templatePolicies.of(ctx.db, appid);
      if (policy.punished) fail(ErrorCode.AddTemplateForbidden);
      const { short, names } = call.input;
      if (/^\d+$/.test(short)) {
        const t = findCategoryTemplate(Number(short)) ?? fail(ErrorCode.InvalidTemplateId);
        if (!(await categoriesOf(ctx.db, appid)).includes(t.categoryId))
          fail(ErrorCode.TemplateConflictWithIndustry);
        const built = categoryContent(chosenKeywords(t.keywords, names));
        const template_id = await addPrivateTemplate(
          ctx,
          {
            appid,
            source: "category",
            shortId: short,
            groupId: t.categoryId,
            title: t.title,
            primaryIndustry: findCategory(t.categoryId)?.name ?? "",
            deputyIndustry: "",
            ...built,
          },
          policy.maxTemplates,
        );
        return ok({ template_id });
      }
      const t = findIndustryTemplate(short) ?? fail(ErrorCode.InvalidTemplateId);
      const chosen = await industryOf(ctx.db, appid);
      if (!chosen || (chosen.primary !== t.industry && chosen.secondary !== t.industry))
        fail(ErrorCode.TemplateConflictWithIndustry);
      const industry = INDUSTRIES.get(t.industry);
      const template_id = await addPrivateTemplate(
        ctx,
        {
          appid,
          source: "industry",
          shortId: t.shortId,
          groupId: t.industry,
          title: t.title,
          primaryIndustry: industry?.first ?? "",
          deputyIndustry: industry?.second ?? "",
          content: t.content,
          example: t.example,
          fields: t.fields,
        },
        policy.maxTemplates,
      );
      return ok({ template_id });
    },
  );

  ctx.implement(catalog.template.getAllPrivateTemplate, async (call) => ({
    template_list: (await privateTemplates(ctx.db, call.account.appid)).map((t) => ({
      template_id: t.templateId,
      title: t.title,
      primary_industry: t.primaryIndustry,
      deputy_industry: t.deputyIndustry,
      content: t.content,
      example: t.example,
    })),
  }));

  ctx.implement(
    catalog.template.delPrivateTemplate,
    (body) => {
      if (typeof body.template_id !== "string" || body.template_id === "")
        return fail(ErrorCode.InvalidTemplateId);
      return { templateId: body.template_id };
    },
    async (call) => {
      if (!(await deletePrivateTemplate(ctx.db, call.account.appid, call.input.templateId)))
        fail(ErrorCode.InvalidTemplateId);
      return ok();
    },
  );

  ctx.implement(
    catalog.template.queryBlockTmplMsg,
    (body) => {
      if (typeof body.tmpl_msg_id !== "string" || body.tmpl_msg_id === "")
        return fail(ErrorCode.InvalidTemplateId);
      const largest = body.largest_id ?? 0;
      const limit = body.limit ?? 100;
      if (typeof largest !== "number" || !Number.isInteger(largest) || largest < 0)
        return fail(ErrorCode.InvalidArgs);
      if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 100)
        return fail(ErrorCode.InvalidArgs);
      return { templateId: body.tmpl_msg_id, largest, limit };
    },
    async (call) => {
      const { templateId, largest, limit } = call.input;
      const appid = call.account.appid;
      if (!(await privateTemplate(ctx.db, appid, templateId))) fail(ErrorCode.InvalidTemplateId);
      return ok({ msginfo: await interceptedSends(ctx.db, appid, templateId, largest, limit) });
    },
  );
}
