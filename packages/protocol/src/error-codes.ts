/**
 * WeChat's return codes (spec/basics.md §8 and the error tables of users.md, menu.md,
 * qrcode-shorturl.md, customer-service.md and material.md), as data.
 *
 * `errmsg` is WeChat's own English text, word for word, where the spec quotes one (`quoted: true`):
 * SDKs match on some of them (EasyWeChat retries only on "access_token expired"). Where the spec has
 * no text, `errmsg` is a short phrase in the same style written for mpstack (`quoted: false`), or
 * the wording of WeChat's own doc page for the API where it gives one (most 760xx codes).
 *
 * The platform answers with these texts and the SDK recognises them: this is the one table.
 */
import { APPLIED_ERRORS } from "./errors-applied.js";

export interface ErrorCodeInfo {
  /** The text of `errmsg`, without the ` rid: …` suffix. `{name}` marks a value filled in per call. */
  readonly errmsg: string;
  /** What the code means, in short English. */
  readonly meaning: string;
  /** True when `errmsg` is WeChat's wording as the spec quotes it. */
  readonly quoted: boolean;
}

interface Entry<C extends number> extends ErrorCodeInfo {
  readonly code: C;
}

/** A code whose errmsg the spec quotes from WeChat. */
const q = <C extends number>(code: C, errmsg: string, meaning: string): Entry<C> => ({
  code,
  errmsg,
  meaning,
  quoted: true,
});
/** A code the spec gives no errmsg for: the text is ours. */
const d = <C extends number>(code: C, errmsg: string, meaning: string): Entry<C> => ({
  code,
  errmsg,
  meaning,
  quoted: false,
});

