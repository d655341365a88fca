/**
 * Devices (微信设备功能 / 微信硬件, spec/applied-features.md §4): authorising devices under the
 * account, binding them to users by QR code, and passing bytes between devices and the developer's
 * server. These APIs answer in their own shapes (`base_resp`, `resp`, `resp_msg`, `ret/ret_info`), not a
 * flat errcode. Every call needs the `device` row (verified service accounts with the grant).
 */
import { Type } from "@sinclair/typebox";
import { endpoint, group } from "./endpoint.js";
import { AnyObject, OpenObject } from "./open.js";

const DeviceId = Type.String({ minLength: 1, maxLength: 128 });
const Loose = AnyObject;
const BaseResp = Type.Object({ base_resp: Type.Object({ errcode: Type.Integer(), errmsg: Type.String() }) });
const post = { method: "POST", host: "api", permission: "device" } as const;
const get = { method: "GET", host: "api", permission: "device" } as const;

/** One device of authorize_device (mac: 12 hex characters). */
const Device = OpenObject({
  id: DeviceId,
  mac: Type.Optional(Type.String()),
  connect_protocol: Type.Optional(Type.String()),
  auth_key: Type.Optional(Type.String()),
  close_strategy: Type.Optional(Type.String()),
  conn_strategy: Type.Optional(Type.String()),
  crypt_method: Type.Optional(Type.String()),
  auth_ver: Type.Optional(Type.String()),
  manu_mac_pos: Type.Optional(Type.String()),
  ser_mac_pos: Type.Optional(Type.String()),
  ble_simple_protocol: Type.Optional(Type.String()),
});

const BindBody = Type.Object({
  ticket: Type.String({ maxLength: 512 }),
  device_id: DeviceId,
  openid: Type.String({ minLength: 1 }),
});
const CompelBody = Type.Object({ device_id: DeviceId, openid: Type.String({ minLength: 1 }) });

