/**
 * What each kind of upload may be (material.md §0.1, §0.2, §2.4): formats (by content), largest
 * size and the code WeChat answers past it, and how many permanent materials of a kind an account
 * may keep.
 */
import { ErrorCode, type MediaType } from "@mpstack/protocol";
import type { MaterialPolicy } from "./policy.js";
import type { FileFormat } from "./sniff.js";

export type UploadPurpose = "temporary" | "permanent";

export interface UploadRule {
  formats: readonly FileFormat[];
  /** Largest accepted size in bytes (inclusive). */
  maxBytes: number;
  /** The answer past `maxBytes` (40009 image, 40010 voice, 40011 video, 40012 thumb). */
  sizeCode: number;
}

const MB = 1024 * 1024;

const SIZE_CODES: Record<MediaType, number> = {
  image: ErrorCode.InvalidImageSize,
  voice: ErrorCode.InvalidVoiceSize,
  video: ErrorCode.InvalidVideoSize,
  thumb: ErrorCode.InvalidThumbSize,
};

const FORMATS: Record<UploadPurpose, Record<MediaType, readonly FileFormat[]>> = {
  temporary: { image: ["png", "jpg", "gif"], voice: ["amr", "mp3"], video: ["mp4"], thumb: ["jpg"] },
  permanent: {
    image: ["bmp", "png", "jpg", "gif"],
    voice: ["mp3", "wma", "wav", "amr"],
    video: ["mp4"],
    thumb: ["jpg"],
  },
};

function maxBytes(kind: MediaType, purpose: UploadPurpose, policy: MaterialPolicy): number {
  const older = policy.sizeLimits === "older";
  switch (kind) {
    case "image":
      return older ? 2 * MB : 10 * MB;
    case "voice":
      return older && purpose === "permanent" ? 5 * MB : 2 * MB;
    case "video":
      return 10 * MB;
    case "thumb":
      return 64 * 1024;
  }
}

export function uploadRule(kind: MediaType, purpose: UploadPurpose, policy: MaterialPolicy): UploadRule {
  return {
    formats: FORMATS[purpose][kind],
    maxBytes: maxBytes(kind, purpose, policy),
    sizeCode: SIZE_CODES[kind],
  };
}

/** `media/uploadimg`: jpg or png, under 1 MB. */
export const ARTICLE_IMAGE_RULE: UploadRule = {
  formats: ["jpg", "png"],
  maxBytes: MB - 1,
  sizeCode: ErrorCode.InvalidImageSize,
};

/** A voice plays at most this long (45007). */
export const MAX_VOICE_SECONDS = 60;

/** Most permanent materials of a kind (45074 past it). */
export function countLimit(kind: MediaType | "news", policy: MaterialPolicy): number {
  if (policy.maxMaterialsPerKind > 0) return policy.maxMaterialsPerKind;
  if (kind === "news" || kind === "image") return policy.countLimits === "older" ? 5_000 : 100_000;
  return 1_000;
}

/** The multipart limit of upload endpoints: above every rule, so each answers its own size code. */
export const UPLOAD_MAX_BYTES = 12 * MB;
