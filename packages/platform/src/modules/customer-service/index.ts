/**
 * Customer-service module (spec/customer-service.md §2–§4): `message/custom/send` for every msgtype
 * and `message/custom/typing`, inside the service window the push module's openers define (the
 * 48-hour rule and per-scene counts, as policies), delivered into the user's conversation as kind
 * `customer_service`. A message sent as a customer-service account (`customservice.kf_account`)
 * is checked and recorded through the kf module (§5–§8: accounts, sessions, records live there).
 */
import { defineModule } from "../../module.js";
import { implementCustomerServiceApi } from "./api.js";
import { customerServiceMigrations } from "./migrations.js";
import { addCustomerServiceRoutes } from "./routes.js";

export const customerServiceModule = defineModule({
  name: "customer-service",
  requires: ["accounts", "simulated-users", "conversations", "push", "kf"],
  migrations: customerServiceMigrations,
  setup(ctx) {
    implementCustomerServiceApi(ctx);
    addCustomerServiceRoutes(ctx);
  },
});

export { type CustomerServicePolicy, csPolicyFor, DEFAULT_CS_POLICY, type WindowProfile } from "./policy.js";
export type { CustomerServicePayload, TypingState } from "./store.js";
export type { CustomMessage, TextLink } from "./validate.js";
export { type Grant, grantsOf, WINDOW_PROFILES } from "./window-grants.js";
