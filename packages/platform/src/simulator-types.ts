/**
 * Types of the simulator API's answers and bodies, taken from the code that makes them (the views
 * and TypeBox schemas of each module), for clients such as the console: a client imports them with
 * `import type` (no code), so a change in an answer's shape is a type error in the client.
 */
import type { Static } from "@sinclair/typebox";
import type { accountView } from "./modules/accounts/store.js";
import type { ApiCallEvent } from "./modules/core/events.js";
import type { JournalEntry } from "./modules/core/journal.js";
import type { ButtonClickSchema } from "./modules/menu/click.js";
import type { buttonsView } from "./modules/menu/views.js";
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