export const device = group("device", {
  /**
   * 设备授权
   *
   * Authorise (op_type 0) or update (1) devices of a product; one result per device.
   *
   * See spec/applied-features.md §4.
   */
  authorize: endpoint({
    ...post,
    title: "设备授权",
    path: "/device/authorize_device",
    request: Type.Object({
      device_num: Type.Union([Type.String(), Type.Integer()]),
      device_list: Type.Array(Device),
      op_type: Type.Union([Type.String(), Type.Integer()]),
      product_id: Type.Optional(Type.String()),
    }),
    response: Type.Object({ resp: Type.Array(Loose) }),
  }),
  /**
   * 获取deviceid和二维码
   *
   * A new device id with its QR ticket and licence (the newer way to authorise one device).
   *
   * See spec/applied-features.md §4.
   */
  getQrcode: endpoint({
    ...get,
    title: "获取deviceid和二维码",
    path: "/device/getqrcode",
    request: Type.Object({ product_id: Type.Optional(Type.String()) }),
    response: Type.Object({
      base_resp: Type.Object({ errcode: Type.Integer(), errmsg: Type.String() }),
      deviceid: Type.String(),
      qrticket: Type.String(),
      devicelicence: Type.String(),
    }),
  }),
  /**
   * 获取设备二维码
   *
   * QR tickets of authorised devices (content `https://we.qq.com/d/<ticket>`).
   *
   * See spec/applied-features.md §4.
   */
  createQrcode: endpoint({
    ...post,
    title: "获取设备二维码",
    path: "/device/create_qrcode",
    request: Type.Object({
      device_num: Type.Union([Type.String(), Type.Integer()]),
      device_id_list: Type.Array(DeviceId),
    }),
    response: Type.Object({
      errcode: Type.Integer(),
      errmsg: Type.String(),
      device_num: Type.Integer(),
      code_list: Type.Array(Type.Object({ device_id: Type.String(), ticket: Type.String() })),
    }),
  }),
  /**
   * 验证二维码
   *
   * Which device a QR ticket belongs to.
   *
   * See spec/applied-features.md §4.
   */
  verifyQrcode: endpoint({
    ...post,
    title: "验证二维码",
    path: "/device/verify_qrcode",
    request: Type.Object({ ticket: Type.String({ minLength: 1, maxLength: 512 }) }),
    response: Type.Object({
      errcode: Type.Integer(),
      errmsg: Type.String(),
      device_type: Type.String(),
      device_id: Type.String(),
      mac: Type.String(),
    }),
  }),
  /**
   * 绑定成功通知
   *
   * Bind a device to a user with the ticket the user's page got from the hardware JS API.
   *
   * See spec/applied-features.md §4.
   */
  bind: endpoint({
    ...post,
    title: "绑定成功通知",
    path: "/device/bind",
    request: BindBody,
    response: BaseResp,
  }),
  /**
   * 解绑成功通知
   *
   * Unbind a device from a user (with a ticket).
   *
   * See spec/applied-features.md §4.
   */
  unbind: endpoint({
    ...post,
    title: "解绑成功通知",
    path: "/device/unbind",
    request: BindBody,
    response: BaseResp,
  }),
  /**
   * 强制绑定用户和设备
   *
   * Bind without a ticket.
   *
   * See spec/applied-features.md §4.
   */
  compelBind: endpoint({
    ...post,
    title: "强制绑定用户和设备",
    path: "/device/compel_bind",
    request: CompelBody,
    response: BaseResp,
  }),
  /**
   * 强制解绑用户和设备
   *
   * Unbind without a ticket.
   *
   * See spec/applied-features.md §4.
   */
  compelUnbind: endpoint({
    ...post,
    title: "强制解绑用户和设备",
    path: "/device/compel_unbind",
    request: CompelBody,
    response: BaseResp,
  }),
  /**
   * 主动发送消息给设备
   *
   * Send bytes (base64 `content`) to a device, or a status message (msg_type 2).
   *
   * See spec/applied-features.md §4.
   */
  transMsg: endpoint({
    ...post,
    title: "主动发送消息给设备",
    path: "/device/transmsg",
    request: Type.Object({
      device_type: Type.String({ minLength: 1 }),
      device_id: DeviceId,
      open_id: Type.String({ minLength: 1 }),
      content: Type.Optional(Type.String({ maxLength: 65536 })),
      msg_type: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
      device_status: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
    }),
    response: Type.Object({ ret: Type.Integer(), ret_info: Type.String() }),
  }),
  /**
   * 设备状态查询
   *
   * A device's state: 0 unauthorised, 1 authorised not bound, 2 bound.
   *
   * See spec/applied-features.md §4.
   */
  getStat: endpoint({
    ...get,
    title: "设备状态查询",
    path: "/device/get_stat",
    request: Type.Object({ device_id: DeviceId }),
    response: Type.Object({
      errcode: Type.Integer(),
      errmsg: Type.String(),
      status: Type.Integer(),
      status_info: Type.String(),
    }),
  }),
  /**
   * 通过device type和device id获取用户openid
   *
   * The OpenIDs bound to a device.
   *
   * See spec/applied-features.md §4.
   */
  getOpenid: endpoint({
    ...get,
    title: "通过device type和device id获取用户openid",
    path: "/device/get_openid",
    request: Type.Object({ device_type: Type.String({ minLength: 1 }), device_id: DeviceId }),
    response: Type.Object({
      open_id: Type.Array(Type.String()),
      resp_msg: Type.Object({ ret_code: Type.Integer(), error_info: Type.String() }),
    }),
  }),
  /**
   * 通过openid获取用户绑定的deviceid
   *
   * The devices a user has bound.
   *
   * See spec/applied-features.md §4.
   */
  getBindDevice: endpoint({
    ...get,
    title: "通过openid获取用户绑定的deviceid",
    path: "/device/get_bind_device",
    request: Type.Object({ openid: Type.String({ minLength: 1 }) }),
    response: Type.Object({
      resp_msg: Type.Object({ ret_code: Type.Integer(), error_info: Type.String() }),
      openid: Type.String(),
      device_list: Type.Array(Type.Object({ device_type: Type.String(), device_id: Type.String() })),
    }),
  }),
});
