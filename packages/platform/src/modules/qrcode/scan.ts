/**
 * A simulated user scans a parametric QR code (qrcode-shorturl.md §3, callback.md §5.2):
 * - not following: the user follows (scene ADD_SCENE_QR_CODE, the code's scene and ticket); the push
 *   module pushes `subscribe` with `EventKey` `qrscene_<scene>` and `Ticket` on `user.followed`;
 * - following: `SCAN` with the bare scene as `EventKey` and `Ticket`, pushed here;
 * - unknown or expired code: no event (the client shows an error) — 404 / 410 from the simulator.
 */

import { conflict, notFound, SimulatorError } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import type { PushResult } from "../push/index.js";
import { follow, getFollow } from "../simulated-users/index.js";
import { findByTicket, findByUrl, isExpired, type Qrcode } from "./store.js";

export interface ScanTarget {
  ticket?: string;
  /** The URL the image encodes (`http://weixin.qq.com/q/…`). */
  url?: string;
  /** A non-follower accepts the follow offer (default true); false = nothing happens. */
  follow?: boolean;
  /** When given, the code must belong to this account (409 otherwise). */
  appid?: string;
}

export interface ScanOutcome {
  appid: string;
  ticket: string;
  scene: string;
  /** `subscribe` (followed from the scan), `SCAN` (already following), or null (follow declined). */
  event: "subscribe" | "SCAN" | null;
  openid: string | null;
  /** The SCAN push (the subscribe push is made by the push module and listed under /pushes). */
  push: PushResult | null;
}

export async function resolveTarget(ctx: ModuleContext<"push">, target: ScanTarget): Promise<Qrcode> {
  let code: Qrcode | undefined;
  if (target.ticket !== undefined) code = await findByTicket(ctx.db, target.ticket);
  else if (target.url !== undefined) code = await findByUrl(ctx.db, target.url);
  else throw new SimulatorError(400, "invalid_request", "give the code's ticket or url");
  if (!code) throw notFound("QR code");
  if (isExpired(code, ctx.clock.now()))
    throw new SimulatorError(410, "qrcode_expired", "the QR code has expired");
  return code;
}

export async function scanQrcode(
  ctx: ModuleContext<"push">,
  userId: string,
  target: ScanTarget,
): Promise<ScanOutcome> {
  const code = await resolveTarget(ctx, target);
  if (target.appid !== undefined && target.appid !== code.appid)
    throw conflict(`the QR code belongs to ${code.appid}, not ${target.appid}`);
  const account = await getAccount(ctx.db, code.appid);
  if (!account) throw notFound(`account ${code.appid}`);
  const base = { appid: account.appid, ticket: code.ticket, scene: code.scene };
  const current = await getFollow(ctx.db, account.appid, userId);
  if (current?.subscribed === 1) {
    const result = await ctx.services.push.send({
      appid: account.appid,
      userId,
      message: {
        kind: "event",
        MsgType: "event",
        ToUserName: account.originalId,
        FromUserName: current.openid,
        CreateTime: Math.floor(ctx.clock.now() / 1000),
        Event: "SCAN",
        EventKey: code.scene,
        Ticket: code.ticket,
      },
    });
    return { ...base, event: "SCAN", openid: current.openid, push: result };
  }
  if (target.follow === false) return { ...base, event: null, openid: current?.openid ?? null, push: null };
  const r = await follow(ctx, account, userId, {
    scene: "ADD_SCENE_QR_CODE",
    qrScene: code.sceneStr === "" ? code.sceneId : 0,
    qrSceneStr: code.sceneStr,
    ticket: code.ticket,
  });
  return { ...base, event: "subscribe", openid: r.openid, push: null };
}
