/**
 * WeChat's return codes from 480xx (authorisation) on: users, publishing, IP whitelist and legacy
 * customer service, JS-SDK, personalised menus, customer-service accounts, quotas and rids, short
 * keys, subscription notifications, shake-around. Merged in error-codes.ts.
 */
import { d, type Entry, q } from "./entry.js";

export const AREA_ERRORS = {
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
} as const satisfies Record<string, Entry<number>>;
