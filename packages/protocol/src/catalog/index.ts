/**
 * The endpoint catalog: every declared WeChat endpoint, by group. Each area adds its group here;
 * the SDK's `client.<group>.<name>()` methods and the platform's routes follow from it.
 */
import { basic } from "./basics.js";
import { card } from "./card.js";
import { device } from "./device.js";
import { draft } from "./draft.js";
import { listEndpoints } from "./endpoint.js";
import { followers } from "./followers.js";
import { freepublish } from "./freepublish.js";
import { groups } from "./groups.js";
import { invoice } from "./invoice.js";
import { jssdk } from "./jssdk.js";
import { kf } from "./kf.js";
import { mass } from "./mass.js";
import { material } from "./material.js";
import { media } from "./media.js";
import { menu } from "./menu.js";
import { merchant } from "./merchant.js";
import { message } from "./message.js";
import { oauth } from "./oauth.js";
import { qrcode } from "./qrcode.js";
import { semantic } from "./semantic.js";
import { subscribe } from "./subscribe.js";
import { tags } from "./tags.js";
import { template } from "./template.js";

export const catalog = {
  basic,
  followers,
  tags,
  groups,
  menu,
  qrcode,
  message,
  media,
  template,
  subscribe,
  kf,
  material,
  draft,
  freepublish,
  mass,
  oauth,
  jssdk,
  card,
  merchant,
  device,
  invoice,
  semantic,
} as const;
export type Catalog = typeof catalog;

export const endpoints = listEndpoints(catalog);

export { Article, NewsContent, NewsItem, PageRequest } from "./articles.js";
export * from "./endpoint.js";
export { TICKET_TYPES, type TicketType } from "./jssdk.js";
export { MASS_MESSAGE_TYPES, type MassMessageType } from "./mass.js";
export { LISTED_MATERIAL_TYPES, type ListedMaterialType } from "./material.js";
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
