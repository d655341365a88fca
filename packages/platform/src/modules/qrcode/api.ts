/** The WeChat QR and short-link endpoints (qrcode-shorturl.md §1, §2, §4–§6). */
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import { bytes } from "../../http/results.js";
import type { ModuleContext } from "../../module.js";
import type { ForeignQrcodes } from "./foreign.js";
import { qrPng } from "./image.js";
import { fetchShortKey, genShortKey } from "./shorten.js";
import { createQrcode, findByTicket, getQrcodeSettings, parseQrcodeRequest } from "./store.js";

export function implementQrcodeApi(ctx: ModuleContext, foreign: ForeignQrcodes): void {
  ctx.implement(
    catalog.qrcode.create,
    async (body, { account }) => {
      const settings = await getQrcodeSettings(ctx.db, account.appid);
      return { req: parseQrcodeRequest(body, settings), settings };
    },
    async (call) => {
      const { req, settings } = call.input;
      const code = await createQrcode(ctx, call.account.appid, req, settings);
      if (code.expireAt === null) return { ticket: code.ticket, url: code.url };
      // A permanent code never reaches here; a temporary one reports the seconds it was created with.
      return {
        ticket: code.ticket,
        expire_seconds: Math.round((code.expireAt - code.createdAt) / 1000),
        url: code.url,
      };
    },
  );

  ctx.implement(
    catalog.qrcode.show,
    // An unknown, expired or missing ticket is an HTTP 404 (documented); the body says why in
    // WeChat's shape, for whoever reads it.
    async (query) => {
      const ticket = query.ticket;
      const code =
        typeof ticket === "string" && ticket !== ""
          ? ((await findByTicket(ctx.db, ticket)) ?? (await foreign.find({ ticket }))?.code)
          : undefined;
      if (!code || (code.expireAt !== null && ctx.clock.now() >= code.expireAt))
        throw new WechatApiError(ErrorCode.InvalidArgs, "invalid ticket", undefined, 404);
      return code;
    },
    async (call) => {
      const code = call.input;
      call.identify(code.appid);
      const remaining =
        code.expireAt === null ? 604_800 : Math.max(0, Math.floor((code.expireAt - call.now) / 1000));
      return bytes(await qrPng(code.url), "image/png", {
        "cache-control": `max-age=${Math.min(604_800, remaining)}`,
      });
    },
  );

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
