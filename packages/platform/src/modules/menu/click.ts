/**
 * A simulated user taps a menu button (menu.md §2.1, §8; callback.md §5.4): the push each type
 * produces, built with the protocol model and delivered by the push module.
 *
 * Emulator choices (menu.md §8, callback.md §5.4 leave them open): after a picture event each
 * picture is also sent as an ordinary `image` message, and after `location_select` the place is also
 * sent as an ordinary `location` message (`followUps: false` turns both off). `media_id` and
 * `article_id` buttons push nothing; the material/article lands in the conversation as an outgoing
 * message. `view_limited` / `article_view_limited` open content and push nothing.
 */
import { createHash, randomBytes } from "node:crypto";
import type { InboundHeader, InboundPayload } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { Account } from "../../account.js";
import { badRequest, conflict, notFound } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";
import { type ConversationMessage, recordMessage } from "../conversations/index.js";
import type { PushResult } from "../push/index.js";
import { getFollow } from "../simulated-users/index.js";
import type { MenuClients } from "./phone-menu.js";
import type { Menu } from "./store.js";
import { type Button, isLeaf } from "./types.js";
import { leavesOf } from "./validate.js";

export const ButtonClickSchema = Type.Object({
  appid: Type.String(),
  button: Type.Optional(
    Type.String({
      pattern: "^[0-9](\\.[0-9])?$",
      description: 'position, 0-based: "1" = second top-level button, "2.0" = first child of the third',
    }),
  ),
  key: Type.Optional(Type.String({ description: "or: the leaf with this key" })),
  name: Type.Optional(Type.String({ description: "or: the first button with this name" })),
  scanResult: Type.Optional(Type.String({ description: "scancode_*: the decoded text" })),
  scanType: Type.Optional(Type.String({ description: "scancode_*: default qrcode" })),
  pictures: Type.Optional(
    Type.Array(
      Type.Object({
        md5: Type.Optional(Type.String({ pattern: "^[0-9a-f]{32}$" })),
        data: Type.Optional(Type.String({ description: "base64 image bytes (PicMd5Sum = their MD5)" })),
      }),
      { minItems: 1, maxItems: 9, description: "pic_*: the chosen pictures (default one random picture)" },
    ),
  ),
  location: Type.Optional(
    Type.Object(
      {
        latitude: Type.Number({ minimum: -90, maximum: 90 }),
        longitude: Type.Number({ minimum: -180, maximum: 180 }),
        scale: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
        label: Type.Optional(Type.String()),
        poiname: Type.Optional(Type.String()),
      },
      { description: "location_select: the chosen place" },
    ),
  ),
  followUps: Type.Optional(
    Type.Boolean({
      description: "pic_*/location_select: also send the pictures/place as messages (default true)",
    }),
  ),
  refresh: Type.Optional(Type.Boolean({ description: "fetch the menu first, ignoring the client's cache" })),
});

const clickCheck = TypeCompiler.Compile(ButtonClickSchema);

/** A click body from `POST /users/{user}/events` (not validated by that route), checked like the own route. */
export function parseClick(body: unknown): ButtonClick {
  if (clickCheck.Check(body)) return body;
  const first = clickCheck.Errors(body).First();
  throw badRequest(`${first?.path || "body"}: ${first?.message ?? "invalid"}`);
}

export interface ButtonClick {
  button?: string;
  key?: string;
  name?: string;
  scanResult?: string;
  scanType?: string;
  pictures?: { md5?: string; data?: string }[];
  location?: { latitude: number; longitude: number; scale?: number; label?: string; poiname?: string };
  followUps?: boolean;
  refresh?: boolean;
}

export interface ClickResult {
  menuid: number;
  button: Button;
  /** The event pushed, or null (parent buttons, media_id, article_id, view_limited). */
  event: string | null;
  push: PushResult | null;
  /** Ordinary messages sent after the event (pictures, the chosen place). */
  followUps: PushResult[];
  /** What the tap put into the conversation without a push (media_id / article_id buttons). */
  delivered: ConversationMessage | null;
  /** What the client opened (view / miniprogram / view_limited / article_view_limited / a sub-menu). */
  opened: Record<string, unknown> | null;
}

/** The button a click names: by 0-based position, key, or name (leaves first, then parents). */
function findButton(menu: Menu, click: ButtonClick): Button {
  if (click.button !== undefined) {
    const [i, j] = click.button.split(".").map(Number) as [number, number | undefined];
    const top = menu.buttons[i];
    if (!top) throw notFound(`button ${click.button}`);
    if (j === undefined) return top;
    const child = isLeaf(top) ? undefined : top.sub_button[j];
    if (!child) throw notFound(`button ${click.button}`);
    return child;
  }
  const leaves = leavesOf(menu.buttons).map((l) => l.button);
  if (click.key !== undefined) {
    const hit = leaves.find((b) => "key" in b && b.key === click.key);
    if (!hit) throw notFound(`button with key ${click.key}`);
    return hit;
  }
  if (click.name !== undefined) {
    const hit = leaves.find((b) => b.name === click.name) ?? menu.buttons.find((b) => b.name === click.name);
    if (!hit) throw notFound(`button named ${click.name}`);
    return hit;
  }
  throw badRequest("name the button: button (position), key or name");
}

