/** Wire codecs of every known message type and event (field order = the order WeChat writes them). */
import {
  anyValue,
  type Codec,
  decimal,
  id,
  int,
  list,
  object,
  optional,
  repeated,
  type Shape,
  text,
} from "./codec.js";
import type {
  ArticleUrlResult,
  ClickEvent,
  CopyrightCheckItem,
  CopyrightCheckResult,
  InboundEvent,
  KfSessionEvent,
  KfSwitchSessionEvent,
  LocationEvent,
  LocationSelectEvent,
  MassSendJobFinishEvent,
  PicturesEvent,
  PublishEventInfo,
  PublishJobFinishEvent,
  ScanCodeEvent,
  ScanCodeInfo,
  ScanEvent,
  SendLocationInfo,
  SendPicsInfo,
  SubscribeEvent,
  SubscribeMsgChangeEvent,
  SubscribeMsgChangeItem,
  SubscribeMsgPopupEvent,
  SubscribeMsgPopupItem,
  SubscribeMsgSentEvent,
  SubscribeMsgSentItem,
  TemplateSendJobFinishEvent,
  UnsubscribeEvent,
  UserAuthorizationEvent,
  VerifyExpiryEvent,
  VerifyFailEvent,
  ViewEvent,
} from "./events.js";
import type {
  ImageMessage,
  InboundHeader,
  LinkMessage,
  LocationMessage,
  MessageTrailer,
  OrdinaryMessage,
  ShortVideoMessage,
  TextMessage,
  VideoMessage,
  VoiceMessage,
} from "./inbound.js";

/** What follows the header: the type's own fields, then the trailer (wire order of real pushes). */
type MessageBody<M> = Omit<M, keyof InboundHeader | "kind" | "MsgType">;

const trailer: Shape<MessageTrailer> = { MsgId: id, MsgDataId: optional(text), Idx: optional(int) };

const mediaVideo = { MediaId: text, ThumbMediaId: text };

/** Body codec of each ordinary message type, keyed by `MsgType`. */
export const messageBodies: {
  [M in OrdinaryMessage as M["MsgType"]]: Codec<MessageBody<M>>;
} = {
  text: object<MessageBody<TextMessage>>({ Content: text, ...trailer, bizmsgmenuid: optional(text) }),
  image: object<MessageBody<ImageMessage>>({ PicUrl: text, MediaId: text, ...trailer }),
  voice: object<MessageBody<VoiceMessage>>({
    MediaId: text,
    Format: text,
    Recognition: optional(text),
    MediaId16K: optional(text),
    ...trailer,
  }),
  video: object<MessageBody<VideoMessage>>({ ...mediaVideo, ...trailer }),
  shortvideo: object<MessageBody<ShortVideoMessage>>({ ...mediaVideo, ...trailer }),
  location: object<MessageBody<LocationMessage>>({
    Location_X: decimal,
    Location_Y: decimal,
    Scale: int,
    Label: text,
    ...trailer,
  }),
  link: object<MessageBody<LinkMessage>>({ Title: text, Description: text, Url: text, ...trailer }),
};

type EventBody<E> = Omit<E, keyof InboundHeader | "kind" | "MsgType" | "Event">;

const copyrightItem: Shape<CopyrightCheckItem> = {
  ArticleIdx: int,
  UserDeclareState: int,
  AuditState: int,
  OriginalArticleUrl: text,
  OriginalArticleType: int,
  CanReprint: int,
  NeedReplaceContent: int,
  NeedShowReprintSource: int,
};

const massSend: Shape<EventBody<MassSendJobFinishEvent>> = {
  MsgID: id,
  Status: text,
  TotalCount: int,
  FilterCount: int,
  SentCount: int,
  ErrorCount: int,
  CopyrightCheckResult: optional(
    object<CopyrightCheckResult>({
      Count: int,
      ResultList: list("item", object(copyrightItem)),
      CheckState: int,
    }),
  ),
  ArticleUrlResult: optional(
    object<ArticleUrlResult>({
      Count: int,
      ResultList: list("item", object({ ArticleIdx: int, ArticleUrl: text })),
    }),
  ),
};

const publishInfo: Shape<PublishEventInfo> = {
  publish_id: id,
  publish_status: int,
  article_id: optional(text),
  article_detail: optional(object({ count: int, item: repeated(object({ idx: int, article_url: text })) })),
  fail_idx: repeated(int),
};