const TABLE = {
  SystemError: q(-1, "system error", "System busy; retry later"),
  Ok: q(0, "ok", "Success"),

  // 400xx — invalid values
  InvalidCredential: q(
    40001,
    "invalid credential, access_token is invalid or not latest",
    "Wrong AppSecret, or the access_token is invalid or superseded (old token after its 5-minute overlap)",
  ),
  InvalidGrantType: q(40002, "invalid grant_type", "Invalid credential type (grant_type)"),
  InvalidOpenId: q(40003, "invalid openid", "Invalid OpenID (unknown, or of another account)"),
  InvalidMediaType: q(40004, "invalid media type", "Invalid media file type"),
  InvalidFileType: d(40005, "invalid file type", "Invalid file type"),
  InvalidFileSize: d(40006, "invalid file size", "Invalid file size"),
  InvalidMediaId: q(40007, "invalid media_id", "Invalid media_id"),
  InvalidMessageType: q(40008, "invalid message type", "Invalid message type"),
  InvalidImageSize: q(40009, "invalid image size", "Invalid image file size"),
  InvalidVoiceSize: q(40010, "invalid voice size", "Invalid voice file size"),
  InvalidVideoSize: q(40011, "invalid video size", "Invalid video file size"),
  InvalidThumbSize: q(40012, "invalid thumb size", "Invalid thumbnail file size"),
  InvalidAppId: q(40013, "invalid appid", "Invalid AppID (check characters and case)"),
  InvalidAccessToken: q(
    40014,
    "invalid access_token",
    "Invalid access_token (malformed, or of another account)",
  ),
  InvalidMenuType: q(40015, "invalid menu type", "Invalid menu type"),
  InvalidButtonSize: q(40016, "invalid button size", "Invalid number of buttons"),
  InvalidButtonType: q(40017, "invalid button type", "Invalid button type"),
  InvalidButtonNameSize: q(40018, "invalid button name size", "Invalid button name length"),
  InvalidButtonKeySize: q(40019, "invalid button key size", "Invalid button KEY length"),
  InvalidButtonUrlSize: q(40020, "invalid button url size", "Invalid button URL length"),
  InvalidMenuVersion: d(40021, "invalid menu version", "Invalid menu version"),
  InvalidSubMenuLevel: q(40022, "invalid sub_menu level", "Invalid sub-menu level (no third level)"),
  InvalidSubButtonSize: q(40023, "invalid sub button size", "Invalid number of sub-menu buttons"),
  InvalidSubButtonType: q(40024, "invalid sub button type", "Invalid sub-menu button type"),
  InvalidSubButtonNameSize: q(40025, "invalid sub button name size", "Invalid sub-menu button name length"),
  InvalidSubButtonKeySize: q(40026, "invalid sub button key size", "Invalid sub-menu button KEY length"),
  InvalidSubButtonUrlSize: q(40027, "invalid sub button url size", "Invalid sub-menu button URL length"),
  InvalidMenuUser: d(40028, "invalid menu user", "Invalid custom-menu user"),
  InvalidCode: q(40029, "invalid code", "Invalid OAuth code (网页授权 code)"),
  InvalidRefreshToken: q(40030, "invalid refresh_token", "Invalid refresh_token"),
  InvalidOpenIdList: d(40031, "invalid openid list", "Invalid OpenID list"),
  InvalidOpenIdListSize: q(
    40032,
    "invalid openid list size",
    "Invalid OpenID list length (empty or too long)",
  ),
  InvalidCharset: q(
    40033,
    "invalid charset. please check your request, if include \\uxxxx will create fail!",
    "Invalid request characters: JSON must not contain \\uXXXX escapes (send raw UTF-8)",
  ),
  InvalidParameter: d(40035, "invalid parameter", "Invalid parameter"),
  InvalidTemplateIdSize: q(40036, "invalid template_id size", "Invalid template_id length"),
  InvalidTemplateId: q(40037, "invalid template_id", "Invalid template_id"),
  InvalidRequestFormat: d(40038, "invalid request format", "Invalid request format"),
  InvalidUrlSize: q(40039, "invalid url size", "Invalid URL length"),
  InvalidUrlDomain: q(40048, "invalid url domain", "Invalid URL domain"),
  InvalidGroupId: d(40050, "invalid group id", "Invalid group (tag) id"),
  InvalidGroupName: d(40051, "invalid group name", "Invalid group name"),
  InvalidActionInfo: q(
    40053,
    "invalid action info, please check document",
    "Invalid action_info (e.g. QR code creation)",
  ),
  InvalidSubButtonUrlDomain: q(40054, "invalid sub button url domain", "Invalid sub-menu button URL domain"),
  InvalidButtonUrlDomain: q(40055, "invalid button url domain", "Invalid menu button URL domain"),
  InvalidMsgId: q(40059, "invalid msg id", "Unknown mass-send msg_id (or neither msg_id nor url given)"),
  InvalidArticleIdx: d(40060, "invalid article_idx", "Invalid article_idx when deleting a single article"),
  InvalidUrl: q(40066, "invalid url", "Invalid URL (check the API path)"),
  InvalidCardId: q(40073, "invalid card id", "Invalid card id"),
  InvalidRemarkName: q(40092, "invalid remark name", "Remark too long or with illegal characters"),
  InvalidArgs: d(40097, "invalid args", "Invalid argument"),
  InvalidIndustryId: d(40102, "invalid industry id", "Unknown industry code (api_set_industry)"),
  InvalidGroupNameLegacy: d(40117, "invalid group name", "Invalid group name"),
  InvalidIndexValue: d(40114, "invalid index value", "Article index out of range"),
  InvalidMediaIdSize: d(40118, "invalid media_id size", "Invalid media_id length"),
  WrongButtonType: d(40119, "button type error", "Wrong button type"),
  WrongSubButtonType: d(40120, "sub button type error", "Wrong sub-button type"),
  InvalidMediaIdType: d(
    40121,
    "invalid media type in view_limited",
    "Invalid media_id type (e.g. view_limited pointing to a non-news material)",
  ),
  InvalidAppSecret: q(40125, "invalid appsecret", "Invalid AppSecret"),
  OpenIdListTooShort: q(
    40130,
    "invalid openid list size, at least two openid",
    "A mass send by OpenID list needs at least two OpenIDs",
  ),
  InvalidWechatId: d(40132, "invalid wechat id", "Invalid WeChat ID"),
  UnsupportedImageFormat: d(40137, "invalid image format", "Unsupported image format"),
  HomePageLinkNotAllowed: d(
    40155,
    "please don't contain other home page url",
    "Do not add links to other accounts' home pages",
  ),
  CodeBeenUsed: d(40163, "code been used", "OAuth code already used"),
  IpNotInWhitelist: q(
    40164,
    "invalid ip {ip}, not in whitelist",
    "Caller IP is not in the account's API IP whitelist (token endpoints)",
  ),
  InvalidWeappAppId: q(40166, "invalid weapp appid", "Unknown Mini Program appid (menu miniprogram button)"),
  InvalidAccountType: q(
    40200,
    "invalid account type",
    "Account type may not use this feature (e.g. msgmenu)",
  ),
  InvalidCheckUrl: q(40201, "invalid check url", "callback/check: invalid callback URL"),
  InvalidCheckAction: q(40202, "invalid check action", "callback/check: invalid action"),
  InvalidCheckOperator: q(40203, "invalid check operator", "callback/check: invalid check_operator"),
  AppSecretFrozen: d(40243, "appsecret frozen", "AppSecret is frozen; tokens cannot be fetched with it"),
  InvalidKeywordList: d(
    40246,
    "invalid keyword_name_list",
    "api_add_template: keyword list empty or naming a keyword the template lacks",
  ),

  // 410xx — missing parameters
  AccessTokenMissing: q(41001, "access_token missing", "access_token parameter missing"),
  AppIdMissing: q(41002, "appid missing", "appid parameter missing"),
  RefreshTokenMissing: d(41003, "refresh_token missing", "refresh_token parameter missing"),
  SecretMissing: d(41004, "appsecret missing", "secret parameter missing"),
  MediaDataMissing: d(41005, "media data missing", "Media file data missing"),
  MediaIdMissing: q(41006, "media_id missing", "media_id parameter missing"),
  SubMenuDataMissing: d(41007, "sub_menu data missing", "Sub-menu data missing"),
  CodeMissing: d(41008, "missing code", "OAuth code missing"),
  OpenIdMissing: d(41009, "missing openid", "openid missing"),
  UrlMissing: d(41010, "missing url", "URL missing (shorturl long_url)"),
  InvalidPage: d(41030, "invalid page", "Mini Program page path invalid (bizsend)"),

  // 420xx — expired
  AccessTokenExpired: q(42001, "access_token expired", "access_token expired (past its lifetime)"),
  RefreshTokenExpired: d(42002, "refresh_token expired", "refresh_token expired"),
  CodeExpired: d(42003, "code expired", "OAuth code expired"),
  UserPasswordChanged: d(
    42007,
    "access_token and refresh_token exception",
    "User changed WeChat password; web-auth tokens invalid, re-authorise",
  ),

  // 430xx — requirements
  RequireGetMethod: q(43001, "require GET method", "GET required"),
  RequirePostMethod: q(43002, "require POST method", "POST required"),
  RequireHttps: q(43003, "require https", "HTTPS required"),
  RequireSubscribe: q(43004, "require subscribe", "Recipient must follow the account"),
  RequireFriendRelations: d(43005, "require friend relations", "Friend relation required"),
  RequireRemoveBlacklist: q(43019, "require remove blacklist", "Recipient is in the blacklist; remove first"),
  ChangeTemplateTooFrequently: q(
    43100,
    "change template too frequently",
    "Industry/template changed too often",
  ),
  UserRefuseToAcceptMsg: q(
    43101,
    "user refuse to accept the msg",
    "User refused the (subscribe) message / cancelled the subscription",
  ),
  AddTemplateForbidden: q(
    43106,
    "not allow to add template, for punishment",
    "The account is punished and may not add templates",
  ),

  // 440xx — empty
  EmptyMediaData: d(44001, "empty media data", "Media file empty"),
  EmptyPostData: q(44002, "empty post data", "POST body empty"),
  EmptyNewsData: d(44003, "empty news data", "News (article) message content empty"),
  EmptyContent: q(44004, "empty content", "Text message content empty"),

  // 450xx — limits
  MediaSizeOutOfLimit: d(45001, "media size out of limit", "Media file too large"),
  ContentSizeOutOfLimit: q(45002, "content size out of limit", "Message content too long"),
  TitleSizeOutOfLimit: d(45003, "title size out of limit", "Title too long"),
  DescriptionSizeOutOfLimit: d(45004, "description size out of limit", "Description too long"),
  UrlSizeOutOfLimit: d(45005, "url size out of limit", "Link too long"),
  PicUrlSizeOutOfLimit: d(45006, "picurl size out of limit", "Picture link too long"),
  PlaytimeOutOfLimit: d(45007, "playtime out of limit", "Voice too long (over 60 s)"),
  ArticleSizeOutOfLimit: q(45008, "article size out of limit", "Too many articles in a news message"),
  ApiDailyQuotaReached: q(
    45009,
    "reach max api daily quota limit",
    'Daily API quota exhausted (older docs print errmsg "api freq out of limit")',
  ),
  MenuCreateLimit: d(45010, "create menu limit", "Too many menus created"),
  ApiMinuteQuotaReached: q(
    45011,
    "api minute-quota reach limit must slower retry next minute",
    "Per-minute frequency limit hit",
  ),
  ResponseOutOfTimeLimit: q(
    45015,
    "response out of time limit or subscription is canceled",
    "No open customer-service window for the user, or the user no longer follows",
  ),
  CannotModifySysGroup: q(45016, "can't modify sys group", "System group cannot be modified"),
  GroupNameTooLong: d(45017, "group name too long", "Group name too long"),
  TooManyGroups: q(45018, "too many group now, no need to add new", "Too many groups (legacy groups API)"),
  TemplateNumExceedsLimit: q(45026, "template num exceeds limit", "Too many templates"),
  TemplateConflictWithIndustry: q(
    45027,
    "template conflict with industry",
    "Template conflicts with industry",
  ),
  NoMassSendQuota: q(45028, "has no masssend quota", "No mass-send quota left"),
  QrcodeCountOutOfLimit: q(45029, "qrcode count out of limit", "Too many permanent QR codes (100 000)"),
  OutOfResponseCountLimit: q(
    45047,
    "out of response count limit",
    "Customer-service message count over the window limit",
  ),
  TooManyTags: q(45056, "too many tag now, no need to add new", "Too many tags (at most 100)"),
  TagHasTooManyFans: q(
    45057,
    "can't delete the tag that has too many fans",
    "Tag with more than 100 000 fans cannot be deleted",
  ),
  CannotModifySysTag: q(45058, "can't modify sys tag", "System tags 0, 1, 2 cannot be changed"),
  TooManyTagsOnUser: q(45059, "can not tagging one user too much", "A user can carry at most 20 tags"),
  WeappNotLinkedInMenu: q(
    45064,
    "no permission to use weapp in menu",
    "Menu contains a Mini Program not linked to the account",
  ),
  ClientMsgIdExists: d(
    45065,
    "clientmsgid exist",
    "A mass send with the same clientmsgid exists; the response carries the existing msgid",
  ),
  ClientMsgIdRetryTooFast: d(
    45066,
    "same clientmsgid retry too fast",
    "Same clientmsgid retried too fast; wait 1 minute",
  ),
  ClientMsgIdSizeOutOfLimit: d(45067, "clientmsgid size out of limit", "clientmsgid too long"),
  InvalidCommand: q(45072, "invalid command", "Typing command not Typing/CancelTyping"),
  MaterialCountOutOfLimit: d(
    45074,
    "material list size out of limit, you should delete the useless material",
    "Too many permanent materials of this kind",
  ),
  NoRecentInteractionForTyping: q(
    45080,
    "need sending message to user, or recving message from user in the last 30 seconds before typing",
    "Typing needs a message exchange with the user in the last 30 seconds",
  ),
  AlreadyTyping: q(45081, "you are already typing", "Typing again within 15 seconds"),
  SpeedOutOfRange: q(45083, "the speed out of range", "Mass-send speed not in 0..4"),
  NoSpeedMessage: q(45084, "No speed message", "Mass-send speed not set"),
  InvalidMiniProgramAppIdAttribute: q(
    45086,
    "invalid attrbute 'data-miniprogram-appid'",
    "Mini Program in a text link is not linked to the account",
  ),
  MsgMenuListSizeOutOfLimit: q(45098, "msgmenu list size is out of limit", "Too many msgmenu items"),
  MsgMenuItemContentSizeOutOfLimit: q(
    45099,
    "msgmenu item content size is out of limit",
    "msgmenu item text too long",
  ),
  ApiUnsupported: q(45103, "This API has been unsupported", "The API has been retired (shorturl)"),
  InvalidTagName: q(45157, "invalid tag name", "Invalid or duplicate tag name"),
  TagNameTooLong: q(45158, "tag name too long", "Tag name too long (30 bytes)"),
  InvalidTagId: q(45159, "invalid tag id", "Invalid tag id"),
  InvalidType: q(45162, "invalid type", "A field has the wrong JSON type (e.g. news.articles not an array)"),
  OpenIdMuchRequest: q(45169, "openid much req", "Concurrent tagging of the same OpenID (unverified)"),
  SomeOpenIdFail: q(45171, "some openid fail", "Tagging failed for some OpenIDs (unverified)"),

  // 460xx — not found
  MediaDataNoExist: d(46001, "media data no exist", "Media data does not exist"),
  MenuVersionNoExist: d(46002, "menu version no exist", "Menu version does not exist"),
  MenuNoExist: q(46003, "menu no exist", "Menu data does not exist"),
  UserNoExist: d(46004, "user no exist", "User does not exist"),

  // 470xx — format
  DataFormatError: q(47001, "data format error", "JSON/XML parse error or wrong field"),
  JsonUnicodeEncoded: q(
    47002,
    "data format error, do NOT use json unicode encode (\\uxxxx\\uxxxx), please use utf8 encoded text!",
    "JSON contains \\uXXXX escapes (send raw UTF-8)",
  ),
  ArgumentInvalid: q(47003, "argument invalid!", "Arguments invalid; WeChat appends the field name"),

  // 480xx — authorisation
  ApiUnauthorized: q(48001, "api unauthorized", "API not authorised for this account type/permission"),
  UserBlockReceiveMessage: q(48002, "user block receive message", "Fan has turned off receiving messages"),
  MassSendProtocolNotAgreed: q(
    48003,
    "user not agree mass-send protocol",
    "Mass-send agreement not accepted",
  ),
  ApiForbiddenForIrregularities: q(48004, "api forbidden for irregularities", "API banned for violations"),
  ForbidRemoveMaterialInUse: d(
    48005,
    "forbid to remove material referenced by auto-reply or menu",
    "Material referenced by auto-reply or menu cannot be deleted",
  ),
  ForbidClearQuota: q(
    48006,
    "forbid to clear quota because of reaching the limit",
    "Quota reset not allowed: monthly reset count used up",
  ),
  NoPermissionForMessageType: d(
    48008,
    "no permission for this msgtype",
    "No permission to send this message type",
  ),
  VideoNotForMassSend: d(
    48013,
    "video not uploaded through uploadvideo, can not be mass sent",
    "The video was not prepared with media/uploadvideo, so a mass send cannot carry it",
  ),
  OpenIdNotMatchAppId: q(49003, "not match openid with appid", "OpenID does not belong to this account"),

  // 500xx — user
  UserUnauthorized: q(50001, "user unauthorized", "User has not authorised this API"),
  UserLimited: q(50002, "user limited", "User restricted (banned, frozen or cancelled account)"),
  AccessTokenForbidden: q(
    50004,
    "user not allow to use accesstoken, maybe for punishment",
    "Account may not use access tokens (punishment)",
  ),
  UserNotFans: d(50005, "user not fans", "User does not follow the account"),

  // 53xxx — publishing
  PublishRestricted: d(53500, "publish restricted", "Publishing restricted"),
  PublishQuotaExceeded: d(53501, "publish quota exceeded", "Publishing quota exceeded"),
  InvalidPublishId: d(53502, "invalid publish_id", "Invalid publish_id"),
  InvalidArticleId: d(53600, "invalid article id", "Invalid article_id"),

  // 61xxx — IP whitelist, third-party platforms, legacy customer service
  ClientIpNotRegistered: q(
    61004,
    "access clientip is not registered, not in ip-white-list",
    "Caller IP not in the whitelist (newer token guide)",
  ),
  ApiUnauthorizedToComponent: q(
    61007,
    "api is unauthorized to component",
    "API not authorised to the third-party platform",
  ),
  InvalidAuthorizerRefreshToken: q(
    61023,
    "refresh_token is invalid",
    "Invalid authorizer refresh_token (third-party)",
  ),
  MustUseComponentToken: q(
    61024,
    "must use api(api_component_token) to get token for component acct",
    "A third-party platform account must use its component token API",
  ),
  KfSystemError: q(61450, "system error", "Customer-service system error"),
  KfInvalidParameter: q(61451, "invalid parameter", "Customer-service: invalid parameter"),
  KfInvalidAccount: q(61452, "invalid kf_account", "Invalid customer-service account"),
  KfAccountExisted: q(61453, "kf_account exsited", "Customer-service account already exists"),
  KfAccountLengthInvalid: q(
    61454,
    "invalid kf_acount length",
    "Customer-service account name too long (max 10 letters before @)",
  ),
  KfAccountIllegalCharacter: q(
    61455,
    "illegal character in kf_account",
    "Customer-service account name has illegal characters",
  ),
  KfAccountCountExceeded: q(
    61456,
    "kf_account count exceeded",
    "Too many customer-service accounts (legacy)",
  ),
  KfInvalidFileType: q(61457, "invalid file type", "Invalid avatar file type"),
  DateFormatError: d(61500, "date format error", "Date format error"),
  DateRangeError: d(61501, "date range error", "Start time after end time"),

  // 63xxx — JS-SDK, OpenID migration
  JssdkParametersEmpty: d(63001, "some parameters are empty", "Some parameters empty (JS-SDK)"),
  JssdkInvalidSignature: d(63002, "invalid signature", "Invalid signature (JS-SDK)"),
  NoMigrationRelation: d(63178, "appid not match", "changeopenid: from_appid has no migration relation"),
  OpenIdListEmpty: d(63182, "openid list empty", "changeopenid: openid_list empty"),
  ChangeOpenIdFailed: d(
    63183,
    "change openid failed",
    "changeopenid: failure reported by a third-party list",
  ),

  // 653xx — personalised menus
  NotConditionalMenu: q(65301, "this menu is not conditionalmenu", "No personalised menu with this menuid"),
  NoSuchUser: q(65302, "no such user", "No such user"),
  NoSelfMenu: q(
    65303,
    "there is no selfmenu, please create selfmenu first",
    "No default menu; cannot create a personalised menu",
  ),
  MatchRuleEmpty: q(65304, "match rule empty", "MatchRule empty"),
  MenuCountLimit: q(65305, "menu count limit", "Personalised menu count limited"),
  ConditionalMenuNotSupported: q(
    65306,
    "conditional menu not support",
    "Account does not support personalised menus",
  ),
  ConditionalMenuEmpty: q(65307, "conditional menu is empty", "Personalised menu data empty"),
  EmptyButtonAct: q(65308, "exist empty button act", "Button without a response type"),
  ConditionalMenuSwitchClosed: q(
    65309,
    "conditional menu switch is closed",
    "Personalised menu switch is off",
  ),
  CountryEmpty: d(65310, "country is empty", "Province/city given but country empty"),
  ProvinceEmpty: d(65311, "province is empty", "City given but province empty"),
  InvalidCountry: q(65312, "invalid country info", "Invalid country"),
  InvalidProvince: q(65313, "invalid province info", "Invalid province"),
  InvalidCity: q(65314, "invalid city info", "Invalid city"),
  NotFans: q(65315, "not fans", "User does not follow the account (menu/trymatch)"),
  DomainCountReachLimit: q(65316, "domain count reach limit", "Menu links to too many domains (max 3)"),
  ContainInvalidUrl: q(65317, "contain invalid url", "Invalid URL"),
  MustUseUtf8: q(65318, "must use utf-8 charset", "Request body is not UTF-8"),
  MatchRuleViolatesPrivacy: d(
    65320,
    "match rule violates privacy",
    "Match rule uses sex, region or language (no longer allowed)",
  ),

  // 654xx — customer-service accounts
  NewCustomServiceDisabled: q(
    65400,
    "please enable new custom service, or wait for a while if you have enabled",
    "The new customer-service feature is not enabled",
  ),
  InvalidCustomServiceAccount: q(65401, "invalid custom service account", "Unknown customer-service account"),
  CustomServiceAccountUnbound: q(
    65402,
    "the custom service account need to bind a wechat user",
    "The customer-service account has no worker bound",
  ),
  IllegalNickname: q(65403, "illegal nickname", "Illegal customer-service nickname"),
  IllegalCustomServiceAccount: q(
    65404,
    "illegal custom service account",
    "Malformed customer-service account (prefix or suffix)",
  ),
  CustomServiceAccountLimit: q(
    65405,
    "custom service account number reach limit",
    "Too many customer-service accounts (100)",
  ),
  CustomServiceAccountExists: q(65406, "custom service account exists", "Customer-service account exists"),
  AlreadyWorker: q(
    65407,
    "the wechat user have been one of your workers",
    "Already a worker of this account",
  ),
  AlreadyInvited: q(65408, "you have already invited the wechat user", "That WeChat user is already invited"),
  WechatAccountInvalid: q(65409, "wechat account invalid", "Unknown WeChat ID"),
  WorkerBindLimit: q(
    65410,
    "too many custom service accounts bound by the worker",
    "The worker is bound to too many customer-service accounts",
  ),
  InvitationPending: q(
    65411,
    "a effective invitation to bind the custom service account exists",
    "A pending invitation exists on this customer-service account",
  ),
  CustomServiceAccountBound: q(
    65412,
    "the custom service account have been bound by a wechat user",
    "The customer-service account already has a worker",
  ),
  NoEffectiveSession: q(65413, "no effective session for the customer", "The user has no session"),
  AnotherWorkerServing: q(
    65414,
    "another worker is serving the customer",
    "The user is in another customer-service account's session",
  ),
  WorkerNotOnline: q(65415, "the worker is not online", "The customer-service worker is offline"),
  KfParamInvalid: q(65416, "param invalid, please check", "Invalid chat-record query parameters"),
  KfTimeRangeTooLong: q(
    65417,
    "it is too long from the starttime to endtime",
    "Chat-record query spans more than 24 hours",
  ),

  // 760xx — quota and rid diagnostics. The spec quotes no text: 76001, 76002, 76021 and 76022 take
  // the words of WeChat's getRidInfo / getApiQuota doc pages (76022 with the full-width comma the
  // page prints; live answers were seen with ", "); 76003 and 76004 are ours.
  RidNotExist: d(76001, "rid not found", "rid does not exist"),
  RidInvalid: d(76002, "rid is error", "rid empty or malformed"),
  RidNotOwned: d(76003, "rid is not belong to the appid", "rid belongs to another account"),
  RidExpired: d(76004, "rid is expired", "rid expired (only the last 7 days are kept)"),
  CgiPathInvalid: d(76021, "cgi_path not found, please check", "cgi_path wrong"),
  CgiPathNotOwned: d(
    76022,
    "could not use this cgi_path，no permission",
    "Token does not belong to the account owning the API",
  ),

  // 87xxx, 89xxx — misc
  InvalidSignature: d(87009, "invalid signature", "Invalid signature"),
  RiskyContent: q(87014, "risky content", "Content contains risky/illegal material"),
  PendingConfirmation: d(89501, "wait for admin confirmation", "Pending confirmation request; retry later"),
  NeedsAdminConfirmation: d(89503, "need admin confirmation", "This call needs administrator confirmation"),
  IpRejectedFor24Hours: d(
    89506,
    "ip rejected by admin",
    "Administrator rejected this IP; retry after 24 hours",
  ),
  IpRejectedFor1Hour: d(89507, "ip rejected by admin", "Administrator rejected this IP; retry after 1 hour"),
  NoCommentPrivilege: q(
    88000,
    "without comment privilege",
    "Comment flags set but the account lacks comments",
  ),

  // 94100xx — short keys
  LongDataTooLong: d(9410010, "long_data too long", "shorten/gen: long_data over 4 KB"),
  ExpireSecondsTooLarge: d(9410011, "expire_seconds too large", "shorten/gen: expire_seconds over 30 days"),
  ShortKeyNotExist: d(
    9410012,
    "short_key not exist",
    "shorten/fetch: short_key unknown, expired or of another account",
  ),

  // Platform busy codes seen in third-party lists for user/get and batchblacklist (unverified)
  PlatformBusyBlacklist: d(268487001, "system busy", "Platform busy (batchblacklist; unverified)"),
  PlatformBusyUserList: d(268487002, "system busy", "Platform busy, retry (user/get; unverified)"),

  // 2000xx — subscription notifications (newtmpl), meanings from SDK lists
  NewtmplInvalidParams: d(200002, "invalid args", "newtmpl: invalid parameters"),
  NewtmplAccountBanned: d(200011, "account banned", "newtmpl: the account is banned"),
  NewtmplTemplateLimit: d(200012, "template num exceeds limit", "newtmpl: 25 private templates already"),
  NewtmplTemplateBanned: d(200013, "template banned", "newtmpl: the template is banned"),
  NewtmplInvalidTid: d(200014, "invalid tid", "newtmpl: unknown or unusable tid"),
  NewtmplInvalidStart: d(200016, "invalid start", "newtmpl: bad start"),
  NewtmplInvalidLimit: d(200017, "invalid limit", "newtmpl: bad limit (1 to 30)"),
  NewtmplIdsMissing: d(200018, "category ids missing", "newtmpl: category ids missing"),
  NewtmplInvalidIds: d(200019, "invalid category ids", "newtmpl: bad category ids"),
  NewtmplInvalidKidList: d(200020, "invalid kidList", "newtmpl: bad kidList"),
  NewtmplInvalidSceneDesc: d(200021, "invalid sceneDesc", "newtmpl: bad sceneDesc"),

  // 9001xxx — shake-around (摇一摇周边), meanings only
  ShakeInvalidPostParams: d(9001001, "invalid post params", "Invalid POST parameters"),
  ShakeRemoteServiceUnavailable: d(9001002, "remote service unavailable", "Remote service unavailable"),
  ShakeInvalidTicket: d(9001003, "invalid ticket", "Invalid ticket"),
  ShakeUserInfoFailed: d(9001004, "get shake user info failed", "Failed to get the shaking user's info"),
  ShakeMerchantInfoFailed: d(9001005, "get merchant info failed", "Failed to get merchant info"),
  ShakeOpenIdFailed: d(9001006, "get openid failed", "Failed to get OpenID"),
  ShakeUploadFileMissing: d(9001007, "upload file missing", "Upload file missing"),
  ShakeInvalidFileType: d(9001008, "invalid file type", "Invalid file type"),
  ShakeInvalidFileSize: d(9001009, "invalid file size", "Invalid file size"),
  ShakeUploadFailed: d(9001010, "upload failed", "Upload failed"),
  ShakeInvalidAccount: d(9001020, "invalid account", "Invalid account"),
  ShakeLowActivationRate: d(
    9001021,
    "device activation rate too low",
    "Activation rate of existing devices below 50%",
  ),
  ShakeInvalidDeviceCount: d(9001022, "invalid device count", "Invalid device count (must be > 0)"),
  ShakeApplicationUnderReview: d(
    9001023,
    "device id application under review",
    "A device-ID application is already under review",
  ),
  ShakeTooManyDeviceIds: d(9001024, "too many device ids", "At most 50 device IDs per query"),
  ShakeInvalidDeviceId: d(9001025, "invalid device id", "Invalid device ID"),
  ShakeInvalidPageId: d(9001026, "invalid page id", "Invalid page ID"),
  ShakeInvalidPageParams: d(9001027, "invalid page params", "Invalid page parameters"),
  ShakeTooManyPageIdsToDelete: d(9001028, "too many page ids", "At most 10 page IDs per delete"),
  ShakePageBound: d(9001029, "page bound to devices", "Page still bound to devices"),
  ShakeTooManyPageIdsToQuery: d(9001030, "too many page ids", "At most 50 page IDs per query"),
  ShakeInvalidTimeRange: d(9001031, "invalid time range", "Invalid time range"),
  ShakeInvalidBindParams: d(9001032, "invalid bind params", "Bad device–page binding parameters"),
  ShakeInvalidStoreId: d(9001033, "invalid store id", "Invalid store ID"),
  ShakeRemarkTooLong: d(9001034, "device remark too long", "Device remark too long"),
  ShakeInvalidApplyParams: d(9001035, "invalid apply params", "Invalid device application parameters"),
  ShakeInvalidBegin: d(9001036, "invalid begin", "Invalid `begin` value"),

  // cards, invoices, semantic understanding (errors-applied.ts)
  ...APPLIED_ERRORS,
} as const satisfies Record<string, Entry<number>>;

