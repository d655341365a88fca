/**
 * Return codes of the apply-only families (spec/applied-features.md §3.5 cards, §5 invoices) and of
 * semantic understanding (spec/semantic.md §4), merged into the one table of error-codes.ts. The spec
 * gives meanings, not WeChat's errmsg texts, so every text here is mpstack's (`quoted: false`).
 */
import { d, type Entry } from "./entry.js";

export const APPLIED_ERRORS = {
  // cards (§3.5)
  InvalidSerialCode: d(40056, "invalid serial code", "Card code unknown or not claimed"),
  InvalidCardType: d(40071, "invalid card type", "Invalid card type"),
  InvalidLocationId: d(40072, "invalid location id", "Invalid location id"),
  InvalidEncryptCode: d(40075, "invalid encrypt code", "Invalid encrypted card code"),
  InvalidCardStatus: d(40078, "invalid card status", "Card status does not allow this (e.g. not approved)"),
  InvalidCardTime: d(40079, "invalid time", "Outside the card's validity"),
  InvalidCardExt: d(40080, "invalid card ext", "Invalid cardExt"),
  CodeConsumed: d(40099, "invalid code, this code has consumed.", "Card code already consumed"),
  InvalidDateInfo: d(40100, "invalid date info", "Invalid date_info"),
  TooManyCodes: d(40109, "code count out of limit", "Too many codes (at most 100)"),
  InvalidCode40116: d(40116, "invalid code", "Invalid card code"),
  InvalidCardQuantity: d(40122, "invalid quantity", "Invalid card quantity"),
  InvalidUserCardStatus: d(40127, "invalid user-card status", "User card deleted, expired or unavailable"),
  CodeMarkedByOther: d(40146, "code has been marked by other user", "Code marked by another user"),
  MissingRequiredFields: d(41011, "missing required fields", "Required fields missing"),
  MissingCardId: d(41012, "missing card id", "card_id missing"),
  MissingCode: d(41013, "missing code", "code missing"),
  CustomCodeUnauthorized: d(43009, "custom code unauthorized", "Custom codes not authorised"),
  FieldTooLong: d(45021, "field size out of limit", "Field length out of limit"),
  CardIdLimited: d(45030, "card id limited", "Card id restricted"),
  StockOutOfLimit: d(45031, "stock is out of limit", "Card stock exhausted or out of limit"),
  GetLimitExceeded: d(45033, "user get card num is out of get_limit", "User claimed get_limit cards already"),
  CardListSizeOutOfLimit: d(45039, "card list size out of limit", "Card list size out of limit"),
  // invoices (§5)
  InvoiceCreateUnauthorized: d(72015, "unauthorized create invoice", "Not authorised to create invoices"),
  MemberCardCreateUnauthorized: d(
    72016,
    "unauthorized create member card",
    "Not authorised to create member cards",
  ),
  InvalidInvoiceTitle: d(72017, "invalid invoice title", "Invalid invoice title"),
  DuplicateInvoiceOrder: d(
    72018,
    "duplicate order id, invoice had inserted to user",
    "Invoice already inserted",
  ),
  InvoiceLockedByOthers: d(72023, "invoice has been lock by others", "Invoice locked by others"),
  InvoiceStatusError: d(72024, "invoice status error", "Invoice status error"),
  PayMchNeverSet: d(72028, "invoice never set pay mch info", "Pay merchant info never set"),
  AuthFieldNeverSet: d(72029, "invoice never set auth field", "Auth field never set"),
  OrderNeverAuthorised: d(72038, "order never auth", "Order never authorised by the user"),
  InvoiceNeverAuth: d(72049, "never auth", "Never authorised"),
  InvoiceAuthExpired: d(72050, "auth expired", "Authorisation expired"),
  InvoiceOrderIdRepeated: d(72056, "order_id repeated", "order_id repeated"),
  // semantic understanding (semantic.md §4)
  SemanticNoResult: d(7000000, "no semantic result", "OK, but no semantic result"),
  SemanticMissingParameter: d(7000001, "missing parameter", "Missing request parameter"),
  SemanticInvalidSignature: d(7000002, "invalid signature", "Invalid signature parameter"),
  SemanticLocationConfig1: d(7000003, "invalid location config 1", "Location configuration 1 invalid"),
  SemanticLocationConfig2: d(7000004, "invalid location config 2", "Location configuration 2 invalid"),
  SemanticLocationLookupFailed: d(7000005, "location lookup failed", "Location lookup failed"),
  SemanticLocationParseFailed: d(7000006, "location parse failed", "Location result parse failed"),
  SemanticInitFailed: d(7000007, "internal init failed", "Internal initialisation failed"),
  SemanticInvalidAppid: d(7000008, "invalid appid", "Invalid appid (could not get key)"),
  SemanticServiceFailed: d(7000009, "request semantic service failed", "Semantic service request failed"),
  SemanticInvalidPost: d(7000010, "invalid post request", "Invalid POST request"),
  SemanticInvalidJsonField: d(7000011, "invalid json field", "Invalid JSON field in POST"),
  SemanticQueryTooShort: d(7000030, "query too short", "Query too short"),
  SemanticQueryTooLong: d(7000031, "query too long", "Query too long"),
  SemanticLocationMissing: d(7000032, "city or lat-long missing", "City / lat-long information missing"),
  SemanticProcessFailed: d(7000033, "semantic process failed", "Semantic processing of the query failed"),
  SemanticWeatherFailed: d(7000034, "weather lookup failed", "Weather lookup failed"),
  SemanticStockFailed: d(7000035, "stock lookup failed", "Stock lookup failed"),
  SemanticUtf8Failed: d(7000036, "utf-8 conversion failed", "UTF-8 conversion failed"),
} as const satisfies Record<string, Entry<number>>;