const menuView = object<EventBody<ViewEvent>>({ EventKey: text, MenuId: optional(text) });
const scanCode = object<EventBody<ScanCodeEvent>>({
  EventKey: text,
  ScanCodeInfo: object<ScanCodeInfo>({ ScanType: text, ScanResult: text }),
});
const pictures = object<EventBody<PicturesEvent>>({
  EventKey: text,
  SendPicsInfo: object<SendPicsInfo>({ Count: int, PicList: list("item", object({ PicMd5Sum: text })) }),
});
const kfSession = object<EventBody<KfSessionEvent>>({ KfAccount: text });
const verifyExpiry = object<EventBody<VerifyExpiryEvent>>({ ExpiredTime: int });
const verifyFail = object<EventBody<VerifyFailEvent>>({ FailTime: int, FailReason: text });
const userAuthorization = object<EventBody<UserAuthorizationEvent>>({
  OpenID: text,
  AppID: text,
  RevokeInfo: optional(anyValue),
});

/** Body codec of each known event, keyed by `Event` (case-sensitive, as on the wire). */
export const eventBodies: { [E in InboundEvent as E["Event"]]: Codec<EventBody<E>> } = {
  subscribe: object<EventBody<SubscribeEvent>>({ EventKey: optional(text), Ticket: optional(text) }),
  unsubscribe: object<EventBody<UnsubscribeEvent>>({ EventKey: optional(text) }),
  SCAN: object<EventBody<ScanEvent>>({ EventKey: text, Ticket: optional(text) }),
  LOCATION: object<EventBody<LocationEvent>>({ Latitude: decimal, Longitude: decimal, Precision: decimal }),
  CLICK: object<EventBody<ClickEvent>>({ EventKey: text }),
  VIEW: menuView,
  view_miniprogram: menuView,
  scancode_push: scanCode,
  scancode_waitmsg: scanCode,
  pic_sysphoto: pictures,
  pic_photo_or_album: pictures,
  pic_weixin: pictures,
  location_select: object<EventBody<LocationSelectEvent>>({
    EventKey: text,
    SendLocationInfo: object<SendLocationInfo>({
      Location_X: text,
      Location_Y: text,
      Scale: text,
      Label: text,
      Poiname: optional(text),
    }),
  }),
  TEMPLATESENDJOBFINISH: object<EventBody<TemplateSendJobFinishEvent>>({ MsgID: id, Status: text }),
  MASSSENDJOBFINISH: object(massSend),
  PUBLISHJOBFINISH: object<EventBody<PublishJobFinishEvent>>({ PublishEventInfo: object(publishInfo) }),
  subscribe_msg_popup_event: object<EventBody<SubscribeMsgPopupEvent>>({
    SubscribeMsgPopupEvent: list(
      "List",
      object<SubscribeMsgPopupItem>({
        TemplateId: text,
        SubscribeStatusString: text,
        PopupScene: optional(int),
      }),
    ),
  }),
  subscribe_msg_change_event: object<EventBody<SubscribeMsgChangeEvent>>({
    SubscribeMsgChangeEvent: list(
      "List",
      object<SubscribeMsgChangeItem>({ TemplateId: text, SubscribeStatusString: text }),
    ),
  }),
  subscribe_msg_sent_event: object<EventBody<SubscribeMsgSentEvent>>({
    SubscribeMsgSentEvent: list(
      "List",
      object<SubscribeMsgSentItem>({ TemplateId: text, MsgID: id, ErrorCode: int, ErrorStatus: text }),
    ),
  }),
  kf_create_session: kfSession,
  kf_close_session: kfSession,
  kf_switch_session: object<EventBody<KfSwitchSessionEvent>>({ FromKfAccount: text, ToKfAccount: text }),
  qualification_verify_success: verifyExpiry,
  naming_verify_success: verifyExpiry,
  annual_renew: verifyExpiry,
  verify_expired: verifyExpiry,
  qualification_verify_fail: verifyFail,
  naming_verify_fail: verifyFail,
  user_info_modified: userAuthorization,
  user_authorization_revoke: userAuthorization,
  user_authorization_cancellation: userAuthorization,
};
