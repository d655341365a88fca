/**
 * What a follower sees of a template message (spec/template.md §1.1, §7.2, §11): the title, the
 * fields with their labels, and the jump (Mini Program first, else the URL). Under the 2023 rules
 * first/remark are hidden, values lose line breaks and show at most 20 characters; colours are gone.
 */
import type { TemplateField } from "./library/library.js";

export interface RenderedLine {
  key: string;
  label: string;
  value: string;
}

export interface TemplateCard {
  title: string;
  lines: RenderedLine[];
  url: string | null;
  miniprogram: { appid: string; pagepath: string } | null;
  /** What a tap opens: the Mini Program if given, else the URL, else nothing. */
  opens: "miniprogram" | "url" | null;
}

const HIDDEN_2023 = new Set(["first", "remark"]);

export function renderCard(
  title: string,
  fields: readonly TemplateField[],
  data: Record<string, { value: string }>,
  jump: { url?: string | undefined; miniprogram?: { appid: string; pagepath: string } | undefined },
  rules: "2023" | "legacy",
): TemplateCard {
  const lines: RenderedLine[] = [];
  for (const f of fields) {
    if (rules === "2023" && HIDDEN_2023.has(f.key)) continue;
    const raw = (Object.hasOwn(data, f.key) ? data[f.key]?.value : undefined) ?? "";
    const value = rules === "2023" ? [...raw.replace(/[\r\n]+/g, " ")].slice(0, 20).join("") : raw;
    lines.push({ key: f.key, label: f.label, value });
  }
  const url = jump.url ? jump.url : null;
  const miniprogram = jump.miniprogram ?? null;
  return { title, lines, url, miniprogram, opens: miniprogram ? "miniprogram" : url ? "url" : null };
}

/** The card as one text (queryblocktmplmsg's `content`). */
export function cardText(card: TemplateCard): string {
  return card.lines.map((l) => (l.label ? `${l.label}：${l.value}` : l.value)).join("\n");
}
