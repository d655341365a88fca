/**
 * @mpstack/protocol: what the platform and the SDK both speak, once — signatures, message crypto,
 * the XML codec, message and reply types, error codes and rids, the endpoint catalog, permissions.
 */
export * from "./catalog/index.js";
export * from "./crypto.js";
export * from "./envelope.js";
export * from "./error-codes.js";
export * from "./jssdk.js";
export * from "./messages/index.js";
export * from "./pay.js";
export * from "./pay-v3.js";
export * from "./permissions.js";
export * from "./random-hex.js";
export * from "./rid.js";
export * from "./schemas.js";
export * from "./signature.js";
export * from "./wechat-error.js";
export * from "./xml.js";
export * from "./xml-build.js";
export { isXmlText } from "./xml-chars.js";
