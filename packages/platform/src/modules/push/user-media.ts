/**
 * Media a simulated user sends (the phone's image and voice uploads): the bytes are kept in the data
 * folder (`<data>/user-media/<mediaId>`) and served at `GET /_mpstack/user-media/{mediaId}` — the
 * PicUrl of the image pushes, and what the console plays for voice. Unknown ids answer a 1×1 PNG
 * placeholder (the PicUrl of images sent without an upload). Uploads are JSON (base64), bounded by
 * the simulator's body limit and `MAX_USER_MEDIA_BYTES`; files survive a world reset (ids are random).
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { badRequest } from "../../http/simulator.js";
import type { ModuleContext } from "../../module.js";

/** A 1×1 PNG: the bytes behind generated PicUrls. */
const PLACEHOLDER_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** WeChat's limit for a user's image is far above; 1.5 MB keeps the JSON body under 2 MiB. */
export const MAX_USER_MEDIA_BYTES = 1_500_000;

const TYPES: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "audio/amr": "amr",
  "audio/mpeg": "mp3",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/ogg": "ogg",
  "audio/webm": "webm",
  "video/mp4": "mp4",
};

const ID = /^[A-Za-z0-9_-]{16,128}$/;

export function addUserMediaRoutes(ctx: ModuleContext): void {
  const dir = () => join(ctx.runtime.dataDir, "user-media");
  ctx.simulator.route({
    method: "POST",
    url: "/user-media",
    tag: "push",
    summary:
      "Upload what a user is about to send (image, voice, video) as base64; answers { mediaId, url, format } to use in POST /users/{user}/messages (mediaId, picUrl, format).",
    body: Type.Object({
      contentType: Type.String({ description: Object.keys(TYPES).join(", ") }),
      data: Type.String({ description: "base64 bytes", maxLength: Math.ceil(MAX_USER_MEDIA_BYTES / 3) * 4 }),
    }),
    handler: async ({ body }) => {
      const ext = TYPES[body.contentType];
      if (!ext) throw badRequest(`contentType: one of ${Object.keys(TYPES).join(", ")}`);
      const bytes = Buffer.from(body.data, "base64");
      if (bytes.length === 0) throw badRequest("data: empty");
      if (bytes.length > MAX_USER_MEDIA_BYTES)
        throw badRequest(`data: more than ${MAX_USER_MEDIA_BYTES} bytes`);
      const mediaId = randomBytes(48).toString("base64url");
      await mkdir(dir(), { recursive: true });
      await writeFile(join(dir(), mediaId), bytes);
      await writeFile(join(dir(), `${mediaId}.type`), body.contentType);
      return {
        mediaId,
        url: `${ctx.runtime.url}/_mpstack/user-media/${mediaId}`,
        format: ext,
        bytes: bytes.length,
      };
    },
  });
  ctx.simulator.route({
    method: "GET",
    url: "/user-media/:mediaId",
    tag: "push",
    summary:
      "The bytes a user uploaded, or a 1×1 PNG placeholder behind the PicUrl of images sent without one.",
    params: Type.Object({ mediaId: Type.String() }),
    handler: async ({ params }, reply) => {
      if (ID.test(params.mediaId)) {
        try {
          const [bytes, type] = await Promise.all([
            readFile(join(dir(), params.mediaId)),
            readFile(join(dir(), `${params.mediaId}.type`), "utf8"),
          ]);
          return reply.type(type).header("cache-control", "private, max-age=86400").send(bytes);
        } catch {
          // not uploaded: the placeholder
        }
      }
      return reply.type("image/png").send(PLACEHOLDER_PNG);
    },
  });
}
