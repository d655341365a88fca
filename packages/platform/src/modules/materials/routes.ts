/**
 * Simulator routes of the materials module: what an account holds (temporary media, permanent
 * materials, drafts, publications), the draft box switch, and the material policies.
 */
import { Type } from "@sinclair/typebox";
import { parseJsonColumn } from "../../db/schema.js";
import { addPolicyRoutes } from "../../http/policy-routes.js";
import { badRequest, notFound } from "../../http/simulator.js";
import { getAccount, requireAccount } from "../accounts/index.js";
import type { StoredArticle } from "./articles.js";
import { countDrafts, draftArticles, draftBoxOpen, listDrafts } from "./drafts.js";
import type { MaterialsEnv } from "./env.js";
import { countPermanent, findPermanent } from "./permanent.js";
import { materialPolicies } from "./policy.js";
import { sniff } from "./sniff.js";
import { findTemporary, metaOf, saveTemporaryFile } from "./temporary.js";

const Appid = Type.Object({ appid: Type.String() });
const withoutMeta = <T extends { meta: string }>({ meta: _m, ...rest }: T) => rest;
const titlesOf = (articles: StoredArticle[]) => articles.map((a) => a.title);

export function addMaterialRoutes(env: MaterialsEnv): void {
  const { ctx } = env;
  const account = async (appid: string) => {
    if (!(await getAccount(ctx.db, appid))) throw notFound(`account ${appid}`);
  };
  ctx.simulator.route({
    method: "GET",
    url: "/accounts/:appid/materials",
    tag: "materials",
    summary:
      "What the account holds: its newest 100 temporary media (with expiry, ms) and permanent materials (news with their titles), counts, the newest 100 drafts and publications with their titles.",
    params: Appid,
    handler: async ({ params }) => {
      const { appid } = params;
      await account(appid);
      const now = ctx.clock.now();
      const temporary = await ctx.db
        .selectFrom("media")
        .selectAll()
        .where("appid", "=", appid)
        .orderBy("created_at", "desc")
        .limit(100)
        .execute();
      const permanent = await ctx.db
        .selectFrom("materials")
        .selectAll()
        .where("appid", "=", appid)
        .orderBy("updated_at", "desc")
        .limit(100)
        .execute();
      const publications = await ctx.db
        .selectFrom("publications")
        .select([
          "publish_id",
          "article_id",
          "status",
          "articles",
          "created_at",
          "finished_at",
          "event_pushed",
        ])
        .where("appid", "=", appid)
        .orderBy("created_at", "desc")
        .limit(100)
        .execute();
      return {
        blobStore: env.blobs.kind,
        temporary: temporary.map((r) => ({ ...withoutMeta(r), expired: now > r.expires_at })),
        permanent: permanent.map((r) => ({
          ...withoutMeta(r),
          ...(r.type === "news"
            ? { titles: titlesOf(metaOf(r, { articles: [] as StoredArticle[] }).articles) }
            : {}),
        })),
        counts: await countPermanent(ctx.db, appid),
        drafts: await countDrafts(ctx.db, appid),
        draftList: (await listDrafts(ctx.db, appid, 0, 100)).map((d) => ({
          mediaId: d.media_id,
          titles: titlesOf(draftArticles(d)),
          createdAt: d.created_at,
          updatedAt: d.updated_at,
        })),
        draftBoxOpen: await draftBoxOpen(ctx.db, appid),
        publications: publications.map(({ articles, ...p }) => ({
          ...p,
          titles: titlesOf(parseJsonColumn<StoredArticle[]>(articles, [])),
        })),
      };
    },
  });
  ctx.simulator.route({
    method: "GET",
    url: "/accounts/:appid/media/:mediaId",
    tag: "materials",
    summary:
      "The bytes of a temporary (unexpired) or permanent media file of the account, as a user's phone shows them.",
    params: Type.Object({ appid: Type.String(), mediaId: Type.String() }),
    handler: async ({ params }, reply) => {
      const { appid, mediaId } = params;
      const row =
        (await findTemporary(ctx.db, appid, mediaId, ctx.clock.now())) ??
        (await findPermanent(ctx.db, appid, mediaId));
      const stream = row?.blob_hash ? await env.blobs.open(row.blob_hash) : null;
      if (!row || !stream) throw notFound(`media ${mediaId} of ${appid}`);
      return reply.type(row.content_type).header("content-length", String(row.size)).send(stream);
    },
  });
  ctx.simulator.route({
    method: "POST",
    url: "/accounts/:appid/media",
    tag: "materials",
    summary:
      "Keep a temporary media file made on the user's side (JS-SDK uploadImage/uploadVoice: source jssdk; a user's message: source user); answers its media_id.",
    params: Appid,
    body: Type.Object({
      type: Type.Union([
        Type.Literal("image"),
        Type.Literal("voice"),
        Type.Literal("video"),
        Type.Literal("thumb"),
      ]),
      source: Type.Union([Type.Literal("jssdk"), Type.Literal("user")]),
      filename: Type.Optional(Type.String()),
      data: Type.String({ description: "the bytes, base64", maxLength: 16 * 1024 * 1024 }),
    }),
    handler: async ({ params, body }) => {
      await account(params.appid);
      const data = Buffer.from(body.data, "base64");
      if (data.length === 0) throw badRequest("data: empty");
      const sniffed = sniff(data);
      const policy = await materialPolicies.of(ctx.db, params.appid);
      const row = await saveTemporaryFile(
        ctx,
        env.blobs,
        {
          appid: params.appid,
          type: body.type,
          source: body.source,
          data,
          filename: body.filename ?? "",
          contentType: sniffed?.contentType ?? "application/octet-stream",
          ext: sniffed?.format ?? "bin",
        },
        policy.temporarySeconds * 1000,
      );
      return { mediaId: row.media_id, createdAt: row.created_at, expiresAt: row.expires_at };
    },
  });
  ctx.simulator.route({
    method: "PUT",
    url: "/accounts/:appid/draft-box",
    tag: "materials",
    summary: "Open or close the account's draft box (what draft/switch reports and opens).",
    params: Appid,
    body: Type.Object({ open: Type.Boolean() }),
    handler: async ({ params, body }) => {
      await account(params.appid);
      await ctx.db
        .insertInto("material_settings")
        .values({ appid: params.appid, draft_open: body.open ? 1 : 0 })
        .onConflict((oc) => oc.column("appid").doUpdateSet({ draft_open: body.open ? 1 : 0 }))
        .execute();
      return { open: body.open };
    },
  });
  addPolicyRoutes(ctx.simulator, ctx, {
    url: "/material-policy",
    tag: "materials",
    what: "Material policies (size and count limits, media lifetime, article caps, strictness)",
    policies: materialPolicies,
    requireAccount,
    fields: {
      sizeLimits: Type.Union([Type.Literal("newer"), Type.Literal("older")]),
      countLimits: Type.Union([Type.Literal("newer"), Type.Literal("older")]),
      maxMaterialsPerKind: Type.Integer({ minimum: 0 }),
      temporarySeconds: Type.Integer({ minimum: 1 }),
      titleMaxChars: Type.Integer({ minimum: 0 }),
      authorMaxChars: Type.Integer({ minimum: 0 }),
      digestMaxChars: Type.Integer({ minimum: 0 }),
      sourceUrlMaxChars: Type.Integer({ minimum: 0 }),
      rejectUnicodeEscapes: Type.Boolean(),
      commentPrivilege: Type.Boolean(),
      publishSeconds: Type.Integer({ minimum: 0 }),
    },
  });
}
