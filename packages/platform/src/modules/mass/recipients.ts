/**
 * Who a mass send goes to (mass-send.md §4–6): every follower or a tag's (`sendall`: 45159 for an
 * unknown tag), 2–10 000 OpenIDs of the account (`send`: 40130, 40032, 40003), or the one user of a
 * preview (OpenID, or WeChat ID with `towxname` — the simulated user's id; 40003 / 40132).
 */
import { ErrorCode } from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { WechatApiError } from "../../http/errors.js";
import { tagExists } from "../follower-tags/index.js";
import { findByOpenid, getFollow } from "../simulated-users/index.js";

export type Scope =
  | { scope: "all" }
  | { scope: "tag"; tagId: number }
  | { scope: "list"; openids: string[] }
  | { scope: "one"; openid: string; userId: string; byWxname: boolean };

/** Most OpenIDs one `send` takes (documented). */
export const MAX_OPENIDS = 10_000;

type Obj = Record<string, unknown>;
const fail = (code: number): never => {
  throw new WechatApiError(code);
};

export async function sendAllScope(db: Db, appid: string, filter: unknown): Promise<Scope> {
  if (typeof filter !== "object" || filter === null || Array.isArray(filter))
    return fail(ErrorCode.DataFormatError);
  const f = filter as Obj;
  if (f.is_to_all === true || f.is_to_all === "true" || f.is_to_all === 1) return { scope: "all" };
  // Pre-tag SDKs send the legacy group id (wechat-api's massSend with a number).
  const raw = f.tag_id ?? f.group_id;
  const tagId = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof tagId !== "number" || !Number.isInteger(tagId) || !(await tagExists(db, appid, tagId)))
    fail(ErrorCode.InvalidTagId);
  return { scope: "tag", tagId: tagId as number };
}

export async function listScope(db: Db, appid: string, touser: unknown): Promise<Scope> {
  if (!Array.isArray(touser) || touser.some((o) => typeof o !== "string"))
    return fail(ErrorCode.DataFormatError);
  const openids = [...new Set(touser as string[])].sort();
  if (openids.length < 2) fail(ErrorCode.OpenIdListTooShort);
  if (openids.length > MAX_OPENIDS) fail(ErrorCode.InvalidOpenIdListSize);
  for (let at = 0; at < openids.length; at += 1000) {
    const part = openids.slice(at, at + 1000);
    const rows = await db
      .selectFrom("follows")
      .select("openid")
      .where("appid", "=", appid)
      .where("openid", "in", part)
      .execute();
    if (rows.length !== part.length) fail(ErrorCode.InvalidOpenId);
  }
  return { scope: "list", openids };
}

export async function previewScope(db: Db, appid: string, body: Obj): Promise<Scope> {
  if (typeof body.towxname === "string" && body.towxname !== "") {
    const f = await getFollow(db, appid, body.towxname);
    if (f?.subscribed !== 1) fail(ErrorCode.InvalidWechatId);
    return { scope: "one", openid: f!.openid, userId: f!.user_id, byWxname: true };
  }
  const f =
    typeof body.touser === "string" && body.touser !== ""
      ? await findByOpenid(db, appid, body.touser)
      : undefined;
  if (f?.subscribed !== 1) fail(ErrorCode.InvalidOpenId);
  return { scope: "one", openid: f!.openid, userId: f!.user_id, byWxname: false };
}

/** The scope's part of the digest key (§10). */
export function scopeKey(s: Scope): string {
  switch (s.scope) {
    case "all":
      return "all";
    case "tag":
      return `tag:${s.tagId}`;
    case "list":
      return `list:${s.openids.join(",")}`;
    case "one":
      return `one:${s.openid}`;
  }
}
