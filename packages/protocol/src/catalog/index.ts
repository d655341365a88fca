/**
 * The endpoint catalog: every declared WeChat endpoint, by group. Each area adds its group here;
 * the SDK's `client.<group>.<name>()` methods and the platform's routes follow from it.
 */
import { basic } from "./basics.js";
import { card } from "./card.js";
import { device } from "./device.js";
import { listEndpoints } from "./endpoint.js";
import { invoice } from "./invoice.js";
import { media } from "./media.js";
import { menu } from "./menu.js";
import { merchant } from "./merchant.js";
import { message } from "./message.js";
import { qrcode } from "./qrcode.js";
import { semantic } from "./semantic.js";
import { user } from "./user.js";

export const catalog = {
  basic,
  user,
  menu,
  qrcode,
  message,
  media,
  card,
  merchant,
  device,
  invoice,
  semantic,
} as const;
export type Catalog = typeof catalog;

export const endpoints = listEndpoints(catalog);

export * from "./endpoint.js";
export { MEDIA_TYPES, type MediaType } from "./media.js";
export {
  MENU_BUTTON_TYPES,
  MENU_KEY_BUTTON_TYPES,
  type MenuButton,
  type MenuButtonType,
  type MenuSubButton,
} from "./menu.js";
export { CUSTOM_MESSAGE_TYPES } from "./message.js";
