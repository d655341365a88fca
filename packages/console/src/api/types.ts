/**
 * Types of the simulator API, from the platform's own code (`import type`: no code reaches the
 * bundle; a change of an answer's shape in the platform is a type error here). Answers the platform
 * does not name as a type are written out below, next to the route they come from.
 */
import type {
  AccountView,
  ApiCallEvent,
  ConversationMessage,
  FollowView,
  JournalCall,
  MenuButtonView,
  PermissionVerdict,
  PlatformEventMap,
  PushView,
  UserView,
} from "@mpstack/platform";

export type {
  MenuClickBody,
  PushAttemptRecord,
  PushStatus,
  ScanOutcome,
  UserMessageBody,
} from "@mpstack/platform";
export type {
  AccountView,
  ApiCallEvent,
  ConversationMessage,
  FollowView,
  JournalCall,
  MenuButtonView,
  PermissionVerdict,
  PlatformEventMap,
  PushView,
  UserView,
};

/** Every platform event name the stream may carry (modules add theirs; unknown names still arrive). */
export type LiveEventName = keyof PlatformEventMap;

/** `GET /accounts/{appid}/server` */
export interface ServerCheckView {
  server: AccountView["server"];
  lastCheck: {
    url: string;
    kind: string;
    ok: boolean;
    result: string;
    reason: string;
    status: number | null;
    latencyMs: number;
    checkedAt: number;
  } | null;
}

/** `GET /accounts/{appid}/permissions` */
export interface PermissionRowView {
  id: string;
  seed: string;
  cells: Record<"US" | "VS" | "UV" | "VV", "yes" | "no" | "apply">;
  cell: "yes" | "no" | "apply";
  overridden: boolean;
  grant: string | null;
  verdict: PermissionVerdict;
}

/** `GET /accounts/{appid}/qrcodes` */
export interface QrcodeView {
  ticket: string;
  appid: string;
  actionName: string;
  permanent: boolean;
  scene: string;
  url: string;
  createdAt: number;
  expireAt: number | null;
  expired: boolean;
}

/** `GET /users/{user}/menu` */
export interface PhoneMenu {
  appid: string;
  following: boolean;
  menuid: number | null;
  conditional: boolean;
  button: MenuButtonView[];
}

/** `/users/{user}/messages`, `/menu-click`, `/scan`: what a user action pushed. */
export interface PushResultView {
  pushId: string | null;
  status: string;
  reply: unknown;
  notice: string | null;
  attempts: unknown[];
}

/** `GET /clock` */
export interface ClockView {
  now: number;
  nowSeconds: number;
  iso: string;
  offsetMs: number;
}

export interface ErrcodeView {
  code: number;
  errmsg: string;
  meaning: string;
  quoted: boolean;
}

export interface TagView {
  id: number;
  name: string;
  count: number;
}
