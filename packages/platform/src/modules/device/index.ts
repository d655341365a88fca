/**
 * Devices (微信硬件, spec/applied-features.md §4): authorising devices, their QR tickets, binding
 * to users (by ticket, by force, or by the simulated user scanning the device's QR code), bytes
 * between device and developer (transmsg into the device's inbox; the device's own messages pushed
 * as device_text, with the developer's device_text reply), status subscriptions, and the queries.
 * Device APIs answer in their own shapes; their failures (device unknown, ticket wrong, not bound)
 * sit inside `base_resp` / `resp` / `ret` as 40097 / 40003 / -1 (emulator choice: the spec
 * establishes no device-specific codes). Global failures (token, 48001) stay flat.
 */
import { randomBytes } from "node:crypto";
import { catalog, ErrorCode, type XmlRecord } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import type { Account } from "../../account.js";
import { badRequest, notFound } from "../../http/simulator.js";
import { defineModule, type ModuleContext } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { findByOpenid, getFollow, requireUser } from "../simulated-users/index.js";
import { bindingsOf, deviceByTicket, deviceMigrations, getDevice } from "./store.js";

type Ctx = ModuleContext<"accounts" | "simulated-users" | "push">;

const QR_PREFIX = "https://we.qq.com/d/";
const baseResp = (errcode = 0, errmsg = "ok") => ({ base_resp: { errcode, errmsg } });
const newTicket = () => randomBytes(18).toString("base64url");

async function pushDevice(
  ctx: Ctx,
  account: Account,
  userId: string,
  openid: string,
  msgType: string,
  fields: XmlRecord,
) {
  return ctx.services.push.send({
    appid: account.appid,
    userId,
    message: {
      kind: "unknown",
      MsgType: msgType,
      ToUserName: account.originalId,
      FromUserName: openid,
      CreateTime: ctx.clock.nowSeconds(),
      ...(typeof fields.Event === "string" ? { Event: fields.Event } : {}),
      fields,
    },
  });
}

async function bind(ctx: Ctx, account: Account, deviceId: string, openid: string, on: boolean) {
  const follow = await findByOpenid(ctx.db, account.appid, openid);
  if (!follow) return baseResp(ErrorCode.InvalidOpenId, "invalid openid");
  if (!(await getDevice(ctx.db, account.appid, deviceId)))
    return baseResp(ErrorCode.InvalidArgs, "device not authorized");
  const existing = await bindingsOf(ctx.db, account.appid, { deviceId, openid });
  if (on && existing.length === 0) {
    await ctx.db
      .insertInto("device_bindings")
      .values({
        appid: account.appid,
        device_id: deviceId,
        user_id: follow.user_id,
        openid,
        status_subscribed: 0,
        bound_at: ctx.clock.now(),
      })
      .execute();
  }
  if (!on) {
    if (existing.length === 0) return baseResp(ErrorCode.InvalidArgs, "device not bound to this user");
    await ctx.db
      .deleteFrom("device_bindings")
      .where("appid", "=", account.appid)
      .where("device_id", "=", deviceId)
      .where("openid", "=", openid)
      .execute();
  }
  return { ...baseResp(), follow };
}

