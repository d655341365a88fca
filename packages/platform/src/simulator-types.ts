/**
 * Types of the simulator API's answers and bodies, taken from the code that makes them (the views
 * and TypeBox schemas of each module), for clients such as the console: a client imports them with
 * `import type` (no code), so a change in an answer's shape is a type error in the client.
 */
import type { Static } from "@sinclair/typebox";
import type { accountView } from "./modules/accounts/store.js";
import type { ApiCallEvent } from "./modules/core/events.js";
import type { JournalEntry } from "./modules/core/journal.js";
import type { listCalls, listShares } from "./modules/jssdk/records.js";
import type { jobView } from "./modules/mass/routes.js";
import type { MaterialTable, MediaTable, PublicationTable } from "./modules/materials/tables.js";
import type { ButtonClickSchema } from "./modules/menu/click.js";
import type { buttonsView } from "./modules/menu/views.js";
import type { merchantView } from "./modules/pay/merchant.js";
import type { v3Refund } from "./modules/pay/views.js";
import type { MessageBody } from "./modules/push/build.js";
import type { followView, User } from "./modules/simulated-users/store.js";

export type AccountView = ReturnType<typeof accountView>;
export type FollowView = ReturnType<typeof followView>;
export type UserView = User;
export type JournalCall = JournalEntry;
export type { ApiCallEvent };
export type MenuButtonView = ReturnType<typeof buttonsView>[number];
/** Body of `POST /_mpstack/users/{user}/messages`. */
export type UserMessageBody = Static<typeof MessageBody>;
/** Body of `POST /_mpstack/users/{user}/menu-click`. */
export type MenuClickBody = Static<typeof ButtonClickSchema>;
export type { PermissionVerdict } from "./modules/accounts/permissions-route.js";
export type { ConversationMessage } from "./modules/conversations/store.js";
export type { PushAttemptRecord, PushStatus, PushView } from "./modules/push/outbox.js";
export type { ScanOutcome } from "./modules/qrcode/scan.js";
export type { Qrcode, QrcodeSettings } from "./modules/qrcode/store.js";

// Areas with a console panel: materials, mass, templates, pay, JS-SDK.
/** `GET /accounts/{appid}/materials`: a temporary media file. */
export type TemporaryMediaView = Omit<MediaTable, "meta"> & { expired: boolean };
/** `GET /accounts/{appid}/materials`: a permanent material (news: its article titles). */
export type PermanentMaterialView = Omit<MaterialTable, "meta"> & { titles?: string[] };
/** `GET /accounts/{appid}/materials`: a publication (status: material.md §4). */
export type PublicationView = Pick<
  PublicationTable,
  "publish_id" | "article_id" | "status" | "created_at" | "finished_at" | "event_pushed"
> & { titles: string[] };
export type MassJobView = ReturnType<typeof jobView>;
export type MerchantView = ReturnType<typeof merchantView>;
export type { V3Transaction as PayTransactionView } from "./modules/pay/views.js";
export type PayRefundView = ReturnType<typeof v3Refund>;
export type { NotificationView as PayNotificationView } from "./modules/pay/notify-views.js";
export type { SubTemplate } from "./modules/subscribe-messages/store.js";
export type { PrivateTemplate } from "./modules/templates/store.js";
export type JssdkCallView = Awaited<ReturnType<typeof listCalls>>[number];
export type JssdkShareView = Awaited<ReturnType<typeof listShares>>[number];
