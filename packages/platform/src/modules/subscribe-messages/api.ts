/**
 * `/wxaapi/newtmpl/*` (spec/template.md §10): the account's categories, public template titles and
 * keywords of the category library (the one template messages use), adding, listing and deleting
 * private subscription templates — each parameter checked with its 2000xx code.
 */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import type { ModuleContext } from "../../module.js";
import {
  categoriesOf,
  categoryContent,
  categoryTemplatesOf,
  findCategory,
  findCategoryTemplate,
  templatePolicies,
} from "../templates/index.js";
import { addSubTemplate, deleteSubTemplates, subTemplates } from "./store.js";

const fail = (code: number): never => {
  throw new WechatApiError(code);
};

/** A non-negative integer from a query or JSON value, else null. */
function int(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,9}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

const SCENE_DESC_MAX = 15;
const KIDS_MAX = 5;
const PAGE_MAX = 30;

export function implementNewtmplApi(ctx: ModuleContext): void {
  ctx.implement(catalog.subscribe.getCategory, async (call) =>
    ok({
      data: (await categoriesOf(ctx.db, call.account.appid)).map((id) => ({
        id,
        name: findCategory(id)?.name ?? "",
      })),
    }),
  );

  ctx.implement(
    catalog.subscribe.getPubTemplateTitles,
    async (q, { account }) => {
      const ids = typeof q.ids === "string" ? q.ids.trim() : "";
      if (ids === "") return fail(ErrorCode.NewtmplIdsMissing);
      const mine = await categoriesOf(ctx.db, account.appid);
      const categoryIds = ids.split(",").map((s) => int(s));
      if (categoryIds.some((id) => id === null || !mine.includes(id)))
        return fail(ErrorCode.NewtmplInvalidIds);
      const start = int(q.start);
      if (start === null) return fail(ErrorCode.NewtmplInvalidStart);
      const limit = int(q.limit);
      if (limit === null || limit < 1 || limit > PAGE_MAX) return fail(ErrorCode.NewtmplInvalidLimit);
      return { categoryIds: categoryIds as number[], start, limit };
    },
    (call) => {
      const { categoryIds, start, limit } = call.input;
      const all = categoryTemplatesOf(categoryIds);
      return ok({
        count: all.length,
        data: all.slice(start, start + limit).map((t) => ({
          tid: t.tid,
          title: t.title,
          type: t.type,
          categoryId: String(t.categoryId),
        })),
      });
    },
  );

  ctx.implement(
    catalog.subscribe.getPubTemplateKeywords,
    (q) => {
      const tid = int(q.tid);
      return {
        t: (tid !== null ? findCategoryTemplate(tid) : undefined) ?? fail(ErrorCode.NewtmplInvalidTid),
      };
    },
    (call) =>
      ok({
        count: call.input.t.keywords.length,
        data: call.input.t.keywords.map((k) => ({
          kid: k.kid,
          name: k.name,
          example: k.example,
          rule: k.rule,
        })),
      }),
  );

  ctx.implement(
    catalog.subscribe.addTemplate,
    async (body, { account }) => {
      const tid = int(body.tid);
      const t = (tid !== null ? findCategoryTemplate(tid) : undefined) ?? fail(ErrorCode.NewtmplInvalidTid);
      if (!(await categoriesOf(ctx.db, account.appid)).includes(t.categoryId))
        fail(ErrorCode.NewtmplInvalidTid);
      const kids = body.kidList;
      if (!Array.isArray(kids) || kids.length === 0 || kids.length > KIDS_MAX)
        return fail(ErrorCode.NewtmplInvalidKidList);
      const seen = new Set<number>();
      const keywords = kids.map((raw) => {
        const kid = int(raw);
        const k = t.keywords.find((x) => x.kid === kid);
        if (!k || seen.has(k.kid)) return fail(ErrorCode.NewtmplInvalidKidList);
        seen.add(k.kid);
        return k;
      });
      const desc = body.sceneDesc;
      if (desc !== undefined && (typeof desc !== "string" || [...desc].length > SCENE_DESC_MAX))
        return fail(ErrorCode.NewtmplInvalidSceneDesc);
      return { t, keywords, sceneDesc: typeof desc === "string" ? desc : "" };
    },
    async (call) => {
      const { t, keywords, sceneDesc } = call.input;
      const policy = await templatePolicies.of(ctx.db, call.account.appid);
      // The punishment switch of template messages (43106 there) bans the account here.
      if (policy.punished) fail(ErrorCode.NewtmplAccountBanned);
      const priTmplId = await addSubTemplate(
        ctx,
        {
          appid: call.account.appid,
          tid: t.tid,
          categoryId: t.categoryId,
          title: t.title,
          type: t.type,
          sceneDesc,
          ...categoryContent(keywords),
        },
        policy.maxTemplates,
      );
      return ok({ priTmplId });
    },
  );

  ctx.implement(catalog.subscribe.getTemplates, async (call) =>
    ok({
      data: (await subTemplates(ctx.db, call.account.appid)).map((t) => ({
        priTmplId: t.priTmplId,
        title: t.title,
        content: t.content,
        example: t.example,
        type: t.type,
      })),
    }),
  );

  ctx.implement(
    catalog.subscribe.delTemplate,
    (body) => {
      if (typeof body.priTmplId !== "string" || body.priTmplId === "")
        return fail(ErrorCode.NewtmplInvalidParams);
      return { priTmplId: body.priTmplId };
    },
    async (call) => {
      // An id the account does not hold: 40037, like del_private_template (emulator decision).
      if ((await deleteSubTemplates(ctx.db, call.account.appid, { priTmplId: call.input.priTmplId })) === 0)
        fail(ErrorCode.InvalidTemplateId);
      return ok();
    },
  );
}
