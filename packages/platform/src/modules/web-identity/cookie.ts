/**
 * The browsing cookie: `mpstack_user=<user id>.<signature>` on the platform's origin, signed with a
 * key kept in the database (so it survives restarts, and a reset or import of the world — which
 * replaces the key — signs everybody out). HttpOnly, SameSite=Lax, path /.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";
import type { Db } from "../../db/schema.js";

export const COOKIE_NAME = "mpstack_user";
const KEY_ROW = "cookie";
/** A browsing identity lasts a week unless replaced. */
const MAX_AGE_SECONDS = 7 * 86_400;

function signature(value: string, key: string): string {
  return createHmac("sha256", key).update(value).digest("base64url");
}

function sign(value: string, key: string): string {
  return `${value}.${signature(value, key)}`;
}

/** The signed value, or null when the signature is not the key's (compared in constant time). */
function unsign(signed: string, key: string): string | null {
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(signature(value, key));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}

export class CookieSigner {
  private secret: string | undefined;

  constructor(private readonly db: Db) {}

  /** Forget the cached key (the world was replaced). */
  forget(): void {
    this.secret = undefined;
  }

  private async key(): Promise<string> {
    if (this.secret) return this.secret;
    const row = await this.db
      .selectFrom("web_identity_keys")
      .select("secret")
      .where("id", "=", KEY_ROW)
      .executeTakeFirst();
    if (row) {
      this.secret = row.secret;
      return row.secret;
    }
    const fresh = randomBytes(32).toString("hex");
    await this.db
      .insertInto("web_identity_keys")
      .values({ id: KEY_ROW, secret: fresh })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    this.secret = undefined;
    return this.key();
  }

  /**
   * An HMAC of `value` under the world's key, domain-separated by `label`: for the module's other
   * signed values (bridge tokens, the entry cookie).
   */
  async mac(label: string, value: string): Promise<string> {
    return signature(`${label}\n${value}`, await this.key());
  }

  /** The Set-Cookie header value that makes the browser `userId`. */
  async setCookie(userId: string): Promise<string> {
    const value = sign(userId, await this.key());
    return stringifySetCookie({
      name: COOKIE_NAME,
      value,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: MAX_AGE_SECONDS,
    });
  }

  /** The Set-Cookie header value that forgets the identity. */
  clearCookie(): string {
    return stringifySetCookie({
      name: COOKIE_NAME,
      value: "",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: 0,
    });
  }

  /** The user id a request's Cookie header carries, when its signature is good. */
  async userIdOf(cookieHeader: string | undefined): Promise<string | null> {
    if (!cookieHeader) return null;
    const raw = parseCookie(cookieHeader)[COOKIE_NAME];
    if (!raw) return null;
    return unsign(raw, await this.key());
  }
}
