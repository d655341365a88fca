/** JS-SDK helpers for the developer's server (spec/jssdk.md). */
export { createJssdk, type JssdkOptions, JssdkSigner, type WxConfig, type WxConfigOptions } from "./jssdk.js";