export const deviceModule = defineModule({
  name: "device",
  requires: ["accounts", "simulated-users", "push"],
  migrations: deviceMigrations,
  setup(ctx) {
    const d = catalog.device;
    const authorize = async (
      account: Account,
      deviceId: string,
      mac: string,
      productId: string,
      info: unknown,
    ) => {
      const ticket = newTicket();
      await ctx.db
        .insertInto("devices")
        .values({
          appid: account.appid,
          device_id: deviceId,
          mac,
          product_id: productId,
          info: JSON.stringify(info),
          ticket,
          licence: randomBytes(32).toString("hex").toUpperCase(),
          created_at: ctx.clock.now(),
        })
        .execute();
      return ticket;
    };

    ctx.implement(d.authorize, async (call) => {
      const op = String(call.input.op_type);
      if (Number(call.input.device_num) !== call.input.device_list.length || (op !== "0" && op !== "1")) {
        return { resp: [], ...baseResp(ErrorCode.InvalidArgs, "invalid device_num or op_type") };
      }
      const resp = [];
      for (const dev of call.input.device_list) {
        const base_info = { device_type: call.account.originalId, device_id: dev.id };
        const mac = dev.mac ?? "";
        const existing = await getDevice(ctx.db, call.account.appid, dev.id);
        if (mac !== "" && !/^[0-9A-Fa-f]{12}$/.test(mac)) {
          resp.push({ base_info, errcode: ErrorCode.InvalidArgs, errmsg: "invalid mac" });
        } else if (op === "0" && existing) {
          resp.push({ base_info, errcode: ErrorCode.InvalidArgs, errmsg: "device already authorized" });
        } else if (op === "1" && !existing) {
          resp.push({ base_info, errcode: ErrorCode.InvalidArgs, errmsg: "device not authorized" });
        } else {
          if (existing)
            await ctx.db
              .updateTable("devices")
              .set({ mac, info: JSON.stringify(dev) })
              .where("appid", "=", call.account.appid)
              .where("device_id", "=", dev.id)
              .execute();
          else await authorize(call.account, dev.id, mac, call.input.product_id ?? "", dev);
          resp.push({ base_info, errcode: 0, errmsg: "ok" });
        }
      }
      return { resp };
    });
    ctx.implement(d.getQrcode, async (call) => {
      const deviceId = `${call.account.originalId}_${randomBytes(6).toString("hex")}`;
      const ticket = await authorize(call.account, deviceId, "", call.input.product_id ?? "", {});
      const dev = await getDevice(ctx.db, call.account.appid, deviceId);
      return {
        ...baseResp(),
        deviceid: deviceId,
        qrticket: QR_PREFIX + ticket,
        devicelicence: dev?.licence ?? "",
      };
    });
    ctx.implement(d.createQrcode, async (call) => {
      if (Number(call.input.device_num) !== call.input.device_id_list.length) {
        return { errcode: ErrorCode.InvalidArgs, errmsg: "invalid device_num", device_num: 0, code_list: [] };
      }
      const code_list = [];
      for (const id of call.input.device_id_list) {
        const dev = await getDevice(ctx.db, call.account.appid, id);
        if (!dev)
          return {
            errcode: ErrorCode.InvalidArgs,
            errmsg: `device ${id} not authorized`,
            device_num: 0,
            code_list: [],
          };
        code_list.push({ device_id: id, ticket: QR_PREFIX + dev.ticket });
      }
      return { errcode: 0, errmsg: "ok", device_num: code_list.length, code_list };
    });
    const ticketOf = (t: string) => (t.startsWith(QR_PREFIX) ? t.slice(QR_PREFIX.length) : t);
    ctx.implement(d.verifyQrcode, async (call) => {
      const dev = await deviceByTicket(ctx.db, ticketOf(call.input.ticket));
      if (!dev || dev.appid !== call.account.appid)
        return {
          errcode: ErrorCode.InvalidArgs,
          errmsg: "invalid ticket",
          device_type: "",
          device_id: "",
          mac: "",
        };
      return {
        errcode: 0,
        errmsg: "ok",
        device_type: call.account.originalId,
        device_id: dev.device_id,
        mac: dev.mac,
      };
    });
    const byTicket =
      (on: boolean) =>
      async (call: { account: Account; input: { ticket: string; device_id: string; openid: string } }) => {
        const dev = await deviceByTicket(ctx.db, ticketOf(call.input.ticket));
        if (!dev || dev.device_id !== call.input.device_id || dev.appid !== call.account.appid)
          return baseResp(ErrorCode.InvalidArgs, "invalid ticket");
        const { base_resp } = await bind(ctx, call.account, call.input.device_id, call.input.openid, on);
        return { base_resp };
      };
    ctx.implement(d.bind, byTicket(true));
    ctx.implement(d.unbind, byTicket(false));
    ctx.implement(d.compelBind, async (call) => ({
      base_resp: (await bind(ctx, call.account, call.input.device_id, call.input.openid, true)).base_resp,
    }));
    ctx.implement(d.compelUnbind, async (call) => ({
      base_resp: (await bind(ctx, call.account, call.input.device_id, call.input.openid, false)).base_resp,
    }));
    ctx.implement(d.transMsg, async (call) => {
      const { device_id, open_id } = call.input;
      if (call.input.device_type !== call.account.originalId)
        return { ret: -1, ret_info: "invalid device_type" };
      const [binding] = await bindingsOf(ctx.db, call.account.appid, {
        deviceId: device_id,
        openid: open_id,
      });
      if (!binding) return { ret: -1, ret_info: "device not bound to this user" };
      let content = call.input.content ?? "";
      if (String(call.input.msg_type ?? "") === "2") {
        if (binding.status_subscribed !== 1) return { ret: -1, ret_info: "get subscribe cache fail" };
        content = `status:${call.input.device_status ?? ""}`;
      } else if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content)) {
        return { ret: -1, ret_info: "content must be base64" };
      }
      await ctx.db
        .insertInto("device_messages")
        .values({
          id: `${call.now}-${randomBytes(4).toString("hex")}`,
          appid: call.account.appid,
          device_id,
          openid: open_id,
          content,
          created_at: call.now,
        })
        .execute();
      return { ret: 0, ret_info: "this is ok" };
    });
    ctx.implement(d.getStat, async (call) => {
      const dev = await getDevice(ctx.db, call.account.appid, call.input.device_id);
      const bound = dev
        ? (await bindingsOf(ctx.db, call.account.appid, { deviceId: dev.device_id })).length > 0
        : false;
      const status = !dev ? 0 : bound ? 2 : 1;
      return {
        errcode: 0,
        errmsg: "ok",
        status,
        status_info: ["unauthorized", "authorized", "bound"][status] ?? "",
      };
    });
    ctx.implement(d.getOpenid, async (call) => {
      const list = await bindingsOf(ctx.db, call.account.appid, { deviceId: call.input.device_id });
      return {
        open_id: list.map((b) => b.openid),
        resp_msg: { ret_code: 0, error_info: "get open id list OK!" },
      };
    });
    ctx.implement(d.getBindDevice, async (call) => {
      const list = await bindingsOf(ctx.db, call.account.appid, { openid: call.input.openid });
      return {
        resp_msg: { ret_code: 0, error_info: "ok" },
        openid: call.input.openid,
        device_list: list.map((b) => ({ device_type: call.account.originalId, device_id: b.device_id })),
      };
    });

    addDeviceRoutes(ctx);
  },
});

