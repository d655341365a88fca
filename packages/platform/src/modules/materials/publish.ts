/**
 * Publishing (material.md §4): a submitted draft becomes a publication (status 1, publishing); the
 * job ends after the policy's `publishSeconds` — the group gets its article id and page URLs,
 * leaves the draft box, and PUBLISHJOBFINISH is pushed once. Jobs left unfinished by a stopped or
 * killed platform finish when it starts again.
 */
import { type Db, parseJsonColumn } from "../../db/schema.js";
import { getAccount } from "../accounts/index.js";
import type { StoredArticle } from "./articles.js";
import { draftArticles, findDraft, removeDraft } from "./drafts.js";
import type { MaterialsEnv } from "./env.js";
import { articleSlug, newArticleId, newDataId } from "./ids.js";
import { materialPolicies } from "./policy.js";
import { pushSystemEventOnce, systemEventHeader } from "./system-push.js";
import type { PublicationTable } from "./tables.js";

export const PUBLISHING = 1;
export const PUBLISHED = 0;
export const DELETED_BY_USER = 5;

export const publicationArticles = (p: PublicationTable) => parseJsonColumn<StoredArticle[]>(p.articles, []);
export const deletedOf = (p: PublicationTable) => new Set(parseJsonColumn<number[]>(p.deleted, []));

export function publishedUrlOf(env: MaterialsEnv, p: PublicationTable) {
  return (idx: number) =>
    `${env.base()}/s/${articleSlug({ source: "p", appid: p.appid, id: p.article_id, idx })}`;
}

export async function findPublication(db: Db, appid: string, publishId: string) {
  const row = await db
    .selectFrom("publications")
    .selectAll()
    .where("publish_id", "=", publishId)
    .executeTakeFirst();
  return row && row.appid === appid ? row : undefined;
}

export async function findByArticleId(db: Db, appid: string, articleId: string) {
  if (articleId === "") return undefined;
  return db
    .selectFrom("publications")
    .selectAll()
    .where("appid", "=", appid)
    .where("article_id", "=", articleId)
    .executeTakeFirst();
}

export class Publisher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly env: MaterialsEnv) {}

  /** Submit draft `mediaId` (already checked to exist); the job runs in the background. */
  async submit(appid: string, mediaId: string): Promise<PublicationTable> {
    const { ctx } = this.env;
    const draft = await findDraft(ctx.db, appid, mediaId);
    if (!draft) throw new Error(`draft ${mediaId} vanished`);
    const row: PublicationTable = {
      publish_id: newDataId(),
      appid,
      draft_id: mediaId,
      msg_data_id: newDataId(),
      article_id: "",
      status: PUBLISHING,
      articles: JSON.stringify(draftArticles(draft)),
      deleted: "[]",
      fail_idx: "[]",
      created_at: ctx.clock.now(),
      finished_at: null,
      event_pushed: 0,
    };
    await ctx.db.insertInto("publications").values(row).execute();
    const policy = await materialPolicies.of(ctx.db, appid);
    this.schedule(row.publish_id, policy.publishSeconds * 1000);
    return row;
  }

  private schedule(publishId: string, delayMs: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.finish(publishId).catch((err) =>
        this.env.ctx.log.error(
          { publishId, err: err instanceof Error ? err.message : String(err) },
          "publish failed",
        ),
      );
    }, delayMs);
    this.timers.add(t);
  }

  /** End the job: published, out of the draft box, then the event (once). */
  async finish(publishId: string): Promise<void> {
    const { ctx } = this.env;
    let row = await ctx.db
      .selectFrom("publications")
      .selectAll()
      .where("publish_id", "=", publishId)
      .executeTakeFirst();
    if (!row || this.closed) return;
    if (row.status === PUBLISHING) {
      const articleId = newArticleId();
      const now = ctx.clock.now();
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable("publications")
          .set({ status: PUBLISHED, article_id: articleId, finished_at: now })
          .where("publish_id", "=", publishId)
          .where("status", "=", PUBLISHING)
          .execute();
        await removeDraft(trx, row!.appid, row!.draft_id);
      });
      row = { ...row, status: PUBLISHED, article_id: articleId, finished_at: now };
      this.env.changed({ appid: row.appid, what: "publication", id: publishId, action: "updated" });
      this.env.changed({ appid: row.appid, what: "draft", id: row.draft_id, action: "deleted" });
    }
    if (row.event_pushed === 0) await this.pushResult(row);
  }

  private async pushResult(row: PublicationTable): Promise<void> {
    const { ctx } = this.env;
    const account = await getAccount(ctx.db, row.appid);
    if (!account) return;
    const urlOf = publishedUrlOf(this.env, row);
    const count = publicationArticles(row).length;
    const success = row.status === PUBLISHED || row.status === DELETED_BY_USER;
    await pushSystemEventOnce(
      ctx,
      row.appid,
      {
        ...systemEventHeader(account, ctx.clock.nowSeconds()),
        Event: "PUBLISHJOBFINISH",
        PublishEventInfo: {
          publish_id: row.publish_id,
          publish_status: row.status,
          ...(success
            ? {
                article_id: row.article_id,
                article_detail: {
                  count,
                  item: Array.from({ length: count }, (_, i) => ({ idx: i + 1, article_url: urlOf(i + 1) })),
                },
              }
            : {}),
          fail_idx: parseJsonColumn<number[]>(row.fail_idx, []),
        },
      },
      `<publish_id>${row.publish_id}</publish_id>`,
    );
    await ctx.db
      .updateTable("publications")
      .set({ event_pushed: 1 })
      .where("publish_id", "=", row.publish_id)
      .execute();
  }

  /** Finish whatever a previous run left: publishing jobs and results not yet pushed. */
  async resume(): Promise<void> {
    const rows = await this.env.ctx.db
      .selectFrom("publications")
      .select("publish_id")
      .where("event_pushed", "=", 0)
      .execute();
    for (const r of rows) await this.finish(r.publish_id);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
