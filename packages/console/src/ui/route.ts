/** Hash routing: `#/<panel>/<segments…>?<query>` (the platform serves one page; no server routes). */
import { useSyncExternalStore } from "react";

export interface Route {
  panel: string;
  path: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, "");
  const [p = "", q = ""] = h.split("?", 2) as [string, string?];
  const parts = p.split("/").filter(Boolean).map(decodeURIComponent);
  return { panel: parts[0] ?? "", path: parts.slice(1), query: new URLSearchParams(q) };
}

export function href(panel: string, path: string[] = [], query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v) q.set(k, v);
  const qs = q.toString();
  return `#/${[panel, ...path].map(encodeURIComponent).join("/")}${qs ? `?${qs}` : ""}`;
}

export function navigate(to: string): void {
  window.location.hash = to;
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(
    (l) => {
      window.addEventListener("hashchange", l);
      return () => window.removeEventListener("hashchange", l);
    },
    () => window.location.hash,
  );
  return parseHash(hash);
}
