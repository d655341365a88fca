/**
 * card/create's checks in WeChat's order (spec/applied-features.md §3.3, §3.5): the type (40071),
 * the required base_info fields (41011), lengths counted in Chinese characters (45021), the
 * quantity (40122), date_info (40100), locations (40072). Also the card code cipher: an
 * `encrypt_code` only its issuing account can turn back into the code (40075 otherwise).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { ErrorCode } from "@mpstack/protocol";
import { WechatApiError } from "../../http/errors.js";

export const CARD_TYPES = ["GROUPON", "CASH", "DISCOUNT", "GIFT", "GENERAL_COUPON", "MEMBER_CARD"] as const;

const REQUIRED_BASE = [
  "logo_url",
  "brand_name",
  "code_type",
  "title",
  "color",
  "notice",
  "description",
  "sku",
  "date_info",
];
const CODE_TYPES = new Set([
  "CODE_TYPE_TEXT",
  "CODE_TYPE_BARCODE",
  "CODE_TYPE_QRCODE",
  "CODE_TYPE_ONLY_QRCODE",
  "CODE_TYPE_ONLY_BARCODE",
  "CODE_TYPE_NONE",
]);
/** Limits in Chinese characters (an ASCII character counts half). */
const LIMITS: Record<string, number> = {
  brand_name: 12,
  title: 9,
  notice: 16,
  description: 1024,
  sub_title: 18,
};

export interface CardDefinition {
  cardType: string;
  quantity: number;
  getLimit: number;
  useCustomCode: boolean;
  bindOpenid: boolean;
  beginAt: number | null;
  endAt: number | null;
  fixedTerm: number;
  fixedBeginTerm: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const fail = (code: number): never => {
  throw new WechatApiError(code);
};

/** Width in Chinese characters: CJK and other non-ASCII count 1, ASCII 0.5. */
export function chineseWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 128 ? 0.5 : 1;
  return w;
}

export function validateCard(card: Record<string, unknown>): CardDefinition {
  const cardType = card.card_type;
  if (typeof cardType !== "string" || !(CARD_TYPES as readonly string[]).includes(cardType))
    fail(ErrorCode.InvalidCardType);
  const body = card[String(cardType).toLowerCase()];
  if (!isObject(body) || !isObject(body.base_info)) return fail(ErrorCode.MissingRequiredFields);
  const base = body.base_info;
  for (const f of REQUIRED_BASE)
    if (base[f] === undefined || base[f] === "") fail(ErrorCode.MissingRequiredFields);
  for (const [f, max] of Object.entries(LIMITS)) {
    const v = base[f];
    if (v !== undefined && (typeof v !== "string" || chineseWidth(v) > max)) fail(ErrorCode.FieldTooLong);
  }
  if (!CODE_TYPES.has(String(base.code_type))) fail(ErrorCode.InvalidArgs);
  const sku = base.sku;
  const quantity = isObject(sku) ? sku.quantity : undefined;
  if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 0 || quantity > 100_000_000) {
    fail(ErrorCode.InvalidCardQuantity);
  }
  if (Array.isArray(base.location_id_list) && base.location_id_list.length > 0)
    fail(ErrorCode.InvalidLocationId);
  const d = base.date_info;
  if (!isObject(d)) return fail(ErrorCode.InvalidDateInfo);
  const def: CardDefinition = {
    cardType: String(cardType),
    quantity: quantity as number,
    getLimit: typeof base.get_limit === "number" && base.get_limit > 0 ? base.get_limit : 50,
    useCustomCode: base.use_custom_code === true,
    bindOpenid: base.bind_openid === true,
    beginAt: null,
    endAt: null,
    fixedTerm: 0,
    fixedBeginTerm: 0,
  };
  if (d.type === "DATE_TYPE_FIX_TIME_RANGE" || d.type === 1) {
    const b = d.begin_timestamp;
    const e = d.end_timestamp;
    if (typeof b !== "number" || typeof e !== "number" || b >= e) fail(ErrorCode.InvalidDateInfo);
    def.beginAt = (b as number) * 1000;
    def.endAt = (e as number) * 1000;
  } else if (d.type === "DATE_TYPE_FIX_TERM" || d.type === 2) {
    const term = d.fixed_term;
    const begin = d.fixed_begin_term ?? 0;
    if (typeof term !== "number" || term <= 0 || typeof begin !== "number" || begin < 0)
      fail(ErrorCode.InvalidDateInfo);
    def.fixedTerm = term as number;
    def.fixedBeginTerm = begin as number;
  } else if (d.type !== "DATE_TYPE_PERMANENT") {
    fail(ErrorCode.InvalidDateInfo);
  }
  return def;
}

const key = (appid: string) => createHash("sha256").update(`mpstack-card-code:${appid}`).digest();

/** The code as pages see it (chooseCard, addCard, card pages): reversible only by the issuing account. */
export function encryptCode(appid: string, code: string): string {
  const iv = randomBytes(16);
  const c = createCipheriv("aes-256-cbc", key(appid), iv);
  return Buffer.concat([iv, c.update(code, "utf8"), c.final()]).toString("base64");
}

export function decryptCode(appid: string, encrypted: string): string {
  try {
    const data = Buffer.from(encrypted, "base64");
    if (data.length < 32) throw new Error("short");
    const d = createDecipheriv("aes-256-cbc", key(appid), data.subarray(0, 16));
    return Buffer.concat([d.update(data.subarray(16)), d.final()]).toString("utf8");
  } catch {
    throw new WechatApiError(ErrorCode.InvalidEncryptCode);
  }
}
