/**
 * Menu module: the default and personalised menus (menu.md), what each simulated user sees, and
 * the events a tap on each button type pushes to the developer's server.
 */
import type { PlatformModule } from "../../context.js";
import { implementMenuApi } from "./api.js";
import { MenuClients } from "./client.js";
import { menuMigrations } from "./migrations.js";
import { addMenuRoutes } from "./routes.js";

export const menuModule: PlatformModule = {
  name: "menu",
  migrations: menuMigrations,
  setup(ctx) {
    implementMenuApi(ctx);
    addMenuRoutes(ctx, new MenuClients(ctx));
  },
};

export { type ButtonClick, type ClickResult, clickButton } from "./click.js";
export { resolveMenu, ruleMatches } from "./match.js";
export * from "./store.js";
export { provideTagLookup, type TagLookup } from "./tags.js";
export type { MatchRule } from "./validate.js";
