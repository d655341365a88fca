/**
 * The web demo's pages: the signed-in home page (who the OAuth flow says you are) and the JS-SDK
 * page (wx.config from the server's signature, then share, images, scan, voice and location).
 * Values are escaped; the page's script only talks to this app and to the bridge.
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function frame(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>${head}
<style>body{font:15px/1.5 -apple-system,"PingFang SC",sans-serif;max-width:480px;margin:0 auto;padding:16px;background:#ededed}
.card{background:#fff;border-radius:8px;padding:12px 16px;margin:12px 0}button{margin:4px 4px 4px 0;padding:8px 12px}
img{max-width:120px;display:block;margin-top:8px}.muted{color:#888;font-size:13px}</style></head>
<body>${body}</body></html>`;
}

export interface Profile {
  openid: string;
  nickname: string;
  headimgurl: string;
}

export function homePage(p: Profile): string {
  return frame(
    "mpstack web demo",
    `<div class="card"><h1>你好，<span id="nickname">${escapeHtml(p.nickname)}</span></h1>
<p class="muted">OpenID <span id="openid">${escapeHtml(p.openid)}</span></p>
${p.headimgurl ? `<img src="${escapeHtml(p.headimgurl)}" alt="">` : ""}</div>
<div class="card"><a href="/jssdk">JS-SDK</a> · <a href="/jssdk?lib=cdn">JS-SDK (jweixin-1.6.0.js)</a> · <a href="/signout">退出 · Sign out</a></div>`,
  );
}

export function messagePage(title: string, text: string, retry = "/"): string {
  return frame(
    title,
    `<div class="card"><h1 id="message">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><a href="${escapeHtml(retry)}">重试 · Retry</a></div>`,
  );
}

/** The JS APIs the page uses (its wx.config jsApiList). */
export const JS_API_LIST = [
  "updateAppMessageShareData",
  "updateTimelineShareData",
  "chooseImage",
  "uploadImage",
  "scanQRCode",
  "getLocation",
  "startRecord",
  "stopRecord",
  "playVoice",
  "uploadVoice",
  "translateVoice",
];

/**
 * The JS-SDK page. `scripts` loads WeixinJSBridge and `wx`: either the platform's bridge and the
 * npm weixin-js-sdk file this app serves, or one jweixin-1.6.0.js from WeChat's CDN path.
 */
export function jssdkPage(scripts: string): string {
  const script = `
const $ = (id) => document.getElementById(id);
const show = (id, text) => { $(id).textContent = text; };
let localId = null;
fetch("/jssdk/config", { method: "POST", headers: { "content-type": "application/json" },
  body: JSON.stringify({ url: location.href.split("#")[0] }) })
  .then((r) => r.json()).then((config) => wx.config(config));
// jweixin runs ready callbacks once config finishes, also after a failure: keep the error shown.
let failed = false;
wx.ready(() => { if (!failed) show("status", "ready"); });
wx.error((res) => { failed = true; show("status", "error: " + res.errMsg); });
$("share").onclick = () => wx.updateAppMessageShareData({ title: document.title, desc: "mpstack web demo",
  link: location.href.split("#")[0], imgUrl: location.origin + "/favicon.ico",
  success: () => show("share-result", "ok"), fail: (r) => show("share-result", r.errMsg) });
$("choose").onclick = () => wx.chooseImage({ count: 1, success: (r) => {
  localId = r.localIds[0]; $("picked").src = localId; show("choose-result", localId); },
  cancel: () => show("choose-result", "cancel") });
$("upload").onclick = () => wx.uploadImage({ localId, success: (r) =>
  fetch("/media/fetch", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ serverId: r.serverId }) }).then((x) => x.json())
    .then((m) => show("upload-result", m.errcode ? "errcode " + m.errcode : m.contentType + ", " + m.size + " bytes")),
  fail: (r) => show("upload-result", r.errMsg) });
$("scan").onclick = () => wx.scanQRCode({ needResult: 1, success: (r) => show("scan-result", r.resultStr),
  cancel: () => show("scan-result", "cancel") });
$("scan-wechat").onclick = () => wx.scanQRCode({ needResult: 0, success: (r) => show("scan-result", r.errMsg) });
let voiceId = null;
$("record").onclick = () => wx.startRecord({ success: () => show("voice-result", "recording"),
  fail: (r) => show("voice-result", r.errMsg) });
$("stop").onclick = () => wx.stopRecord({ success: (r) => { voiceId = r.localId; show("voice-result", "recorded");
  wx.translateVoice({ localId: voiceId, success: (t) => show("voice-text", t.translateResult) }); },
  fail: (r) => show("voice-result", r.errMsg) });
$("voice-upload").onclick = () => wx.uploadVoice({ localId: voiceId, success: (r) =>
  fetch("/media/fetch", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ serverId: r.serverId }) }).then((x) => x.json())
    .then((m) => show("voice-result", m.contentType + ", " + m.size + " bytes")) });
$("location").onclick = () => wx.getLocation({ type: "wgs84",
  success: (r) => show("location-result", r.latitude + ", " + r.longitude),
  cancel: () => show("location-result", "cancel"), fail: (r) => show("location-result", r.errMsg) });`;
  return frame(
    "JS-SDK · mpstack web demo",
    `<div class="card">wx.config: <b id="status">…</b></div>
<div class="card"><button id="share">设置分享 · Set sharing</button> <span id="share-result"></span></div>
<div class="card"><button id="choose">选图 · Choose</button><button id="upload">上传 · Upload</button>
<div id="choose-result" class="muted"></div><img id="picked" alt=""><div id="upload-result"></div></div>
<div class="card"><button id="scan">扫码 · Scan</button><button id="scan-wechat">扫码（微信处理）· Scan in WeChat</button>
<div id="scan-result"></div></div>
<div class="card"><button id="record">录音 · Record</button><button id="stop">停止 · Stop</button>
<button id="voice-upload">上传语音 · Upload</button> <span id="voice-result"></span><div id="voice-text" class="muted"></div></div>
<div class="card"><button id="location">位置 · Location</button> <span id="location-result"></span></div>
<script>${script}</script>`,
    scripts,
  );
}
