/**
 * The checks every upload passes, in WeChat's order (material.md §2.1): the file part is there
 * (41005) and not empty (44001), its bytes are a format the kind allows (40005), it is not too
 * large (40009…40012), and a voice plays at most 60 s (45007).
 */
import { ErrorCode } from "@mpstack/protocol";
import { WechatApiError } from "../../http/errors.js";
import { MAX_VOICE_SECONDS, type UploadRule } from "./limits.js";
import { type FileFormat, type Sniffed, sniff, voiceSeconds } from "./sniff.js";

export interface CheckedUpload {
  data: Buffer;
  filename: string;
  format: FileFormat;
  contentType: string;
  /** Voices: playing time when measurable. */
  seconds: number | null;
}

export function checkUpload(media: unknown, rule: UploadRule, voice: boolean): CheckedUpload {
  const file = media as { data?: unknown; filename?: unknown } | undefined;
  if (!file || typeof file !== "object" || !Buffer.isBuffer(file.data))
    throw new WechatApiError(ErrorCode.MediaDataMissing);
  const data = file.data;
  if (data.length === 0) throw new WechatApiError(ErrorCode.EmptyMediaData);
  const sniffed: Sniffed | null = sniff(data);
  if (!sniffed || !rule.formats.includes(sniffed.format)) throw new WechatApiError(ErrorCode.InvalidFileType);
  if (data.length > rule.maxBytes) throw new WechatApiError(rule.sizeCode);
  const seconds = voice ? voiceSeconds(data, sniffed.format) : null;
  if (seconds !== null && seconds > MAX_VOICE_SECONDS) throw new WechatApiError(ErrorCode.PlaytimeOutOfLimit);
  return {
    data,
    filename: typeof file.filename === "string" ? file.filename : "",
    format: sniffed.format,
    contentType: sniffed.contentType,
    seconds,
  };
}

/** `Content-disposition` and cache headers of a download (material.md §0: documented example). */
export function downloadHeaders(mediaId: string, ext: string, size: number): Record<string, string> {
  return {
    "content-disposition": `attachment; filename="${mediaId}.${ext}"`,
    "cache-control": "no-cache, must-revalidate",
    "content-length": String(size),
  };
}
