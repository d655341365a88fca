/**
 * Where pages' uploads go (uploadImage, uploadVoice → a temporary media_id, 3 days, spec/jssdk.md
 * §5.3–§5.4) and where downloadImage/downloadVoice read from: the materials module's temporary
 * media, behind one small interface (tests may put another store in its place).
 */
import type { ModuleContext } from "../../module.js";
import { findTemporary } from "../materials/index.js";

export const MEDIA_TTL_MS = 3 * 86_400_000;
/** WeChat's temporary media limits (material.md §0.1): image 10 MB, voice 2 MB. */
export const MAX_BYTES = { image: 10 * 1024 * 1024, voice: 2 * 1024 * 1024 } as const;
export type PageMediaType = keyof typeof MAX_BYTES;

export interface StoredMedia {
  mediaId: string;
  appid: string;
  type: PageMediaType;
  contentType: string;
  filename: string;
  data: Buffer;
  createdAt: number;
}

export interface JssdkMediaStore {
  /** Keep `data` as temporary media of `appid`; answers its media_id. */
  save(
    appid: string,
    type: PageMediaType,
    data: Buffer,
    contentType: string,
    filename: string,
  ): Promise<string>;
  /** The media of `appid` with this id while it has not expired, else null. */
  load(appid: string, mediaId: string): Promise<StoredMedia | null>;
}

/**
 * Page uploads as the materials module's temporary media (source `jssdk`): one media_id space,
 * so `media/get` (and `media/get/jssdk` for voices) serve them like any other upload.
 */
export function materialsMediaStore(ctx: ModuleContext<"materials">): JssdkMediaStore {
  const materials = ctx.services.materials;
  return {
    async save(appid, type, data, contentType, filename) {
      const ext = filename.includes(".") ? (filename.split(".").pop() ?? "") : "";
      const saved = await materials.saveTemporary({
        appid,
        type,
        source: "jssdk",
        data,
        filename,
        contentType,
        ext: ext || (type === "voice" ? "amr" : (contentType.split("/")[1]?.replace("jpeg", "jpg") ?? "bin")),
      });
      return saved.mediaId;
    },
    async load(appid, mediaId) {
      const row = await findTemporary(ctx.db, appid, mediaId, ctx.clock.now());
      if (!row?.blob_hash || (row.type !== "image" && row.type !== "voice")) return null;
      const data = await materials.blobs.read(row.blob_hash);
      if (!data) return null;
      return {
        mediaId: row.media_id,
        appid: row.appid,
        type: row.type,
        contentType: row.content_type,
        filename: row.filename,
        data,
        createdAt: Number(row.created_at),
      };
    },
  };
}

/** The image formats temporary media takes (checked on the bytes, not the name). */
export function imageType(data: Buffer): string | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  if (
    data.length >= 8 &&
    data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return "image/png";
  if (data.length >= 6 && /^GIF8[79]a$/.test(data.subarray(0, 6).toString("latin1"))) return "image/gif";
  if (data.length >= 2 && data[0] === 0x42 && data[1] === 0x4d) return "image/bmp";
  return null;
}

/** The voice formats (AMR, MP3, WAV, Speex/Ogg, WebM/Opus recordings of a browser). */
export function voiceType(data: Buffer): string | null {
  const head = data.subarray(0, 12).toString("latin1");
  if (head.startsWith("#!AMR")) return "audio/amr";
  if (head.startsWith("ID3") || (data[0] === 0xff && ((data[1] ?? 0) & 0xe0) === 0xe0)) return "audio/mpeg";
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WAVE") return "audio/wav";
  if (head.startsWith("OggS")) return "audio/ogg";
  if (data.length >= 4 && data.readUInt32BE(0) === 0x1a45dfa3) return "audio/webm";
  return null;
}
