/**
 * The endpoint catalog: every declared WeChat endpoint, by group. Each area adds its group here;
 * the SDK's `client.<group>.<name>()` methods and the platform's routes follow from it.
 */
import { basic } from "./basics.js";
import { listEndpoints } from "./endpoint.js";
import { jssdk } from "./jssdk.js";
import { media } from "./media.js";
import { menu } from "./menu.js";
import { message } from "./message.js";
import { oauth } from "./oauth.js";
import { qrcode } from "./qrcode.js";
import { user } from "./user.js";

export const catalog = { basic, user, menu, qrcode, message, media, oauth, jssdk } as const;
export type Catalog = typeof catalog;

export const endpoints = listEndpoints(catalog);

export * from "./endpoint.js";
export { TICKET_TYPES, type TicketType } from "./jssdk.js";
export { MEDIA_TYPES, type MediaType } from "./media.js";
export {
  MENU_BUTTON_TYPES,
  MENU_KEY_BUTTON_TYPES,
  type MenuButton,
  type MenuButtonType,
  type MenuSubButton,
} from "./menu.js";
export { CUSTOM_MESSAGE_TYPES } from "./message.js";
export { OAUTH_SCOPES, type OAuthScope } from "./oauth.js";
