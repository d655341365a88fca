/**
 * Job-result events (MASSSENDJOBFINISH, PUBLISHJOBFINISH) pushed exactly once, across crashes: a
 * job marks itself pushed after `push.send` has written the outbox row; a job found unmarked at
 * start looks for its row in the outbox first (by event and the id inside the XML), so a crash
 * between the two writes never pushes twice. The push module then owns the delivery and retries.
 */
import type { InboundPayload } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import type { ModuleContext } from "../../module.js";
import { openidFor } from "../simulated-users/index.js";

/** The pusher's user id of job events (a system "mass-send helper", spec mass-send.md §13.1). */
export const SYSTEM_USER_ID = "_mphelper";

/** The `FromUserName` of job events: an OpenID-like id of the helper for this account. */
export const systemOpenid = (appid: string) => openidFor(appid, SYSTEM_USER_ID);

export function systemEventHeader(account: Account, nowSeconds: number) {
  return {
    kind: "event" as const,
    MsgType: "event" as const,
    ToUserName: account.originalId,
    FromUserName: systemOpenid(account.appid),
    CreateTime: nowSeconds,
  };
}

/** Push `message` unless the outbox already holds a push of this event whose XML contains `marker`. */
export async function pushSystemEventOnce(
  ctx: ModuleContext<"push">,
  appid: string,
  message: InboundPayload & { Event: string },
  marker: string,
): Promise<void> {
  const existing = await ctx.db
    .selectFrom("pushes")
    .select("id")
    .where("appid", "=", appid)
    .where("event", "=", message.Event)
    .where("xml", "like", `%${marker}%`)
    .executeTakeFirst();
  if (existing) return;
  await ctx.services.push.send({ appid, userId: SYSTEM_USER_ID, message, wait: false });
}
