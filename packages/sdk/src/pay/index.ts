/** WeChat Pay (v2 and v3) and card signature helpers for a merchant's server. */
export { type AddCardInput, addCardEntry, type ChooseCardInput, chooseCardParams } from "./card.js";
export { type PayFetch, WECHAT_PAY_HOST, WechatPayError } from "./common.js";
export { type JsapiPayParameters, type PayFields, PayV2Client, type PayV2Options } from "./v2.js";
export { PayV3Client, type PayV3Options, type SignedMessage, type V3Notification } from "./v3.js";
