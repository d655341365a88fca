/** The WeChat QR and short-link endpoints (qrcode-shorturl.md §1, §2, §4–§6). */
import { catalog, ErrorCode } from "@mpstack/protocol";
import type { ModuleContext } from "../../context.js";
import { BinaryResult, withAnyJsonBody } from "../../http/api.js";
import { errorBody, ok, WechatApiError } from "../../http/errors.js";
import { newRid } from "../../http/rid.js";
import { qrPng } from "./image.js";
import { fetchShortKey, genShortKey } from "./shorten.js";
import { createQrcode, findByTicket, getQrcodeSettings, isExpired, parseQrcodeRequest } from "./store.js";

const SHOWQRCODE_PATH = catalog.qrcode.show.path;

export function implementQrcodeApi(ctx: ModuleContext): void {
  ctx.implement(withAnyJsonBody(catalog.qrcode.create), async (call) => {
    const appid = call.account.appid;
    const settings = await getQrcodeSettings(ctx.db, appid);
    const req = parseQrcodeRequest(call.input as Record<string, unknown>, settings);
    const code = await createQrcode(ctx, appid, req, settings);
    if (code.expireAt === null) return { ticket: code.ticket, url: code.url };
    // A permanent code never reaches here; a temporary one reports the seconds it was created with.
    return {
      ticket: code.ticket,
      expire_seconds: Math.round((code.expireAt - code.createdAt) / 1000),
      url: code.url,
    };
  });

  // An unknown or expired ticket is an HTTP 404 (documented), which the JSON pipeline cannot
  // answer: this hook answers it before the pipeline runs. Valid tickets reach the handler below.
  ctx.app.addHook("onRequest", async (req, reply) => {
    if (req.method !== "GET" || req.url.split("?")[0] !== SHOWQRCODE_PATH) return;
    const ticket = (req.query as Record<string, unknown> | undefined)?.ticket;
    const code = typeof ticket === "string" && ticket !== "" ? await findByTicket(ctx.db, ticket) : undefined;
    if (!code || isExpired(code, ctx.clock.now())) {
      // The status is WeChat's; the body says why, in WeChat's error shape, for whoever reads it.
      const rid = newRid(ctx.clock.now());
      reply
        .code(404)
        .header("content-type", "application/json; encoding=utf-8")
        .header("x-mpstack-rid", rid)
        .send(JSON.stringify(errorBody(new WechatApiError(ErrorCode.InvalidArgs, "invalid ticket"), rid)));
      return reply;
    }
  });
  ctx.implement(catalog.qrcode.show, async (call) => {
    const code = await findByTicket(ctx.db, call.input.ticket);
    if (!code || isExpired(code, call.now)) throw new WechatApiError(ErrorCode.InvalidArgs);
    call.identify(code.appid);
    const remaining =
      code.expireAt === null ? 604_800 : Math.max(0, Math.floor((code.expireAt - call.now) / 1000));
    return new BinaryResult(await qrPng(code.url), "image/png", {
      "cache-control": `max-age=${Math.min(604_800, remaining)}`,
    });
  });

  // Since 2021 WeChat no longer shortens: short_url is the long_url itself (qrcode-shorturl.md §4).
  ctx.implement(
    catalog.qrcode.shortUrl,
    async (call) => {
      const url = call.input.long_url;
      if (!/^(https?:\/\/|weixin:\/\/wxpay)/i.test(url)) throw new WechatApiError(ErrorCode.InvalidArgs);
      return ok({ short_url: url });
    },
    {
      fieldCodes: {
        missing: { action: ErrorCode.InvalidArgs, long_url: ErrorCode.UrlMissing },
        invalid: { action: ErrorCode.InvalidArgs, long_url: ErrorCode.InvalidArgs },
      },
    },
  );

  const shortKeyCodes = {
    fieldCodes: {
      missing: { long_data: ErrorCode.ArgumentInvalid, short_key: ErrorCode.ArgumentInvalid },
      invalid: {
        long_data: ErrorCode.ArgumentInvalid,
        short_key: ErrorCode.ArgumentInvalid,
        expire_seconds: ErrorCode.ArgumentInvalid,
      },
    },
  };
  ctx.implement(
    catalog.qrcode.genShortKey,
    async (call) =>
      ok({
        short_key: await genShortKey(
          ctx,
          call.account.appid,
          call.input.long_data,
          call.input.expire_seconds,
        ),
      }),
    shortKeyCodes,
  );
  ctx.implement(
    catalog.qrcode.fetchShortKey,
    async (call) => ok(await fetchShortKey(ctx.db, call.account.appid, call.input.short_key, call.now)),
    shortKeyCodes,
  );
}
