/**
 * The MASSSENDJOBFINISH event of a job (mass-send.md §13), pushed once (materials' system-push),
 * and the article URLs of a mass send (`/s/<slug>` with source `m`: the mass module's pages).
 */
import type { CopyrightCheckResult } from "@mpstack/protocol";
import { parseJsonColumn } from "../../db/schema.js";
import { getAccount } from "../accounts/index.js";
import { articleSlug, pushSystemEventOnce, systemEventHeader } from "../materials/index.js";
import type { MassContext } from "./context.js";
import type { MassMessage } from "./message.js";
import type { MassJobTable } from "./tables.js";

export function massArticleUrl(
  base: string,
  job: Pick<MassJobTable, "appid" | "msg_id">,
  idx: number,
): string {
  return `${base}/s/${articleSlug({ source: "m", appid: job.appid, id: job.msg_id, idx })}`;
}

export function articleUrls(base: string, job: MassJobTable): { ArticleIdx: number; ArticleUrl: string }[] {
  if (job.status !== "SEND_SUCCESS" && job.status !== "DELETE") return [];
  const m = parseJsonColumn<MassMessage>(job.message, { msgtype: "text" });
  return (m.mpnews?.articles ?? []).map((_, i) => ({
    ArticleIdx: i + 1,
    ArticleUrl: massArticleUrl(base, job, i + 1),
  }));
}

export async function pushFinish(ctx: MassContext, job: MassJobTable): Promise<void> {
  const account = await getAccount(ctx.db, job.appid);
  if (account) {
    const urls = articleUrls(ctx.services.materials.base(), job);
    await pushSystemEventOnce(
      ctx,
      job.appid,
      {
        ...systemEventHeader(account, ctx.clock.nowSeconds()),
        Event: "MASSSENDJOBFINISH",
        MsgID: job.msg_id,
        Status: job.result,
        TotalCount: job.total,
        FilterCount: job.total - job.skipped,
        SentCount: job.sent,
        ErrorCount: job.errors,
        CopyrightCheckResult: parseJsonColumn<CopyrightCheckResult>(job.copyright, {
          Count: 0,
          ResultList: [],
          CheckState: 0,
        }),
        ArticleUrlResult: { Count: urls.length, ResultList: urls },
      },
      `<MsgID>${job.msg_id}</MsgID>`,
    );
  }
  await ctx.db
    .updateTable("mass_jobs")
    .set({ finish_pushed: 1 })
    .where("appid", "=", job.appid)
    .where("msg_id", "=", job.msg_id)
    .execute();
}
