/**
 * Chinese and English: every string of the console lives in `en.ts` and `zh.ts` (one place per
 * language; `zh` must have every key `en` has — a type error otherwise). The language comes from
 * the operator's choice (kept in localStorage) or the browser's languages.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { en, type MessageKey } from "./en.js";
import { zh } from "./zh.js";

export type Lang = "en" | "zh";
export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const DICTS: Record<Lang, Record<MessageKey, string>> = { en, zh };
const STORE = "mpstack.lang";

export function detectLang(languages: readonly string[], stored: string | null): Lang {
  if (stored === "en" || stored === "zh") return stored;
  for (const l of languages) {
    const low = l.toLowerCase();
    if (low.startsWith("zh")) return "zh";
    if (low.startsWith("en")) return "en";
  }
  return "en";
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = DICTS[lang][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

interface I18n {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
}

const Ctx = createContext<I18n>({ lang: "en", t: (k, v) => translate("en", k, v), setLang: () => {} });

function storedLang(): string | null {
  try {
    return localStorage.getItem(STORE);
  } catch {
    return null;
  }
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(
    () => initial ?? detectLang(navigator.languages ?? [], storedLang()),
  );
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORE, l);
    } catch {
      // not kept
    }
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (k, v) => translate(lang, k, v) }), [lang, setLang]);
  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  }, [lang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useI18n = () => useContext(Ctx);
export const useT = () => useContext(Ctx).t;

const formats = new Map<string, Intl.DateTimeFormat>();

/** Time of day (platform clock ms) in the UI's language (formatters are made once: lists format many). */
export function timeOf(ms: number, lang: Lang, withDate = false): string {
  const key = `${lang}${withDate ? "d" : ""}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", {
      ...(withDate ? { year: "numeric", month: "2-digit", day: "2-digit" } : {}),
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hour12: false,
    });
    formats.set(key, f);
  }
  return f.format(new Date(ms));
}
