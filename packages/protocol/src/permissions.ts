/**
 * The interface-permission table of the seed document (spec/permissions.md), as data.
 * Columns: US unverified subscription, VS verified subscription, UV unverified service,
 * VV verified service. `apply` means allowed only after the feature is granted (需申请).
 */

export type AccountType = "subscription" | "service";
export type Grant = "pay" | "shop" | "card" | "device";
export type Cell = "yes" | "no" | "apply";

/** The four account kinds as the table's columns. */
export type AccountKind = "US" | "VS" | "UV" | "VV";

export interface PermissionRow {
  readonly seed: string;
  readonly US: Cell;
  readonly VS: Cell;
  readonly UV: Cell;
  readonly VV: Cell;
  /** The grant an `apply` cell needs (and, for jssdk.pay, a grant needed on top of a `yes`). */
  readonly grant?: Grant;
}

const row = (seed: string, cells: string, grant?: Grant): PermissionRow => {
  const c = cells.split(" ").map((s) => (s === "y" ? "yes" : s === "a" ? "apply" : "no")) as Cell[];
  return { seed, US: c[0]!, VS: c[1]!, UV: c[2]!, VV: c[3]!, ...(grant ? { grant } : {}) };
};

export const PERMISSIONS = {
  "basic.access_token": row("基础支持-获取access_token", "y y y y"),
  "basic.server_ip": row("基础支持-获取微信服务器IP地址", "y y y y"),
  "receive.messages": row("接收消息-验证消息真实性、接收普通消息、接收事件推送、接收语音识别结果", "y y y y"),
  "send.passive_reply": row("发送消息-被动回复消息", "y y y y"),
  "send.customer_service": row("发送消息-客服接口", "- y - y"),
  "send.mass": row("发送消息-群发接口", "- y - y"),
  "send.template": row("发送消息-模板消息接口（发送业务通知）", "- - - y"),
  "send.subscribe_once": row("发送消息-一次性订阅消息接口", "- y - y"),
  "user.tags": row("用户管理-用户分组管理", "- y - y"),
  "user.remark": row("用户管理-设置用户备注名", "- y - y"),
  "user.info": row("用户管理-获取用户基本信息", "- y - y"),
  "user.list": row("用户管理-获取用户列表", "- y - y"),
  "user.location": row("用户管理-获取用户地理位置", "- - - y"),
  "user.oauth": row("用户管理-网页授权获取用户openid/用户基本信息", "- - - y"),
  "promo.qrcode": row("推广支持-生成带参数二维码", "- - - y"),
  "promo.shorturl": row("推广支持-长链接转短链接口", "- - - y"),
  "ui.menu": row("界面丰富-自定义菜单", "- y y y"),
  material: row("素材管理-素材管理接口", "- y - y"),
  "smart.semantic": row("智能接口-语义理解接口", "- - - y"),
  "kf.records": row("多客服-获取多客服消息记录、客服管理", "- - - y"),
  pay: row("微信支付接口", "- - - a", "pay"),
  shop: row("微信小店接口", "- - - a", "shop"),
  card: row("微信卡券接口", "- a - a", "card"),
  device: row("微信设备功能接口", "- - - a", "device"),
  invoice: row("微信发票接口", "- y - y"),
  "jssdk.base": row("微信JS-SDK-基础接口", "y y y y"),
  "jssdk.share": row("微信JS-SDK-分享接口", "- y - y"),
  "jssdk.image": row("微信JS-SDK-图像接口", "y y y y"),
  "jssdk.audio": row("微信JS-SDK-音频接口", "y y y y"),
  "jssdk.voice_recognition": row("微信JS-SDK-智能接口（网页语音识别）", "y y y y"),
  "jssdk.device_info": row("微信JS-SDK-设备信息", "y y y y"),
  "jssdk.location": row("微信JS-SDK-地理位置", "y y y y"),
  "jssdk.ui": row("微信JS-SDK-界面操作", "y y y y"),
  "jssdk.scan": row("微信JS-SDK-微信扫一扫", "y y y y"),
  "jssdk.shop": row("微信JS-SDK-微信小店", "- - - y"),
  "jssdk.card": row("微信JS-SDK-微信卡券", "- y - y"),
  // spec/permissions.md: jssdk.pay needs the row and the pay grant.
  "jssdk.pay": row("微信JS-SDK-微信支付", "- - - y", "pay"),
} as const satisfies Record<string, PermissionRow>;

export type PermissionId = keyof typeof PERMISSIONS;

export const PERMISSION_IDS = Object.keys(PERMISSIONS) as PermissionId[];

export interface AccountPermissionSubject {
  readonly type: AccountType;
  readonly verified: boolean;
  readonly grants?: readonly Grant[];
}

export function accountKind(a: AccountPermissionSubject): AccountKind {
  if (a.type === "subscription") return a.verified ? "VS" : "US";
  return a.verified ? "VV" : "UV";
}

/**
 * Overrides of single cells, so a deployment can follow a later WeChat document where it differs
 * from the seed (a policy, never hard-coded): `{ "user.remark": { VS: "no" } }`.
 */
export type PermissionOverrides = Partial<Record<PermissionId, Partial<Record<AccountKind, Cell>>>>;

/** May this account call endpoints of this row? */
export function mayCall(
  account: AccountPermissionSubject,
  id: PermissionId,
  overrides?: PermissionOverrides,
): boolean {
  const r: PermissionRow = PERMISSIONS[id];
  const kind = accountKind(account);
  const cell = overrides?.[id]?.[kind] ?? r[kind];
  if (cell === "no") return false;
  const granted = r.grant === undefined || (account.grants ?? []).includes(r.grant);
  return granted;
}
