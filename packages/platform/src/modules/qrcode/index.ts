/**
 * QR module: parametric QR codes (tickets, expiry, the 100 000 permanent codes), their real PNG
 * images, short links and short keys, and what a simulated user's scan pushes.
 */
import { Type } from "@sinclair/typebox";
import { conflict, notFound, SimulatorError } from "../../http/simulator.js";
import { defineModule, type ModuleContext } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { resultView } from "../push/index.js";
import { requireUser } from "../simulated-users/index.js";
import { implementQrcodeApi } from "./api.js";
import { type ForeignQrcodeSource, ForeignQrcodes } from "./foreign.js";
import { qrPng } from "./image.js";
import { qrcodeMigrations } from "./migrations.js";
import { type ScanTarget, scanQrcode } from "./scan.js";
import {
  findByTicket,
  findByUrl,
  getQrcodeSettings,
  isExpired,
  listQrcodes,
  type Qrcode,
  setQrcodeSettings,
} from "./store.js";

const ScanBody = Type.Object({
  ticket: Type.Optional(Type.String({ description: "the code's ticket" })),
  appid: Type.Optional(Type.String({ description: "when given, the code must belong to this account" })),
  url: Type.Optional(Type.String({ description: "or the URL its image encodes (http://weixin.qq.com/q/…)" })),
  follow: Type.Optional(
    Type.Boolean({ description: "a non-follower accepts the follow offer (default true)" }),
  ),
});

function codeView(c: Qrcode, now: number) {
  return {
    ticket: c.ticket,
    appid: c.appid,
    actionName: c.actionName,
    permanent: c.permanent,
    scene: c.scene,
    url: c.url,
    createdAt: c.createdAt,
    expireAt: c.expireAt,
    expired: isExpired(c, now),
  };
}

export interface QrcodeServices {
  /** Codes another module issues (card QR codes): their images and scans go through `source`. */
  addForeignCodes(source: ForeignQrcodeSource): void;
}

declare module "../../module.js" {
  interface ModuleServices {
    qrcode: QrcodeServices;
  }
}

function addQrcodeRoutes(ctx: ModuleContext<"push">, foreign: ForeignQrcodes): void {
  const sim = ctx.simulator;
  const scan = async (userId: string, target: ScanTarget) => {
    await requireUser(ctx.db, userId);
    const own =
      target.ticket !== undefined
        ? await findByTicket(ctx.db, target.ticket)
        : target.url !== undefined
          ? await findByUrl(ctx.db, target.url)
          : undefined;
    const other = own ? undefined : await foreign.find(target);
    if (other) {
      const { code, source } = other;
      if (target.appid !== undefined && target.appid !== code.appid)
        throw conflict(`the QR code belongs to ${code.appid}, not ${target.appid}`);
      if (code.expireAt !== null && ctx.clock.now() >= code.expireAt)
        throw new SimulatorError(410, "qrcode_expired", "the QR code has expired");
      return { appid: code.appid, ticket: code.ticket, ...(await source.scan(userId, code)) };
    }
    const res = await scanQrcode(ctx, userId, target);
    return { ...res, push: res.push && resultView(res.push) };
  };

  sim.route({
    method: "GET",
    url: "/accounts/:appid/qrcodes",
    tag: "qrcode",
    summary: "The account's QR codes, newest first.",
    params: Type.Object({ appid: Type.String() }),
    query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
    handler: async ({ params, query }) => {
      await requireAccount(ctx.db, params.appid);
      const now = ctx.clock.now();
      return { qrcodes: (await listQrcodes(ctx.db, params.appid, query)).map((c) => codeView(c, now)) };
    },
  });
  sim.route({
    method: "GET",
    url: "/accounts/:appid/qrcodes/:ticket/image",
    tag: "qrcode",
    summary: "The PNG of one of the account's QR codes (what showqrcode serves), for the console.",
    params: Type.Object({ appid: Type.String(), ticket: Type.String() }),
    handler: async ({ params }, reply) => {
      const code = await findByTicket(ctx.db, params.ticket);
      if (!code || code.appid !== params.appid) throw notFound("QR code");
      return reply
        .type("image/png")
        .header("cache-control", "private, max-age=3600")
        .send(await qrPng(code.url));
    },
  });
  sim.route({
    method: "GET",
    url: "/accounts/:appid/qrcode-settings",
    tag: "qrcode",
    summary:
      "QR settings: default expire_seconds (60), strict expire (40097 instead of clamping), permanent cap.",
    params: Type.Object({ appid: Type.String() }),
    handler: async ({ params }) => {
      await requireAccount(ctx.db, params.appid);
      return getQrcodeSettings(ctx.db, params.appid);
    },
  });
  sim.route({
    method: "PATCH",
    url: "/accounts/:appid/qrcode-settings",
    tag: "qrcode",
    summary: "Change QR settings.",
    params: Type.Object({ appid: Type.String() }),
    body: Type.Object({
      defaultExpireSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_592_000 })),
      strictExpire: Type.Optional(Type.Boolean()),
      permanentLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    }),
    handler: async ({ params, body }) => {
      await requireAccount(ctx.db, params.appid);
      const change = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      return setQrcodeSettings(ctx.db, params.appid, change);
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/scan",
    tag: "qrcode",
    summary:
      "The user scans a parametric QR code (by ticket or URL): a non-follower follows (subscribe with qrscene_ key and Ticket), a follower pushes SCAN. 404 unknown, 410 expired.",
    params: Type.Object({ user: Type.String() }),
    body: ScanBody,
    handler: ({ params, body }) => scan(params.user, body),
  });
  ctx.services.push.registerUserEvent(
    "scan",
    ({ user, account, body }) =>
      scan(user.id, {
        appid: account.appid,
        ...(typeof body.ticket === "string" ? { ticket: body.ticket } : {}),
        ...(typeof body.url === "string" ? { url: body.url } : {}),
        ...(typeof body.follow === "boolean" ? { follow: body.follow } : {}),
      }),
    "Scan a parametric QR code: ticket | url (the code must belong to appid).",
  );
}

export const qrcodeModule = defineModule({
  name: "qrcode",
  requires: ["accounts", "simulated-users", "push"],
  migrations: qrcodeMigrations,
  setup(ctx): QrcodeServices {
    const foreign = new ForeignQrcodes();
    implementQrcodeApi(ctx, foreign);
    addQrcodeRoutes(ctx, foreign);
    return { addForeignCodes: (source) => foreign.add(source) };
  },
});

export type { ForeignQrcode, ForeignQrcodeSource } from "./foreign.js";
export { qrPng } from "./image.js";
export { type ScanOutcome, type ScanTarget, scanQrcode } from "./scan.js";
export * from "./store.js";