function pictureSums(click: ButtonClick): string[] {
  const list = click.pictures ?? [{}];
  return list.map((p) => {
    if (p.md5) return p.md5;
    const bytes = p.data !== undefined ? Buffer.from(p.data, "base64") : randomBytes(64);
    return createHash("md5").update(bytes).digest("hex");
  });
}

/** Tap a button of the menu the user's client shows. */
export async function clickButton(
  ctx: ModuleContext<"push">,
  clients: MenuClients,
  account: Account,
  userId: string,
  click: ButtonClick,
): Promise<ClickResult> {
  const follow = await getFollow(ctx.db, account.appid, userId);
  if (follow?.subscribed !== 1) throw conflict(`user ${userId} does not follow ${account.appid}`);
  const menu = await clients.menuFor(account.appid, userId, { refresh: click.refresh === true });
  if (!menu) throw conflict(`account ${account.appid} has no menu`);
  const button = findButton(menu, click);
  const result: ClickResult = {
    menuid: menu.menuid,
    button,
    event: null,
    push: null,
    followUps: [],
    delivered: null,
    opened: null,
  };
  if (!isLeaf(button)) {
    // Tapping a parent opens its sub-menu; nothing is pushed (menu.md §2.1).
    result.opened = { sub_button: button.sub_button };
    return result;
  }
  const header = (): InboundHeader => ({
    ToUserName: account.originalId,
    FromUserName: follow.openid,
    CreateTime: Math.floor(ctx.clock.now() / 1000),
  });
  const send = (message: InboundPayload) => ctx.services.push.send({ appid: account.appid, userId, message });
  const event = (name: string, fields: Record<string, unknown>) =>
    ({ kind: "event", MsgType: "event", ...header(), Event: name, ...fields }) as InboundPayload;
  const followUps = click.followUps !== false;

  switch (button.type) {
    case "click":
      result.push = await send(event("CLICK", { EventKey: button.key }));
      break;
    case "view":
      result.opened = { url: button.url };
      result.push = await send(event("VIEW", { EventKey: button.url, MenuId: String(menu.menuid) }));
      break;
    case "miniprogram":
      result.opened = { appid: button.appid, pagepath: button.pagepath, url: button.url };
      result.push = await send(
        event("view_miniprogram", { EventKey: button.pagepath, MenuId: String(menu.menuid) }),
      );
      break;
    case "scancode_push":
    case "scancode_waitmsg": {
      if (click.scanResult === undefined)
        throw badRequest(`scanResult is required for a ${button.type} button`);
      result.push = await send(
        event(button.type, {
          EventKey: button.key,
          ScanCodeInfo: { ScanType: click.scanType ?? "qrcode", ScanResult: click.scanResult },
        }),
      );
      break;
    }
    case "pic_sysphoto":
    case "pic_photo_or_album":
    case "pic_weixin": {
      const sums = pictureSums(click);
      result.push = await send(
        event(button.type, {
          EventKey: button.key,
          SendPicsInfo: { Count: sums.length, PicList: sums.map((s) => ({ PicMd5Sum: s })) },
        }),
      );
      if (followUps) {
        for (const sum of sums) {
          const mediaId = randomBytes(48).toString("base64url");
          result.followUps.push(
            await send({
              kind: "image",
              MsgType: "image",
              ...header(),
              PicUrl: `http://mmbiz.qpic.cn/mmbiz_jpg/${sum}/0`,
              MediaId: mediaId,
              MsgId: "",
            }),
          );
        }
      }
      break;
    }
    case "location_select": {
      const loc = click.location;
      if (!loc) throw badRequest("location is required for a location_select button");
      result.push = await send(
        event("location_select", {
          EventKey: button.key,
          SendLocationInfo: {
            Location_X: String(loc.latitude),
            Location_Y: String(loc.longitude),
            Scale: String(loc.scale ?? 15),
            Label: loc.label ?? "",
            Poiname: loc.poiname ?? "",
          },
        }),
      );
      if (followUps) {
        result.followUps.push(
          await send({
            kind: "location",
            MsgType: "location",
            ...header(),
            Location_X: loc.latitude,
            Location_Y: loc.longitude,
            Scale: loc.scale ?? 15,
            Label: loc.label ?? "",
            MsgId: "",
          }),
        );
      }
      break;
    }
    case "media_id":
    case "article_id": {
      // No event (menu.md §2.1): the platform itself sends the material / the article card.
      const isMedia = button.type === "media_id";
      result.delivered = await recordMessage(ctx, {
        appid: account.appid,
        userId,
        openid: follow.openid,
        direction: "out",
        kind: "menu",
        msgType: isMedia ? "material" : "article",
        payload: "media_id" in button ? { media_id: button.media_id } : { article_id: button.article_id },
      });
      return result;
    }
    case "view_limited":
      result.opened = { media_id: button.media_id };
      return result;
    case "article_view_limited":
      result.opened = { article_id: button.article_id };
      return result;
  }
  result.event = button.type === "miniprogram" ? "view_miniprogram" : eventName(button.type);
  return result;
}

function eventName(type: string): string {
  return type === "click" ? "CLICK" : type === "view" ? "VIEW" : type;
}
