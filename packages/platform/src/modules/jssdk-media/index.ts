/**
 * `media/get` for what pages uploaded through JS-SDK (uploadImage, uploadVoice), until the
 * materials module serves temporary media. When it does, remove this module from
 * `modules/index.ts` and keep page uploads there: the materials module (required by jssdk) calls
 * `ctx.services.jssdk.setMediaStore(...)` with its temporary-media store, or jssdk's
 * `tableMediaStore` is replaced by it. Both implementing `media/get` stops the platform at start
 * ("implemented twice"), so the overlap cannot go unnoticed.
 */
import { catalog } from "@mpstack/protocol";
import { WechatApiError } from "../../http/errors.js";
import { bytes } from "../../http/results.js";
import { defineModule } from "../../module.js";

export const jssdkMediaModule = defineModule({
  name: "jssdk-media",
  requires: ["jssdk"],
  setup(ctx) {
    ctx.implement(catalog.media.get, async ({ account, input }) => {
      const m = await ctx.services.jssdk.media().load(account.appid, input.media_id);
      if (!m) throw new WechatApiError(40007);
      const ext = m.contentType.split("/")[1]?.replace("jpeg", "jpg") ?? "bin";
      return bytes(m.data, m.contentType, {
        "content-disposition": `attachment; filename="${m.mediaId.slice(0, 16)}.${ext}"`,
      });
    });
  },
});
