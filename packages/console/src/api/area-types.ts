/**
 * Types of the simulator API answers read by the panels of the areas that came after the first
 * console (materials, mass, templates, kf, pay, cards, JS-SDK): the platform's own view types where
 * it names them (`import type`: no code reaches the bundle), the rest written out next to the route
 * they come from.
 */
import type {
  MassJobView,
  MerchantView,
  PayNotificationView,
  PayRefundView,
  PayTransactionView,
  PermanentMaterialView,
  PrivateTemplate,
  PublicationView,
  SubTemplate,
  TemporaryMediaView,
} from "@mpstack/platform";

export type {
  JssdkCallView,
  JssdkShareView,
  MassJobView,
  MerchantView,
  PayNotificationView,
  PermanentMaterialView,
  PrivateTemplate,
  SubTemplate,
  TemporaryMediaView,
} from "@mpstack/platform";

/** `GET /accounts/{appid}/materials` */
export interface MaterialsView {
  blobStore: string;
  temporary: TemporaryMediaView[];
  permanent: PermanentMaterialView[];
  counts: Record<string, number>;
  drafts: number;
  draftList: { mediaId: string; titles: string[]; createdAt: number; updatedAt: number }[];
  draftBoxOpen: boolean;
  publications: PublicationView[];
}

/** `GET /accounts/{appid}/mass-jobs` */
export interface MassJobsView {
  jobs: MassJobView[];
}

/** `GET /accounts/{appid}/templates` */
export interface TemplatesView {
  appid: string;
  industry: {
    primary: { code: number; first_class: string; second_class: string };
    secondary: { code: number; first_class: string; second_class: string };
  } | null;
  categories: number[];
  templates: PrivateTemplate[];
  onceTemplateId: string;
  sendsToday: number;
  recentSends: {
    msgid: number;
    openid: string;
    user: string;
    templateId: string;
    status: string;
    eventStatus: string | null;
    createdAt: number;
  }[];
}

/** `GET /accounts/{appid}/subscription-templates` */
export interface SubscriptionTemplatesView {
  templates: SubTemplate[];
}

/** `GET /kf/{appid}` */
export interface KfView {
  accounts: {
    kf_account: string;
    kf_nick: string;
    kf_id: string;
    worker: string | null;
    inviteStatus: string | null;
    online: boolean;
    autoAccept: boolean;
    sessions: number;
  }[];
  sessions: { user: string; openid: string; kfAccount: string; createdAt: number; lastActivity: number }[];
  waiting: { user: string; openid: string; kfAccount: string | null; latestTime: number }[];
}

/** `GET /pay/orders` */
export type PayOrderView = PayTransactionView & {
  api: string;
  prepayId: string;
  notifyUrl: string;
  user: string;
  createdAt: number;
  refunds: PayRefundView[];
};

export interface PayOrdersView {
  orders: PayOrderView[];
}

export interface PayNotificationsView {
  notifications: PayNotificationView[];
}

export type { MerchantView as Merchant };

/** `GET /accounts/{appid}/cards` */
export interface CardsView {
  cards: { cardId: string; type: string; status: string; quantity: number; card: unknown }[];
}
