/**
 * How the browser entered the page: from an account's custom menu or from a message in its
 * conversation (spec/oauth.md §2.1, the "special silent cases": a follower entering that way is
 * authorized silently even with snsapi_userinfo). A one-time link that names its entry sets a
 * second signed cookie, `mpstack_entry`, for 30 minutes; a link without one clears it.
 */
import { timingSafeEqual } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";
import type { CookieSigner } from "./cookie.js";

export const ENTRY_COOKIE = "mpstack_entry";
export const ENTRY_KINDS = ["menu", "message"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface Entry {
  appid: string;
  from: EntryKind;
}

const MAX_AGE_SECONDS = 30 * 60;
const LABEL = "entry";

const isKind = (v: string | undefined): v is EntryKind => v === "menu" || v === "message";

export async function entryCookie(signer: CookieSigner, entry: Entry | undefined): Promise<string> {
  const value = entry ? `${entry.appid}~${entry.from}` : "";
  return stringifySetCookie({
    name: ENTRY_COOKIE,
    value: entry ? `${value}.${await signer.mac(LABEL, value)}` : "",
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: entry ? MAX_AGE_SECONDS : 0,
  });
}

/** The entry a request's cookies carry, when signed by the world's key. */
export async function entryOf(signer: CookieSigner, cookieHeader: string | undefined): Promise<Entry | null> {
  if (!cookieHeader) return null;
  const raw = parseCookie(cookieHeader)[ENTRY_COOKIE];
  if (!raw) return null;
  const dot = raw.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = raw.slice(0, dot);
  const given = Buffer.from(raw.slice(dot + 1));
  const expected = Buffer.from(await signer.mac(LABEL, value));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [appid, from] = value.split("~");
  return appid && isKind(from) ? { appid, from } : null;
}
