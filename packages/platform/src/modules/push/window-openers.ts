/**
 * Which user actions open (or refresh) a customer-service window (callback.md §8,
 * customer-service.md §2.3). The push module records the latest action of each scene per user; the
 * customer-service module turns them into grants (count and validity per its rule profile).
 *
 * | scene          | pushes                                                                  |
 * |----------------|-------------------------------------------------------------------------|
 * | `user_message` | text (without bizmsgmenuid), image, voice, video, shortvideo, location, link |
 * | `menu_click`   | CLICK, scancode_push, scancode_waitmsg; a text carrying bizmsgmenuid (msgmenu tap) |
 * | `subscribe`    | subscribe (plain or from a QR code)                                     |
 * | `scan`         | SCAN                                                                    |
 *
 * VIEW, view_miniprogram, LOCATION, pic_*, location_select, unsubscribe and job events open nothing.
 */
import type { InboundPayload } from "@mpstack/protocol";
import type { Db, Tx } from "../../db/schema.js";

export type WindowScene = "user_message" | "menu_click" | "subscribe" | "scan";

const ORDINARY = new Set(["text", "image", "voice", "video", "shortvideo", "location", "link"]);
const MENU_EVENTS = new Set(["CLICK", "scancode_push", "scancode_waitmsg"]);

export function windowSceneOf(m: InboundPayload): WindowScene | null {
  if (m.MsgType !== "event") {
    if (!ORDINARY.has(m.MsgType)) return null;
    const menuTap =
      m.kind === "text" ? m.bizmsgmenuid : m.kind === "unknown" ? m.fields.bizmsgmenuid : undefined;
    return typeof menuTap === "string" && menuTap !== "" ? "menu_click" : "user_message";
  }
  const event = "Event" in m ? m.Event : undefined;
  if (event === undefined) return null;
  if (MENU_EVENTS.has(event)) return "menu_click";
  if (event === "subscribe") return "subscribe";
  if (event === "SCAN") return "scan";
  return null;
}

export async function recordWindowOpener(
  db: Db | Tx,
  o: { appid: string; userId: string; scene: WindowScene; at: number; pushId: string },
): Promise<void> {
  await db
    .insertInto("service_window_openers")
    .values({ appid: o.appid, user_id: o.userId, scene: o.scene, opened_at: o.at, push_id: o.pushId })
    .onConflict((oc) =>
      oc.columns(["appid", "user_id", "scene"]).doUpdateSet({ opened_at: o.at, push_id: o.pushId }),
    )
    .execute();
}

export interface WindowOpener {
  scene: WindowScene;
  /** ms */
  openedAt: number;
  pushId: string;
}

/** The latest action of each scene for a user and an account (for the customer-service module). */
export async function windowOpeners(db: Db, appid: string, userId: string): Promise<WindowOpener[]> {
  const rows = await db
    .selectFrom("service_window_openers")
    .selectAll()
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .orderBy("scene")
    .execute();
  return rows.map((r) => ({ scene: r.scene as WindowScene, openedAt: r.opened_at, pushId: r.push_id }));
}
