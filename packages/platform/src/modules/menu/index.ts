/**
 * Menu module: the default and personalised menus (menu.md), what each simulated user sees, and
 * the events a tap on each button type pushes to the developer's server.
 */
import { defineModule } from "../../module.js";
import { implementMenuApi } from "./api.js";
import { menuMigrations } from "./migrations.js";
import { MenuClients } from "./phone-menu.js";
import { addMenuRoutes } from "./routes.js";

export const menuModule = defineModule({
  name: "menu",
  requires: ["accounts", "simulated-users", "conversations", "follower-tags", "push"],
  migrations: menuMigrations,
  setup(ctx) {
    implementMenuApi(ctx);
    addMenuRoutes(ctx, new MenuClients(ctx));
  },
});

export { type ButtonClick, type ClickResult, clickButton } from "./click.js";
export { resolveMenu, ruleMatches } from "./match.js";
export * from "./store.js";
export type { MatchRule } from "./validate.js";
