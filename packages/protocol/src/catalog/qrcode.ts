/**
 * Parametric QR codes, the QR image, short links and short keys (spec/qrcode-shorturl.md).
 */
import { Type } from "@sinclair/typebox";
import { ErrorCode } from "../error-codes.js";
import { BinaryFile, OkWith } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

const IntegerScene = Type.Object({ scene: Type.Object({ scene_id: Type.Integer() }) });
const StringScene = Type.Object({ scene: Type.Object({ scene_str: Type.String() }) });

/**
 * The four kinds of code: temporary (`QR_SCENE`, `QR_STR_SCENE`, `expire_seconds` ≤ 30 days, default
 * 60 s) and permanent (`QR_LIMIT_SCENE` with scene_id 1..100000, `QR_LIMIT_STR_SCENE`); the scene is an
 * integer for the plain names and a 1..64-character string for the `STR` ones.
 */
const CreateQrcode = Type.Union([
  Type.Object({
    expire_seconds: Type.Optional(Type.Integer()),
    action_name: Type.Literal("QR_SCENE"),
    action_info: IntegerScene,
  }),
  Type.Object({
    expire_seconds: Type.Optional(Type.Integer()),
    action_name: Type.Literal("QR_STR_SCENE"),
    action_info: StringScene,
  }),
  Type.Object({
    expire_seconds: Type.Optional(Type.Integer()),
    action_name: Type.Literal("QR_LIMIT_SCENE"),
    action_info: IntegerScene,
  }),
  Type.Object({
    expire_seconds: Type.Optional(Type.Integer()),
    action_name: Type.Literal("QR_LIMIT_STR_SCENE"),
    action_info: StringScene,
  }),
]);

export const qrcode = group("qrcode", {
  /**
   * 生成带参数的二维码
   *
   * Create a temporary or permanent QR code carrying a scene; returns its ticket and url.
   *
   * See spec/qrcode-shorturl.md §1.
   */
  create: endpoint({
    title: "生成带参数的二维码",
    method: "POST",
    host: "api",
    path: "/cgi-bin/qrcode/create",
    permission: "promo.qrcode",
    request: CreateQrcode,
    // Undocumented; spec: emulator answers a bad action_name or scene with 40097 invalid args.
    schemaErrcode: ErrorCode.InvalidArgs,
    response: Type.Object({
      ticket: Type.String(),
      /** Absent for permanent codes. */
      expire_seconds: Type.Optional(Type.Integer()),
      url: Type.String(),
    }),
    dailyQuota: 100000,
  }),
  /**
   * 通过ticket换取二维码
   *
   * The QR image of a ticket (URL-encode the ticket); 404 for an unknown or expired one.
   *
   * See spec/qrcode-shorturl.md §2.
   */
  show: endpoint({
    title: "通过ticket换取二维码",
    method: "GET",
    host: "mp",
    path: "/cgi-bin/showqrcode",
    permission: null,
    auth: "none",
    request: Type.Object({ ticket: Type.String({ minLength: 1 }) }),
    response: BinaryFile,
    responseKind: "binary",
  }),
  /**
   * 长链接转短链接
   *
   * Long link to short link (deprecated: since 2021 WeChat echoes long_url back).
   *
   * See spec/qrcode-shorturl.md §4.
   */
  shortUrl: endpoint({
    title: "长链接转短链接",
    method: "POST",
    host: "api",
    path: "/cgi-bin/shorturl",
    permission: "promo.shorturl",
    request: Type.Object({ action: Type.Literal("long2short"), long_url: Type.String() }),
    schemaErrcode: ErrorCode.InvalidArgs,
    response: OkWith({ short_url: Type.String() }),
  }),
  /**
   * 长信息转短链
   *
   * Store up to 4 KB of text for up to 30 days; returns a 15-character short key.
   *
   * See spec/qrcode-shorturl.md §5.
   */
  genShortKey: endpoint({
    title: "长信息转短链",
    method: "POST",
    host: "api",
    path: "/cgi-bin/shorten/gen",
    // No seed row and the spec leaves account types open: take the short-link row (emulator choice).
    permission: "promo.shorturl",
    request: Type.Object({ long_data: Type.String(), expire_seconds: Type.Optional(Type.Integer()) }),
    schemaErrcode: ErrorCode.ArgumentInvalid,
    response: OkWith({ short_key: Type.String() }),
  }),
  /**
   * 短链转长信息
   *
   * Read back the text of a short key, its creation time and remaining seconds.
   *
   * See spec/qrcode-shorturl.md §6.
   */
  fetchShortKey: endpoint({
    title: "短链转长信息",
    method: "POST",
    host: "api",
    path: "/cgi-bin/shorten/fetch",
    permission: "promo.shorturl",
    request: Type.Object({ short_key: Type.String() }),
    schemaErrcode: ErrorCode.ArgumentInvalid,
    response: OkWith({
      long_data: Type.String(),
      create_time: Type.Integer(),
      expire_seconds: Type.Integer(),
    }),
  }),
});
