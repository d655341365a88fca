/**
 * The console's panels, one line each. A new area adds its panel file and one line here (its
 * label: one key in i18n/en.ts and i18n/zh.ts). The phones are in the first screen's code; every
 * operator panel is loaded when first opened (`lazyPanel`), so the first screen stays small.
 */
import { PhonesPanel } from "../phone/phones.js";
import { lazyPanel, registerPanel } from "./registry.js";

registerPanel({ id: "phones", section: "phone", order: 10, label: "phones", Component: PhonesPanel });
registerPanel({
  id: "accounts",
  section: "operator",
  order: 10,
  label: "accounts",
  Component: lazyPanel(() => import("../operator/accounts.js"), "AccountsPanel"),
});
registerPanel({
  id: "permissions",
  section: "operator",
  order: 20,
  label: "permissions",
  Component: lazyPanel(() => import("../operator/permissions.js"), "PermissionsPanel"),
});
registerPanel({
  id: "users",
  section: "operator",
  order: 30,
  label: "usersFollowers",
  Component: lazyPanel(() => import("../operator/users.js"), "UsersPanel"),
});
registerPanel({
  id: "menus",
  section: "operator",
  order: 40,
  label: "menusQr",
  Component: lazyPanel(() => import("../operator/menus.js"), "MenusPanel"),
});
registerPanel({
  id: "materials",
  section: "operator",
  order: 42,
  label: "materials",
  Component: lazyPanel(() => import("../operator/materials.js"), "MaterialsPanel"),
});
registerPanel({
  id: "mass",
  section: "operator",
  order: 44,
  label: "massJobs",
  Component: lazyPanel(() => import("../operator/mass.js"), "MassPanel"),
});
registerPanel({
  id: "templates",
  section: "operator",
  order: 46,
  label: "templatesSubs",
  Component: lazyPanel(() => import("../operator/templates.js"), "TemplatesPanel"),
});
registerPanel({
  id: "pay",
  section: "operator",
  order: 47,
  label: "payCards",
  Component: lazyPanel(() => import("../operator/pay.js"), "PayPanel"),
});
registerPanel({
  id: "jssdk",
  section: "operator",
  order: 48,
  label: "jssdk",
  Component: lazyPanel(() => import("../operator/jssdk.js"), "JssdkPanel"),
});
registerPanel({
  id: "pushes",
  section: "operator",
  order: 50,
  label: "pushes",
  Component: lazyPanel(() => import("../operator/pushes.js"), "PushesPanel"),
});
registerPanel({
  id: "api",
  section: "operator",
  order: 60,
  label: "apiLog",
  Component: lazyPanel(() => import("../operator/api-log.js"), "ApiLogPanel"),
});
registerPanel({
  id: "clock",
  section: "operator",
  order: 70,
  label: "clockWorld",
  Component: lazyPanel(() => import("../operator/clock.js"), "ClockPanel"),
});
registerPanel({
  id: "errcodes",
  section: "operator",
  order: 80,
  label: "errcodes",
  Component: lazyPanel(() => import("../operator/errcodes.js"), "ErrcodesPanel"),
  hidden: true,
});
