/**
 * Where pages' uploads go (uploadImage, uploadVoice → a temporary media_id, 3 days, spec/jssdk.md
 * §5.3–§5.4) and where downloadImage/downloadVoice read from. One small interface, so the
 * materials module's temporary media can take its place: until then the bytes live in this
 * module's `jssdk_media` table and the `jssdk-media` module serves them through `media/get`.
 */
import { randomBytes } from "node:crypto";
import type { World } from "../../world.js";

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

/** 64 URL-safe characters, like WeChat's temporary media ids. */
const newMediaId = () => randomBytes(48).toString("base64url");

export function tableMediaStore(w: World): JssdkMediaStore {
  return {
    async save(appid, type, data, contentType, filename) {
      const now = w.clock.now();
      const mediaId = newMediaId();
      await w.db
        .insertInto("jssdk_media")
        .values({
          media_id: mediaId,
          appid,
          type,
          content_type: contentType,
          filename,
          size: data.length,
          data: data.toString("base64"),
          created_at: now,
          expires_at: now + MEDIA_TTL_MS,
        })
        .execute();
      await w.db.deleteFrom("jssdk_media").where("expires_at", "<", now).execute();
      return mediaId;
    },
    async load(appid, mediaId) {
      const r = await w.db
        .selectFrom("jssdk_media")
        .selectAll()
        .where("media_id", "=", mediaId)
        .executeTakeFirst();
      if (!r || r.appid !== appid || Number(r.expires_at) <= w.clock.now()) return null;
      return {
        mediaId: r.media_id,
        appid: r.appid,
        type: r.type as PageMediaType,
        contentType: r.content_type,
        filename: r.filename,
        data: Buffer.from(r.data, "base64"),
        createdAt: Number(r.created_at),
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
