/**
 * The console's panels, one line each. A new area adds its panel file and one line here (its
 * label: one key in i18n/en.ts and i18n/zh.ts). Planned by the areas being built: materials, mass
 * jobs, templates, OAuth / JS-SDK pages, pay.
 */

import { AccountsPanel } from "../operator/accounts.js";
import { ApiLogPanel } from "../operator/api-log.js";
import { ClockPanel } from "../operator/clock.js";
import { ErrcodesPanel } from "../operator/errcodes.js";
import { MenusPanel } from "../operator/menus.js";
import { PermissionsPanel } from "../operator/permissions.js";
import { PushesPanel } from "../operator/pushes.js";
import { UsersPanel } from "../operator/users.js";
import { PhonesPanel } from "../phone/phones.js";
import { registerPanel } from "./registry.js";

registerPanel({ id: "phones", section: "phone", order: 10, label: "phones", Component: PhonesPanel });
registerPanel({
  id: "accounts",
  section: "operator",
  order: 10,
  label: "accounts",
  Component: AccountsPanel,
});
registerPanel({
  id: "permissions",
  section: "operator",
  order: 20,
  label: "permissions",
  Component: PermissionsPanel,
});
registerPanel({
  id: "users",
  section: "operator",
  order: 30,
  label: "usersFollowers",
  Component: UsersPanel,
});
registerPanel({ id: "menus", section: "operator", order: 40, label: "menusQr", Component: MenusPanel });
registerPanel({ id: "pushes", section: "operator", order: 50, label: "pushes", Component: PushesPanel });
registerPanel({ id: "api", section: "operator", order: 60, label: "apiLog", Component: ApiLogPanel });
registerPanel({ id: "clock", section: "operator", order: 70, label: "clockWorld", Component: ClockPanel });
registerPanel({
  id: "errcodes",
  section: "operator",
  order: 80,
  label: "errcodes",
  Component: ErrcodesPanel,
  hidden: true,
});
