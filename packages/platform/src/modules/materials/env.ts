/**
 * What the materials module's parts share once it is set up: the module context, the blob store,
 * the platform's public address (for URLs), the article sources of the page route, and the checks
 * that keep a material in use from being deleted.
 */
import type { ModuleContext } from "../../module.js";
import type { StoredArticle } from "./articles.js";
import type { BlobStore } from "./blobs.js";

export type MaterialsContext = ModuleContext<"accounts" | "simulated-users" | "push">;

/** An article group a page URL can show (`/s/<slug>`): its articles and which were deleted. */
export interface ArticleGroup {
  articles: StoredArticle[];
  /** 1-based indexes of deleted articles; `all` when the whole group is gone. */
  deleted: ReadonlySet<number> | "all";
}

/** Finds the group of a page URL: `source` letter of the slug, the account, the id in the slug. */
export type ArticleSource = (appid: string, id: string) => Promise<ArticleGroup | null>;

/** Says why a permanent material may not be deleted (e.g. "menu"), or null when it may. */
export type InUseCheck = (appid: string, mediaId: string) => Promise<string | null>;

/** What changed in an account's materials (the `materials.changed` event). */
export interface MaterialsChange {
  appid: string;
  what: "temporary" | "permanent" | "draft" | "publication" | "article_image";
  id: string;
  action: "added" | "updated" | "deleted";
}

export interface MaterialsEnv {
  readonly ctx: MaterialsContext;
  readonly blobs: BlobStore;
  /** The platform's address (`http://host:port`), "" before it listens. */
  base(): string;
  readonly sources: Map<string, ArticleSource>;
  readonly inUse: InUseCheck[];
  /** Tell listeners (the console) what changed. */
  changed(c: MaterialsChange): void;
}
