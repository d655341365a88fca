/**
 * XML ⇄ typed inbound messages. Unknown message types and events are never dropped or thrown: they come
 * back as `kind: "unknown"` with every field, as does a known type whose fields do not match the model
 * (with `problem` saying why). Only a body that is not a push at all (no header) throws `InboundError`.
 */
import { parseXml, type XmlLimits, type XmlRecord, type XmlValue } from "../xml.js";
import { buildXml, type XmlBuildRecord, type XmlBuildValue, XmlRawText } from "../xml-build.js";
import { type Codec, decodeShape, int, type Shape, ShapeError, text } from "./codec.js";
import type { InboundEvent, InboundEventName } from "./events.js";
import type { InboundHeader, OrdinaryMessage } from "./inbound.js";
import { eventBodies, messageBodies } from "./shapes.js";

/** A message type or event this model does not know, with all its fields but the header. */
export interface UnknownInbound extends InboundHeader {
  kind: "unknown";
  MsgType: string;
  Event?: string;
  /** Every element of the push except `ToUserName`, `FromUserName`, `CreateTime`, `MsgType`, `Event`. */
  fields: XmlRecord;
  /** Set when `MsgType`/`Event` is known but the fields did not match the model. */
  problem?: string;
}

/** A message or event as built by hand (e.g. by the platform, to push it). */
export type InboundPayload = OrdinaryMessage | InboundEvent | UnknownInbound;

/** A parsed push: the typed fields plus the parsed record it came from. */
export type InboundMessage = InboundPayload & { raw: XmlRecord };

export type InboundKind = InboundPayload["kind"];

export type InboundErrorCode = "MissingField" | "InvalidField";

/** The body is XML but not a push: its header (`ToUserName`, `FromUserName`, `CreateTime`, `MsgType`) is broken. */
export class InboundError extends Error {
  constructor(
    readonly code: InboundErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "InboundError";
  }
}

/** Every `Event` value this model types (case-sensitive); other events parse as `kind: "unknown"`. */
export const KNOWN_EVENTS = Object.keys(eventBodies) as readonly InboundEventName[];

/** Every ordinary `MsgType` this model types. */
export const KNOWN_MESSAGE_TYPES = Object.keys(messageBodies) as readonly OrdinaryMessage["MsgType"][];

const HEADER_KEYS = new Set(["ToUserName", "FromUserName", "CreateTime", "MsgType", "Event"]);

const header: Shape<InboundHeader & { MsgType: string }> = {
  ToUserName: text,
  FromUserName: text,
  CreateTime: int,
  MsgType: text,
};

/** Parses a decrypted push body. Throws `XmlError` for bad XML and `InboundError` for a missing header. */
export function parseInbound(xml: string | Uint8Array, limits?: XmlLimits): InboundMessage {
  return inboundFromRecord(parseXml(xml, limits));
}

export function inboundFromRecord(record: XmlRecord): InboundMessage {
  let head: InboundHeader & { MsgType: string };
  try {
    head = decodeShape(header, record, "xml");
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    const field = error.path.split(".")[1] ?? "xml";
    const code = error.problem === "missing" ? "MissingField" : "InvalidField";
    throw new InboundError(code, field, `not a WeChat push: ${error.message}`);
  }
  const { MsgType } = head;
  if (MsgType === "event") {
    const event = record.Event;
    if (typeof event !== "string")
      return unknown(head, record, event === undefined ? undefined : "Event is not text");
    const body = lookup<Codec<object>>(eventBodies, event);
    if (body === undefined) return unknown(head, record);
    return decodeKnown(head, record, body, { kind: "event", MsgType, Event: event });
  }
  const body = lookup<Codec<object>>(messageBodies, MsgType);
  if (body === undefined) return unknown(head, record);
  return decodeKnown(head, record, body, { kind: MsgType, MsgType });
}

/** Serialises a message the way the platform pushes it: header, then the type's fields in wire order. */
export function inboundToXml(message: InboundPayload): string {
  const entries: [string, XmlBuildValue][] = [
    ["ToUserName", message.ToUserName],
    ["FromUserName", message.FromUserName],
    ["CreateTime", message.CreateTime],
    ["MsgType", message.MsgType],
  ];
  if (message.kind === "unknown") {
    if (message.Event !== undefined) entries.push(["Event", message.Event]);
    for (const [key, value] of Object.entries(message.fields)) {
      if (!HEADER_KEYS.has(key)) entries.push([key, bareNumbers(value)]);
    }
  } else {
    let body: Codec<object> | undefined;
    if (message.kind === "event") {
      entries.push(["Event", message.Event]);
      body = lookup<Codec<object>>(eventBodies, message.Event);
    } else {
      body = lookup<Codec<object>>(messageBodies, message.MsgType);
    }
    if (body === undefined) throw new TypeError(`no model for ${message.MsgType}/${describeEvent(message)}`);
    const encoded = body.encode(message) as XmlBuildRecord;
    entries.push(...Object.entries(encoded));
  }
  // fromEntries defines own properties, so no field name can reach a prototype.
  return buildXml(Object.fromEntries(entries));
}

function decodeKnown(
  head: InboundHeader & { MsgType: string },
  record: XmlRecord,
  body: Codec<object>,
  discriminators: Record<string, string>,
): InboundMessage {
  try {
    const fields = body.decode(record, "xml") as Record<string, unknown>;
    // Assigned key by key: spreading three objects into a literal cost more than parsing the XML.
    const message: Record<string, unknown> = {};
    for (const key in discriminators) message[key] = discriminators[key];
    for (const key in head) message[key] = head[key as keyof typeof head];
    for (const key in fields) message[key] = fields[key];
    message.raw = record;
    return message as unknown as InboundMessage;
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    return unknown(head, record, error.message);
  }
}

function unknown(
  head: InboundHeader & { MsgType: string },
  record: XmlRecord,
  problem?: string,
): InboundMessage {
  const fields: XmlRecord = Object.fromEntries(
    Object.entries(record).filter(([key]) => !HEADER_KEYS.has(key)),
  );
  const message: InboundMessage = { kind: "unknown", ...head, fields, raw: record };
  if (typeof record.Event === "string") message.Event = record.Event;
  if (problem !== undefined) message.problem = problem;
  return message;
}

function lookup<T>(table: object, key: string): T | undefined {
  return Object.hasOwn(table, key) ? ((table as Record<string, T>)[key] as T) : undefined;
}

function describeEvent(message: InboundPayload): string {
  return "Event" in message && typeof message.Event === "string" ? message.Event : "-";
}

/** Unknown fields are all text; write plain numbers bare, as WeChat writes its numeric fields. */
function bareNumbers(value: XmlValue): XmlBuildValue {
  if (typeof value === "string") return /^-?\d+(?:\.\d+)?$/.test(value) ? new XmlRawText(value) : value;
  if (Array.isArray(value)) return value.map(bareNumbers);
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, bareNumbers(child)]));
}
