/**
 * Body checks shared by template/send, template/subscribe and bizsend (spec/template.md §7, §9.3,
 * §10), each with WeChat's code: the recipient, the jump (url / Mini Program) and the data object.
 */
import { ErrorCode } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import { type FollowRow, findByOpenid } from "../simulated-users/index.js";

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const formatError = () => new WechatApiError(ErrorCode.DataFormatError);
export const argumentInvalid = (what: string) =>
  new WechatApiError(ErrorCode.ArgumentInvalid, `argument invalid! ${what}`);

/** An optional string field: absent → undefined, not a string → 47001. */
export function optionalString(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw formatError();
  return v;
}

/** The user an OpenID names in this account (40003 when none); `follow` → 43004 for a non-follower. */
export async function recipientOf(
  db: Db,
  appid: string,
  touser: unknown,
  mustFollow: boolean,
): Promise<FollowRow> {
  if (typeof touser !== "string" || touser === "") throw new WechatApiError(ErrorCode.InvalidOpenId);
  const f = await findByOpenid(db, appid, touser);
  if (!f) throw new WechatApiError(ErrorCode.InvalidOpenId);
  if (mustFollow && f.subscribed !== 1) throw new WechatApiError(ErrorCode.RequireSubscribe);
  return f;
}

const MINI_PROGRAM_APPID = /^wx[0-9a-f]{16}$/;

export function isLinkedMiniProgram(appid: string, linked: "any" | string[]): boolean {
  return linked === "any" ? MINI_PROGRAM_APPID.test(appid) : linked.includes(appid);
}

export interface Jump {
  url?: string;
  miniprogram?: { appid: string; pagepath: string };
}

/**
 * `url` (or bizsend's `page`) and `miniprogram {appid, pagepath|path}`. An unlinked appid → 47003
 * `miniprogram.appid invalid` (§7.2 step 4); a missing page → `pageError` (47003 for templates,
 * 41030 for bizsend).
 */
export function jumpOf(
  body: Obj,
  urlKey: "url" | "page",
  linked: "any" | string[],
  pageError: () => WechatApiError = () => argumentInvalid("miniprogram.pagepath invalid"),
): Jump {
  const jump: Jump = {};
  const url = optionalString(body, urlKey);
  if (url) jump.url = url;
  const mp = body.miniprogram;
  if (mp === undefined || mp === null) return jump;
  if (!isObj(mp)) throw formatError();
  const appid = optionalString(mp, "appid") ?? "";
  if (!isLinkedMiniProgram(appid, linked)) throw argumentInvalid("miniprogram.appid invalid");
  const pagepath = optionalString(mp, "pagepath") ?? optionalString(mp, "path");
  if (pagepath === undefined || pagepath === "" || /\s/.test(pagepath)) throw pageError();
  jump.miniprogram = { appid, pagepath };
  return jump;
}

/** `data`: an object of `{ value, color? }` entries (47001 otherwise); values kept as given. */
export function dataOf(body: Obj): Record<string, { value: string; color?: string }> {
  const data = body.data;
  if (!isObj(data)) throw formatError();
  const out: Record<string, { value: string; color?: string }> = {};
  for (const [key, entry] of Object.entries(data)) {
    if (!isObj(entry)) throw formatError();
    const value = optionalString(entry, "value") ?? "";
    const color = optionalString(entry, "color");
    out[key] = color === undefined ? { value } : { value, color };
  }
  return out;
}
