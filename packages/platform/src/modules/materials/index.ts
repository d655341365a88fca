/**
 * Materials module (素材管理, spec/material.md): temporary media, permanent materials, article
 * images, drafts and publishing, the mass-send preparations under `media/` (uploadnews,
 * uploadvideo), the pages and CDN-shaped URLs that serve them, and the blob store their bytes live
 * in (data folder by default, the database on PostgreSQL; exported with the world).
 *
 * Other modules use its services: `saveTemporary` (JS-SDK uploads), `addArticleSource` (article
 * pages of mass sends), `addInUseCheck` (48005: materials the menu uses), and its store functions
 * (exported below) to resolve media ids.
 */
import { join } from "node:path";
import { defineModule } from "../../module.js";
import { implementDraftApi } from "./api-draft.js";
import { implementMaterialApi } from "./api-material.js";
import { implementMediaApi } from "./api-media.js";
import { implementPublishApi } from "./api-publish.js";
import { mediaWorldPart, sweepMedia } from "./blob-part.js";
import { type BlobStore, FileBlobStore } from "./blobs.js";
import { DbBlobStore } from "./blobs-db.js";
import type { ArticleSource, InUseCheck, MaterialsChange, MaterialsEnv } from "./env.js";
import { materialsMigrations } from "./migrations.js";
import { addBuiltInSources, addPages } from "./pages.js";
import { materialPolicies } from "./policy.js";
import { Publisher } from "./publish.js";
import { addMaterialRoutes } from "./routes.js";
import { type NewFileMedia, saveTemporaryFile } from "./temporary.js";

export interface MaterialsServices {
  readonly blobs: BlobStore;
  /** Keep a temporary media file made elsewhere (JS-SDK uploadImage/uploadVoice: source `jssdk`). */
  saveTemporary(m: NewFileMedia): Promise<{ mediaId: string; createdAt: number; expiresAt: number }>;
  /** Serve article pages (`/s/<slug>`) of another kind of article group, under a one-letter source. */
  addArticleSource(letter: string, source: ArticleSource): void;
  /** Refuse to delete permanent materials a feature uses (del_material answers 48005). */
  addInUseCheck(check: InUseCheck): void;
  /** The platform's address, for URLs ("" before it listens). */
  base(): string;
}

declare module "../../events.js" {
  interface PlatformEventMap {
    /** Media, a material, a draft or a publication of an account was added, changed or removed. */
    "materials.changed": MaterialsChange;
  }
}

declare module "../../module.js" {
  interface ModuleServices {
    materials: MaterialsServices;
  }
}

const SWEEP_EVERY_MS = 3600 * 1000;

export const materialsModule = defineModule({
  name: "materials",
  requires: ["accounts", "simulated-users", "push"],
  migrations: materialsMigrations,
  async setup(ctx): Promise<MaterialsServices> {
    const blobs: BlobStore =
      ctx.dialect === "postgres"
        ? new DbBlobStore(ctx.db)
        : new FileBlobStore(join(ctx.runtime.dataDir, "media"));
    const env: MaterialsEnv = {
      ctx,
      blobs,
      base: () => ctx.runtime.url,
      sources: new Map(),
      inUse: [],
      changed: (c) => ctx.events.emit("materials.changed", c),
    };
    await ctx.world.addPart(mediaWorldPart(ctx.db, blobs));
    implementMediaApi(env);
    implementMaterialApi(env);
    implementDraftApi(env);
    const publisher = new Publisher(env);
    implementPublishApi(env, publisher);
    addBuiltInSources(env);
    addPages(env);
    addMaterialRoutes(env);

    const sweep = () => ctx.background("media sweep", () => sweepMedia(ctx.db, blobs, ctx.clock.now()));
    const resume = () => ctx.background("publish resume", () => publisher.resume());
    const timer = setInterval(sweep, SWEEP_EVERY_MS);
    timer.unref();
    resume();
    sweep();
    ctx.events.on("world.replaced", resume);
    ctx.onClose(() => {
      clearInterval(timer);
      publisher.close();
    });

    return {
      blobs,
      async saveTemporary(m) {
        const policy = await materialPolicies.of(ctx.db, m.appid);
        const row = await saveTemporaryFile(ctx, blobs, m, policy.temporarySeconds * 1000);
        return { mediaId: row.media_id, createdAt: row.created_at, expiresAt: row.expires_at };
      },
      addArticleSource: (letter, source) => {
        if (env.sources.has(letter)) throw new Error(`article source ${letter} is taken`);
        env.sources.set(letter, source);
      },
      addInUseCheck: (check) => {
        env.inUse.push(check);
      },
      base: env.base,
    };
  },
});

export { newsItems, type StoredArticle } from "./articles.js";
export type { BlobStore } from "./blobs.js";
export { draftArticles, findDraft, removeDraft } from "./drafts.js";
export type { ArticleGroup, ArticleSource, InUseCheck, MaterialsChange } from "./env.js";
export { articleSlug, parseArticleRef } from "./ids.js";
export { findPermanent } from "./permanent.js";
export { pushSystemEventOnce, SYSTEM_USER_ID, systemEventHeader, systemOpenid } from "./system-push.js";
export { findTemporary, metaOf, type NewFileMedia } from "./temporary.js";
