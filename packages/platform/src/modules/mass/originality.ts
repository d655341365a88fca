/**
 * The originality check (原创校验, mass-send.md §11) as the emulator simplifies it: an article says
 * what the check would find with a marker in its HTML — `data-mpstack-reprint="allowed"` (matches
 * an original that may be reprinted) or `"forbidden"` (may not be) — and the job goes on or stops
 * per the table of §11. Only article (mpnews) sends are checked.
 */
import type { CopyrightCheckItem, CopyrightCheckResult } from "@mpstack/protocol";
import type { StoredArticle } from "../materials/index.js";

export interface Originality {
  copyright: CopyrightCheckResult;
  /** The job's stopping status (`err(30002)`, `err(30003)`), or null when it is sent. */
  stop: string | null;
}

const MARKER = /data-mpstack-reprint\s*=\s*["']?(allowed|forbidden)/i;

function item(idx: number, canReprint: boolean): CopyrightCheckItem {
  return {
    ArticleIdx: idx,
    UserDeclareState: 0,
    AuditState: 2,
    OriginalArticleUrl: `http://mp.weixin.qq.com/s/mpstackOriginal${idx}`,
    OriginalArticleType: 1,
    CanReprint: canReprint ? 1 : 0,
    NeedReplaceContent: canReprint ? 1 : 0,
    NeedShowReprintSource: canReprint ? 1 : 0,
  };
}

export function checkOriginality(
  articles: readonly StoredArticle[] | undefined,
  ignoreReprint: boolean,
): Originality {
  if (!articles) return { copyright: { Count: 0, ResultList: [], CheckState: 0 }, stop: null };
  const items: CopyrightCheckItem[] = [];
  let forbidden = false;
  articles.forEach((a, i) => {
    const verdict = MARKER.exec(a.content)?.[1]?.toLowerCase();
    if (!verdict) return;
    if (verdict === "forbidden") forbidden = true;
    items.push(item(i + 1, verdict === "allowed"));
  });
  const result = (CheckState: number) => ({ Count: items.length, ResultList: items, CheckState });
  if (forbidden) return { copyright: result(3), stop: "err(30002)" };
  if (items.length > 0) return { copyright: result(2), stop: ignoreReprint ? null : "err(30003)" };
  return { copyright: result(1), stop: null };
}