type Table = typeof TABLE;
export type ErrorCodeName = keyof Table;

/** Named codes: `ErrorCode.InvalidCredential === 40001`. */
export const ErrorCode = Object.fromEntries(Object.entries(TABLE).map(([name, e]) => [name, e.code])) as {
  readonly [K in ErrorCodeName]: Table[K]["code"];
};
export type KnownErrorCode = Table[ErrorCodeName]["code"];

/** Every known code → its WeChat errmsg and meaning. */
export const ERROR_CODES: Readonly<Record<number, ErrorCodeInfo>> = Object.fromEntries(
  Object.values(TABLE).map(({ code, errmsg, meaning, quoted }) => [code, { errmsg, meaning, quoted }]),
);

export function isKnownErrorCode(code: number): code is KnownErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/**
 * The errmsg WeChat sends for a code (no rid). `vars` fill `{name}` placeholders (40164 takes `ip`;
 * WeChat writes `1.2.3.4 ipv6 ::ffff:1.2.3.4` there nowadays). Unfilled placeholders stay visible.
 * Unknown codes give "system error", WeChat's fallback text.
 */
export function errmsgFor(code: number, vars?: Readonly<Record<string, string>>): string {
  const text = ERROR_CODES[code]?.errmsg ?? "system error";
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/**
 * The errmsg to answer with when no per-call value is known: the table's text, `vars` filled, and a
 * placeholder left unfilled dropped with its space (40164 → `invalid ip, not in whitelist`).
 */
export function errmsgText(code: number, vars?: Readonly<Record<string, string>>): string {
  const text = errmsgFor(code, vars);
  return text.includes("{") ? text.replace(/ ?\{\w+\}/g, "") : text;
}

/**
 * Codes after which SDKs fetch a new token and retry once (spec/basics.md §1.4: wechatpy, WxJava and
 * PowerWeChat all use these three).
 */
export const TOKEN_ERROR_CODES: readonly number[] = [
  TABLE.InvalidCredential.code,
  TABLE.InvalidAccessToken.code,
  TABLE.AccessTokenExpired.code,
];