/** The simulated user and device: scanning a device's QR code, the device's messages and status, its inbox. */
function addDeviceRoutes(ctx: Ctx): void {
  const sim = ctx.simulator;
  const bound = async (appid: string, deviceId: string, userId: string) => {
    const account = await requireAccount(ctx.db, appid);
    const follow = await getFollow(ctx.db, appid, userId);
    const [b] = follow ? await bindingsOf(ctx.db, appid, { deviceId, openid: follow.openid }) : [];
    if (!b) throw badRequest(`device ${deviceId} is not bound to ${userId}`);
    return { account, binding: b };
  };
  const DeviceParams = Type.Object({ appid: Type.String(), deviceId: Type.String() });
  sim.route({
    method: "POST",
    url: "/users/:user/devices/scan",
    tag: "device",
    summary:
      "The user scans a device's QR code (https://we.qq.com/d/…): bound, and device_event bind is pushed.",
    params: Type.Object({ user: Type.String() }),
    body: Type.Object({ ticket: Type.String({ maxLength: 512 }) }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      const t = body.ticket.startsWith(QR_PREFIX) ? body.ticket.slice(QR_PREFIX.length) : body.ticket;
      const dev = await deviceByTicket(ctx.db, t);
      if (!dev) throw notFound("device QR code");
      const account = await requireAccount(ctx.db, dev.appid);
      const follow = await getFollow(ctx.db, dev.appid, params.user);
      if (follow?.subscribed !== 1)
        throw badRequest(`${params.user} must follow ${dev.appid} to bind its devices`);
      await bind(ctx, account, dev.device_id, follow.openid, true);
      const push = await pushDevice(ctx, account, params.user, follow.openid, "device_event", {
        Event: "bind",
        DeviceType: account.originalId,
        DeviceID: dev.device_id,
        Content: "",
        SessionID: "0",
        OpenID: follow.openid,
      });
      return { appid: dev.appid, deviceId: dev.device_id, openid: follow.openid, pushId: push.pushId };
    },
  });
  sim.route({
    method: "POST",
    url: "/devices/:appid/:deviceId/send",
    tag: "device",
    summary:
      "The device sends bytes (base64) for a bound user: device_text is pushed; answers the developer's reply.",
    params: DeviceParams,
    body: Type.Object({
      user: Type.String(),
      content: Type.String({ maxLength: 65536, pattern: "^[A-Za-z0-9+/]*={0,2}$" }),
    }),
    handler: async ({ params, body }) => {
      const { account, binding } = await bound(params.appid, params.deviceId, body.user);
      const sessionId = String(Math.floor(Math.random() * 1e9));
      const push = await pushDevice(ctx, account, body.user, binding.openid, "device_text", {
        DeviceType: account.originalId,
        DeviceID: params.deviceId,
        Content: body.content,
        SessionID: sessionId,
        MsgID: String(ctx.clock.now()),
        OpenID: binding.openid,
      });
      return { pushId: push.pushId, status: push.status, reply: push.reply ?? null };
    },
  });
  sim.route({
    method: "POST",
    url: "/devices/:appid/:deviceId/subscribe-status",
    tag: "device",
    summary:
      "The user (un)subscribes to the device's status (OpType 2 subscribe, 0 unsubscribe, 1 heartbeat): pushed as device_event.",
    params: DeviceParams,
    body: Type.Object({
      user: Type.String(),
      opType: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)]),
    }),
    handler: async ({ params, body }) => {
      const { account, binding } = await bound(params.appid, params.deviceId, body.user);
      if (body.opType !== 1) {
        await ctx.db
          .updateTable("device_bindings")
          .set({ status_subscribed: body.opType === 2 ? 1 : 0 })
          .where("appid", "=", params.appid)
          .where("device_id", "=", params.deviceId)
          .where("openid", "=", binding.openid)
          .execute();
      }
      const push = await pushDevice(ctx, account, body.user, binding.openid, "device_event", {
        Event: body.opType === 0 ? "unsubscribe_status" : "subscribe_status",
        DeviceType: account.originalId,
        DeviceID: params.deviceId,
        OpType: String(body.opType),
        OpenID: binding.openid,
      });
      return { pushId: push.pushId, status: push.status, reply: push.reply ?? null };
    },
  });
  sim.route({
    method: "GET",
    url: "/devices/:appid/:deviceId/inbox",
    tag: "device",
    summary: "What the developer sent the device through transmsg, oldest first.",
    params: DeviceParams,
    handler: async ({ params }) => {
      if (!(await getDevice(ctx.db, params.appid, params.deviceId)))
        throw notFound(`device ${params.deviceId}`);
      const rows = await ctx.db
        .selectFrom("device_messages")
        .selectAll()
        .where("appid", "=", params.appid)
        .where("device_id", "=", params.deviceId)
        .orderBy("created_at")
        .execute();
      return {
        messages: rows.map((m) => ({
          openid: m.openid,
          content: m.content,
          createdAt: Number(m.created_at),
        })),
      };
    },
  });
}
