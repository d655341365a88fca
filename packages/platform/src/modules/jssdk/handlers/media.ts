/**
 * Images and voice (spec/jssdk.md §5.3–§5.5). Files chosen or recorded stay in the browser (the
 * phone), as local ids; the bridge sends their bytes with `uploadImage` / `uploadVoice`, which
 * keep them as temporary media (3 days) whose id `media/get` downloads. `chooseImage` asks the
 * user (a file picker or the user's sample photos); recording runs in the bridge (a sample clip or
 * a chosen file, with a transcript for `translateVoice`).
 */
import type { BridgeHandler } from "../apis.js";
import { cancel, fail, ok } from "../apis.js";
import { imageType, MAX_BYTES, type PageMediaType, voiceType } from "../media-store.js";
import { SAMPLE_IMAGE_COUNT } from "../samples.js";
import type { Toolkit } from "./toolkit.js";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const MAX_CHOOSE = 9;

export function mediaHandlers(kit: Toolkit): Record<string, BridgeHandler> {
  const upload =
    (type: PageMediaType): BridgeHandler =>
    async (call) => {
      if (!call.account) return { result: fail(call.name) };
      const file = call.upload;
      if (!str(call.args.localId) || !file) return { result: fail(call.name, "invalid localId") };
      const contentType = type === "image" ? imageType(file.data) : voiceType(file.data);
      if (!contentType) return { result: fail(call.name, `invalid ${type} file type`) };
      if (file.data.length > MAX_BYTES[type]) return { result: fail(call.name, `${type} file too large`) };
      const serverId = await kit
        .media()
        .save(call.account.appid, type, file.data, contentType, file.filename);
      return { result: ok(call.name, { serverId }) };
    };

  const download =
    (type: PageMediaType): BridgeHandler =>
    async (call) => {
      const m = call.account ? await kit.media().load(call.account.appid, str(call.args.serverId)) : null;
      if (!m || m.type !== type) return { result: fail(call.name, "invalid serverId") };
      return {
        result: ok(call.name),
        directive: {
          kind: "download",
          media: type,
          data: m.data.toString("base64"),
          contentType: m.contentType,
        },
      };
    };

  return {
    async chooseImage(call) {
      const asked = Number(call.args.count);
      const count = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, MAX_CHOOSE) : MAX_CHOOSE;
      const sources = Array.isArray(call.args.sourceType) ? call.args.sourceType : ["album", "camera"];
      const user = encodeURIComponent(call.user.id);
      return {
        result: ok(call.name),
        directive: {
          kind: "pickImage",
          count,
          sources,
          samples: Array.from(
            { length: SAMPLE_IMAGE_COUNT },
            (_, n) => `/_mpstack/jsbridge/samples/${user}/${n}.png`,
          ),
        },
        next: async (choice) => {
          const picked = Number((choice as { count?: unknown } | null)?.count);
          if (!Number.isInteger(picked) || picked < 1) return { result: cancel(call.name) };
          if (picked > count) return { result: fail(call.name, `at most ${count} images`) };
          return { result: ok(call.name) };
        },
      };
    },
    uploadImage: upload("image"),
    downloadImage: download("image"),
    async getLocalImgData(call) {
      if (!str(call.args.localId)) return { result: fail(call.name, "invalid localId") };
      return { result: ok(call.name), directive: { kind: "localImgData" } };
    },
    async imagePreview(call) {
      const urls = Array.isArray(call.args.urls) ? call.args.urls.filter((u) => typeof u === "string") : [];
      if (urls.length === 0) return { result: fail(call.name, "urls is empty") };
      return {
        result: ok(call.name),
        directive: { kind: "preview", current: str(call.args.current) || urls[0], urls: urls.slice(0, 100) },
      };
    },
    startRecord: async (call) => ({ result: ok(call.name), directive: { kind: "recordStart" } }),
    stopRecord: async (call) => ({ result: ok(call.name), directive: { kind: "recordStop" } }),
    playVoice: async (call) => ({ result: ok(call.name), directive: { kind: "voice", action: "play" } }),
    pauseVoice: async (call) => ({ result: ok(call.name), directive: { kind: "voice", action: "pause" } }),
    stopVoice: async (call) => ({ result: ok(call.name), directive: { kind: "voice", action: "stop" } }),
    uploadVoice: upload("voice"),
    downloadVoice: download("voice"),
    async translateVoice(call) {
      const transcript = call.local.transcript;
      if (!str(call.args.localId) || typeof transcript !== "string")
        return { result: fail(call.name, "invalid localId") };
      return { result: ok(call.name, { translateResult: transcript }) };
    },
  };
}
