/**
 * Event pushes (事件推送, callback.md §5, plus the events menu.md, qrcode-shorturl.md, users.md,
 * mass-send.md and template.md describe). Names and case are WeChat's, verbatim.
 */
import type { XmlValue } from "../xml.js";
import type { InboundHeader } from "./inbound.js";

export interface EventHeader<E extends string> extends InboundHeader {
  kind: "event";
  MsgType: "event";
  Event: E;
}

// ---- follow / QR scan / location -------------------------------------------------------------------

/** Follow. Via a parametric QR code `EventKey` is `qrscene_<scene>` and `Ticket` is set. */
export interface SubscribeEvent extends EventHeader<"subscribe"> {
  EventKey?: string;
  Ticket?: string;
}

export interface UnsubscribeEvent extends EventHeader<"unsubscribe"> {
  EventKey?: string;
}

/** An existing follower scanned a parametric QR code; `EventKey` is the bare scene value. */
export interface ScanEvent extends EventHeader<"SCAN"> {
  EventKey: string;
  Ticket?: string;
}

export interface LocationEvent extends EventHeader<"LOCATION"> {
  Latitude: number;
  Longitude: number;
  Precision: number;
}

// ---- custom menu ------------------------------------------------------------------------------------

export interface ClickEvent extends EventHeader<"CLICK"> {
  EventKey: string;
}

/** `EventKey` is the URL (VIEW) or the Mini Program page path (view_miniprogram). */
export interface ViewEvent extends EventHeader<"VIEW" | "view_miniprogram"> {
  EventKey: string;
  /** Id of the (conditional) menu the button belongs to; not always numeric in samples. */
  MenuId?: string;
}

export interface ScanCodeInfo {
  ScanType: string;
  ScanResult: string;
}

export interface ScanCodeEvent extends EventHeader<"scancode_push" | "scancode_waitmsg"> {
  EventKey: string;
  ScanCodeInfo: ScanCodeInfo;
}

export interface SendPicsInfo {
  Count: number;
  /** One entry per `PicList/item`, always an array. */
  PicList: { PicMd5Sum: string }[];
}

export interface PicturesEvent extends EventHeader<"pic_sysphoto" | "pic_photo_or_album" | "pic_weixin"> {
  EventKey: string;
  SendPicsInfo: SendPicsInfo;
}

/** Kept as text: the platform sends these as CDATA, unlike the `location` message's bare numbers. */
export interface SendLocationInfo {
  Location_X: string;
  Location_Y: string;
  Scale: string;
  Label: string;
  Poiname?: string;
}

export interface LocationSelectEvent extends EventHeader<"location_select"> {
  EventKey: string;
  SendLocationInfo: SendLocationInfo;
}

// ---- job results ------------------------------------------------------------------------------------

export interface TemplateSendJobFinishEvent extends EventHeader<"TEMPLATESENDJOBFINISH"> {
  /** The `msgid` template/send returned (upper-case `ID`). */
  MsgID: string;
  /** `success`, `failed:user block`, `failed: system failed`, … (exact strings). */
  Status: string;
}

export interface CopyrightCheckItem {
  ArticleIdx: number;
  UserDeclareState: number;
  AuditState: number;
  OriginalArticleUrl: string;
  OriginalArticleType: number;
  CanReprint: number;
  NeedReplaceContent: number;
  NeedShowReprintSource: number;
}

export interface CopyrightCheckResult {
  Count: number;
  ResultList: CopyrightCheckItem[];
  CheckState: number;
}

export interface ArticleUrlResult {
  Count: number;
  ResultList: { ArticleIdx: number; ArticleUrl: string }[];
}

export interface MassSendJobFinishEvent extends EventHeader<"MASSSENDJOBFINISH"> {
  MsgID: string;
  /** `send success`, `send fail` or `err(<code>)`. */
  Status: string;
  TotalCount: number;
  FilterCount: number;
  SentCount: number;
  ErrorCount: number;
  CopyrightCheckResult?: CopyrightCheckResult;
  ArticleUrlResult?: ArticleUrlResult;
}

export interface PublishEventInfo {
  publish_id: string;
  /** 0 success, 1 publishing, 2 originality failure, 3 failure, 4 review rejected, 5/6 deleted/banned. */
  publish_status: number;
  article_id?: string;
  article_detail?: { count: number; item: { idx: number; article_url: string }[] };
  /** 1-based indexes of failing articles (status 2 or 4); empty otherwise. */
  fail_idx: number[];
}

export interface PublishJobFinishEvent extends EventHeader<"PUBLISHJOBFINISH"> {
  PublishEventInfo: PublishEventInfo;
}

// ---- subscription messages (订阅通知) ----------------------------------------------------------------

export interface SubscribeMsgPopupItem {
  TemplateId: string;
  /** `accept` or `reject`. */
  SubscribeStatusString: string;
  /** 1 popup from an H5 page, 2 from an article. */
  PopupScene?: number;
}

export interface SubscribeMsgPopupEvent extends EventHeader<"subscribe_msg_popup_event"> {
  /** One entry per repeated `List` child. */
  SubscribeMsgPopupEvent: SubscribeMsgPopupItem[];
}

export interface SubscribeMsgChangeItem {
  TemplateId: string;
  SubscribeStatusString: string;
}

export interface SubscribeMsgChangeEvent extends EventHeader<"subscribe_msg_change_event"> {
  SubscribeMsgChangeEvent: SubscribeMsgChangeItem[];
}

export interface SubscribeMsgSentItem {
  TemplateId: string;
  MsgID: string;
  /** 0 = delivered. */
  ErrorCode: number;
  ErrorStatus: string;
}

export interface SubscribeMsgSentEvent extends EventHeader<"subscribe_msg_sent_event"> {
  SubscribeMsgSentEvent: SubscribeMsgSentItem[];
}

// ---- customer service, verification, authorisation -------------------------------------------------

export interface KfSessionEvent extends EventHeader<"kf_create_session" | "kf_close_session"> {
  KfAccount: string;
}

export interface KfSwitchSessionEvent extends EventHeader<"kf_switch_session"> {
  FromKfAccount: string;
  ToKfAccount: string;
}

export interface VerifyExpiryEvent
  extends EventHeader<
    "qualification_verify_success" | "naming_verify_success" | "annual_renew" | "verify_expired"
  > {
  ExpiredTime: number;
}

export interface VerifyFailEvent extends EventHeader<"qualification_verify_fail" | "naming_verify_fail"> {
  FailTime: number;
  FailReason: string;
}

export interface UserAuthorizationEvent
  extends EventHeader<
    "user_info_modified" | "user_authorization_revoke" | "user_authorization_cancellation"
  > {
  OpenID: string;
  AppID: string;
  /** Revoked H5 authorisations (revoke only); its layout is not settled by any source, so kept as parsed. */
  RevokeInfo?: XmlValue;
}

export type InboundEvent =
  | SubscribeEvent
  | UnsubscribeEvent
  | ScanEvent
  | LocationEvent
  | ClickEvent
  | ViewEvent
  | ScanCodeEvent
  | PicturesEvent
  | LocationSelectEvent
  | TemplateSendJobFinishEvent
  | MassSendJobFinishEvent
  | PublishJobFinishEvent
  | SubscribeMsgPopupEvent
  | SubscribeMsgChangeEvent
  | SubscribeMsgSentEvent
  | KfSessionEvent
  | KfSwitchSessionEvent
  | VerifyExpiryEvent
  | VerifyFailEvent
  | UserAuthorizationEvent;

export type InboundEventName = InboundEvent["Event"];
