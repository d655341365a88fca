/**
 * Simulator bodies → the protocol's inbound model: what a user sends (`POST /users/{user}/messages`)
 * and raw events (`POST /users/{user}/events` with `type: "raw"`).
 */
import { randomBytes } from "node:crypto";
import type { InboundHeader, InboundPayload, OrdinaryMessage, XmlRecord, XmlValue } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import { badRequest } from "../../http/simulator.js";

export const MESSAGE_TYPES = ["text", "image", "voice", "video", "shortvideo", "location", "link"] as const;

export const MessageBody = Type.Object({
  appid: Type.String(),
  type: Type.Union(MESSAGE_TYPES.map((t) => Type.Literal(t))),
  content: Type.Optional(Type.String({ description: "text" })),
  bizmsgmenuid: Type.Optional(Type.String({ description: "text: the tapped option of a menu message" })),
  mediaId: Type.Optional(
    Type.String({ description: "image/voice/video/shortvideo; generated when omitted" }),
  ),
  picUrl: Type.Optional(Type.String({ description: "image; a placeholder URL when omitted" })),
  format: Type.Optional(Type.String({ description: "voice; default amr" })),
  recognition: Type.Optional(Type.String({ description: "voice: the speech recognition result" })),
  thumbMediaId: Type.Optional(Type.String({ description: "video/shortvideo; generated when omitted" })),
  locationX: Type.Optional(Type.Number({ description: "location: latitude" })),
  locationY: Type.Optional(Type.Number({ description: "location: longitude" })),
  scale: Type.Optional(Type.Integer({ description: "location: zoom level, default 15" })),
  label: Type.Optional(Type.String({ description: "location: place description" })),
  title: Type.Optional(Type.String({ description: "link" })),
  description: Type.Optional(Type.String({ description: "link" })),
  url: Type.Optional(Type.String({ description: "link" })),
  msgId: Type.Optional(Type.String({ pattern: "^[0-9]{1,20}$", description: "generated when omitted" })),
  msgDataId: Type.Optional(Type.String({ description: "when the message came from an article" })),
  idx: Type.Optional(Type.Integer({ minimum: 1 })),
});

export interface MessageInput {
  type: (typeof MESSAGE_TYPES)[number];
  content?: string;
  bizmsgmenuid?: string;
  mediaId?: string;
  picUrl?: string;
  format?: string;
  recognition?: string;
  thumbMediaId?: string;
  locationX?: number;
  locationY?: number;
  scale?: number;
  label?: string;
  title?: string;
  description?: string;
  url?: string;
  msgId?: string;
  msgDataId?: string;
  idx?: number;
}

/** A temporary media id shaped like WeChat's (64 URL-safe characters). */
export function newMediaId(): string {
  return randomBytes(48).toString("base64url");
}

function required<T>(value: T | undefined, field: string, type: string): T {
  if (value === undefined || value === "") throw badRequest(`${field} is required for a ${type} message`);
  return value;
}

/**
 * The ordinary message a user sends. MsgId is left for push() to fill unless given.
 * `placeholderPicUrl` makes a PicUrl for an image without one.
 */
export function ordinaryMessage(
  b: MessageInput,
  header: InboundHeader,
  placeholderPicUrl: (mediaId: string) => string,
): OrdinaryMessage {
  const trailer = {
    MsgId: b.msgId ?? "",
    ...(b.msgDataId !== undefined ? { MsgDataId: b.msgDataId } : {}),
    ...(b.idx !== undefined ? { Idx: b.idx } : {}),
  };
  switch (b.type) {
    case "text":
      return {
        kind: "text",
        MsgType: "text",
        ...header,
        Content: required(b.content, "content", "text"),
        ...(b.bizmsgmenuid !== undefined ? { bizmsgmenuid: b.bizmsgmenuid } : {}),
        ...trailer,
      };
    case "image": {
      const mediaId = b.mediaId ?? newMediaId();
      return {
        kind: "image",
        MsgType: "image",
        ...header,
        PicUrl: b.picUrl ?? placeholderPicUrl(mediaId),
        MediaId: mediaId,
        ...trailer,
      };
    }
    case "voice":
      return {
        kind: "voice",
        MsgType: "voice",
        ...header,
        MediaId: b.mediaId ?? newMediaId(),
        Format: b.format ?? "amr",
        ...(b.recognition !== undefined ? { Recognition: b.recognition } : {}),
        ...trailer,
      };
    case "video":
    case "shortvideo":
      return {
        kind: b.type,
        MsgType: b.type,
        ...header,
        MediaId: b.mediaId ?? newMediaId(),
        ThumbMediaId: b.thumbMediaId ?? newMediaId(),
        ...trailer,
      } as OrdinaryMessage;
    case "location":
      return {
        kind: "location",
        MsgType: "location",
        ...header,
        Location_X: required(b.locationX, "locationX", "location"),
        Location_Y: required(b.locationY, "locationY", "location"),
        Scale: b.scale ?? 15,
        Label: b.label ?? "",
        ...trailer,
      };
    case "link":
      return {
        kind: "link",
        MsgType: "link",
        ...header,
        Title: required(b.title, "title", "link"),
        Description: b.description ?? "",
        Url: required(b.url, "url", "link"),
        ...trailer,
      };
  }
}

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const HEADER = new Set(["ToUserName", "FromUserName", "CreateTime", "MsgType", "Event"]);

/** JSON → XML record: numbers and booleans become text, nested objects elements, arrays repeats. */
function toXmlValue(v: unknown, path: string, depth: number): XmlValue {
  if (depth > 8) throw badRequest(`${path}: nested too deeply`);
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.map((x, i) => toXmlValue(x, `${path}[${i}]`, depth + 1));
  if (v !== null && typeof v === "object") return toXmlRecord(v as Record<string, unknown>, path, depth + 1);
  throw badRequest(`${path}: must be a string, number, object or array`);
}

function toXmlRecord(o: Record<string, unknown>, path: string, depth: number): XmlRecord {
  const out: XmlRecord = {};
  for (const [k, v] of Object.entries(o)) {
    if (!ELEMENT_NAME.test(k)) throw badRequest(`${path}.${k}: not an XML element name`);
    out[k] = toXmlValue(v, `${path}.${k}`, depth);
  }
  return out;
}

/** Any event (or unmodelled message type) with the fields given, pushed as is. */
export function rawMessage(
  input: { msgType?: string; event?: string; fields?: Record<string, unknown> },
  header: InboundHeader,
): InboundPayload {
  const msgType = input.msgType ?? "event";
  if (!ELEMENT_NAME.test(msgType)) throw badRequest("msgType: letters, digits and _ only");
  if (msgType === "event" && !input.event) throw badRequest("event is required when msgType is event");
  const fields = toXmlRecord(input.fields ?? {}, "fields", 0);
  for (const k of Object.keys(fields))
    if (HEADER.has(k)) throw badRequest(`fields.${k}: set by the platform (use event / msgType)`);
  return {
    kind: "unknown",
    MsgType: msgType,
    ...header,
    ...(input.event ? { Event: input.event } : {}),
    fields,
  };
}
