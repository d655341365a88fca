/**
 * Temporary media (spec/material.md §2): upload, download, the JS-SDK high-quality voice and the
 * image upload for article HTML; and the two mass-send preparations that live under `media/`
 * (spec/mass-send.md §2–3): an article group and a video made ready for a mass send.
 */
import { Type } from "@sinclair/typebox";
import { BinaryFile, UploadFile } from "../schemas.js";
import { Article } from "./articles.js";
import { endpoint, group } from "./endpoint.js";

/** The four kinds of temporary media. */
export const MEDIA_TYPES = ["image", "voice", "video", "thumb"] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** What uploadnews / uploadvideo answer: a temporary id of the mass-send material. */
const MassMaterial = Type.Object({
  type: Type.String(),
  media_id: Type.String(),
  created_at: Type.Integer(),
});

export const media = group("media", {
  /**
   * 新增临时素材
   *
   * Upload a temporary image, voice, video or thumb (kept 3 days); returns its media_id.
   *
   * See spec/material.md §2.1.
   */
  upload: endpoint({
    title: "新增临时素材",
    method: "POST",
    host: "api",
    path: "/cgi-bin/media/upload",
    permission: "material",
    request: Type.Object({
      type: Type.Union(MEDIA_TYPES.map((t) => Type.Literal(t))),
      media: UploadFile,
    }),
    requestIn: "multipart",
    queryKeys: ["type"],
    response: Type.Object({
      type: Type.String(),
      media_id: Type.String(),
      /** Seen for `thumb` uploads instead of (mpstack: beside) `media_id`. */
      thumb_media_id: Type.Optional(Type.String()),
      created_at: Type.Integer(),
    }),
    dailyQuota: 100000,
  }),
  /**
   * 获取临时素材
   *
   * Download a temporary media file; for a video WeChat answers {video_url} instead.
   *
   * See spec/material.md §2.2.
   */
  get: endpoint({
    title: "获取临时素材",
    method: "GET",
    host: "api",
    path: "/cgi-bin/media/get",
    permission: "material",
    request: Type.Object({ media_id: Type.String() }),
    response: Type.Union([BinaryFile, Type.Object({ video_url: Type.String() })]),
    responseKind: "binary",
    dailyQuota: 200000,
  }),
  /**
   * 高清语音素材获取接口
   *
   * Download a JS-SDK uploadVoice recording as 16 kHz speex.
   *
   * See spec/material.md §2.3.
   */
  getHdVoice: endpoint({
    title: "高清语音素材获取接口",
    method: "GET",
    host: "api",
    path: "/cgi-bin/media/get/jssdk",
    permission: "material",
    request: Type.Object({ media_id: Type.String() }),
    response: BinaryFile,
    responseKind: "binary",
  }),
  /**
   * 上传图文消息内的图片获取URL
   *
   * Upload a jpg/png (< 1 MB) for use inside article HTML; returns its URL.
   *
   * See spec/material.md §2.4.
   */
  uploadImg: endpoint({
    title: "上传图文消息内的图片获取URL",
    method: "POST",
    host: "api",
    path: "/cgi-bin/media/uploadimg",
    permission: "material",
    request: Type.Object({ media: UploadFile }),
    requestIn: "multipart",
    response: Type.Object({ url: Type.String() }),
  }),
  /**
   * 上传图文消息素材
   *
   * Upload a group of 1–8 articles for a mass send (a temporary id, kept 3 days).
   *
   * See spec/mass-send.md §2.
   */
  uploadNews: endpoint({
    title: "上传图文消息素材",
    method: "POST",
    host: "api",
    path: "/cgi-bin/media/uploadnews",
    permission: "send.mass",
    request: Type.Object({ articles: Type.Array(Article) }),
    response: MassMaterial,
  }),
  /**
   * 上传群发视频
   *
   * Turn a temporary video into one a mass send (`mpvideo`) may carry, with its title and description.
   *
   * See spec/mass-send.md §3.
   */
  uploadVideo: endpoint({
    title: "上传群发视频",
    method: "POST",
    host: "api",
    path: "/cgi-bin/media/uploadvideo",
    permission: "send.mass",
    request: Type.Object({
      media_id: Type.String(),
      title: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
    }),
    response: MassMaterial,
  }),
});
