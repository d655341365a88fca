/**
 * Media uploads: multipart/form-data with the file in the part named `media` (spec/material.md),
 * from a Buffer, a file path or a Readable stream. Buffers and files are sent with a known length
 * and can be re-sent on retry; streams are sent chunked, once.
 */
import { randomBytes } from "node:crypto";
import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Readable } from "node:stream";
import type { RequestBody } from "./transport.js";

/** A file's bytes: a Buffer/Uint8Array, a file path, or a readable stream. */
export type MediaBody = Uint8Array | string | Readable;

/**
 * What an upload takes: the bytes alone, or with an explicit filename and content type (the shape of
 * the protocol's `UploadFile` schema, whose `data` may here also be a path or a stream).
 */
export type MediaInput = MediaBody | { data: MediaBody; filename?: string; contentType?: string };

/** An encoded multipart body; `replayable` says whether `open()` can be called again for a retry. */
export interface MultipartBody {
  contentType: string;
  replayable: boolean;
  open(): RequestBody;
}

const TYPES_BY_EXTENSION: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".gif": "image/gif",
  ".bmp": "image/bmp",
  ".amr": "audio/amr",
  ".mp3": "audio/mpeg",
  ".wma": "audio/x-ms-wma",
  ".wav": "audio/wav",
  ".speex": "audio/speex",
  ".mp4": "video/mp4",
};

/** Encodes `fields` (strings; objects as raw-UTF-8 JSON) and the file part `media`. */
export async function encodeMultipart(
  fields: Record<string, string>,
  media: MediaInput,
): Promise<MultipartBody> {
  const source = normalise(media);
  const boundary = `----mpstack${randomBytes(12).toString("hex")}`;
  let head = "";
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
  }
  const body = source.data;
  const firstBytes = body instanceof Uint8Array ? body.subarray(0, 16) : undefined;
  const filename = source.filename ?? defaultFilename(body, source.contentType, firstBytes);
  const contentType = source.contentType ?? contentTypeOf(filename, firstBytes);
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="${quote(filename)}"\r\n` +
    `Content-Type: ${contentType}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const header = { contentType: `multipart/form-data; boundary=${boundary}` };

  if (body instanceof Uint8Array) {
    const blob = new Blob([head, body, tail]);
    return { ...header, replayable: true, open: () => blob };
  }
  if (typeof body === "string") {
    await stat(body); // fail early, with the path in the error, if the file is missing
    const file = await openAsBlob(body);
    const blob = new Blob([head, file, tail]);
    return { ...header, replayable: true, open: () => blob };
  }
  let opened = false;
  return {
    ...header,
    replayable: false,
    open: () => {
      if (opened) throw new Error("a stream upload cannot be sent twice");
      opened = true;
      return streamParts(head, body, tail);
    },
  };
}

async function* streamParts(head: string, body: Readable, tail: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(head);
  for await (const chunk of body)
    yield typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Uint8Array);
  yield Buffer.from(tail);
}

function normalise(media: MediaInput): { data: MediaBody; filename?: string; contentType?: string } {
  if (typeof media === "string" || media instanceof Uint8Array || isReadable(media)) return { data: media };
  if (typeof media !== "object" || media === null || media.data === undefined) {
    throw new TypeError(
      "media must be a Buffer, a file path, a Readable, or { data, filename?, contentType? }",
    );
  }
  return media;
}

function isReadable(value: unknown): value is Readable {
  return typeof value === "object" && value !== null && typeof (value as Readable).pipe === "function";
}

/** Header parameter quoting as browsers do it: `"`, CR and LF percent-encoded; UTF-8 kept raw. */
function quote(text: string): string {
  return text.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function defaultFilename(body: MediaBody, contentType: string | undefined, firstBytes?: Uint8Array): string {
  if (typeof body === "string") return basename(body);
  const streamPath = (body as { path?: unknown }).path;
  if (typeof streamPath === "string") return basename(streamPath); // fs.ReadStream
  const type = contentType ?? (firstBytes && sniff(firstBytes));
  const ext = Object.entries(TYPES_BY_EXTENSION).find(([, t]) => t === type)?.[0];
  return `media${ext ?? ".bin"}`;
}

function contentTypeOf(filename: string, firstBytes?: Uint8Array): string {
  return (
    TYPES_BY_EXTENSION[extname(filename).toLowerCase()] ??
    (firstBytes && sniff(firstBytes)) ??
    "application/octet-stream"
  );
}

/** Recognises the formats WeChat accepts by their magic numbers. */
function sniff(b: Uint8Array): string | undefined {
  const ascii = Buffer.from(b).toString("latin1");
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii.startsWith("\x89PNG")) return "image/png";
  if (ascii.startsWith("GIF8")) return "image/gif";
  if (ascii.startsWith("BM")) return "image/bmp";
  if (ascii.startsWith("#!AMR")) return "audio/amr";
  if (ascii.startsWith("ID3") || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0)) return "audio/mpeg";
  if (ascii.slice(4, 8) === "ftyp") return "video/mp4";
  return undefined;
}
