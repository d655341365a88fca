/**
 * The panel registry: each screen of the console is a panel registered here with its place in the
 * navigation (`phone` = the user simulator, `operator` = the console proper), its label (a key of
 * the i18n dictionaries) and its component. A new area (materials, mass jobs, templates, pay…)
 * adds a panel file and ONE line in `panels/index.ts`; nothing else changes. A panel's URL is
 * `#/<id>/<path…>?<query>`; it receives the path segments and query.
 */
import { type ComponentType, lazy } from "react";
import type { MessageKey } from "../i18n/index.js";

export interface PanelProps {
  /** Path segments after the panel id (`#/accounts/wx…` → ["wx…"]). */
  path: string[];
  query: URLSearchParams;
}

export interface Panel {
  id: string;
  section: "phone" | "operator";
  /** Position in the navigation (lower first). */
  order: number;
  label: MessageKey;
  Component: ComponentType<PanelProps>;
  /** Not in the navigation (reached by links, e.g. the errcode table). */
  hidden?: boolean;
}

const panels = new Map<string, Panel>();

export function registerPanel(panel: Panel): void {
  if (panels.has(panel.id)) throw new Error(`panel ${panel.id} registered twice`);
  panels.set(panel.id, panel);
}

export function allPanels(): Panel[] {
  return [...panels.values()].sort((a, b) =>
    a.section === b.section ? a.order - b.order : a.section === "phone" ? -1 : 1,
  );
}

export function panelById(id: string): Panel | undefined {
  return panels.get(id);
}

/** A panel whose code is loaded when it is first shown: `lazyPanel(() => import("./x.js"), "XPanel")`. */
export function lazyPanel<M extends Record<string, unknown>>(
  load: () => Promise<M>,
  name: keyof M & string,
): ComponentType<PanelProps> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType<PanelProps> }));
}
