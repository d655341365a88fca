/**
 * Bridge tokens: how the browsing identity reaches the JS bridge on a developer's page, which
 * lives on another origin than the platform (another port at least). The platform serves the
 * bridge script to a browser carrying the browsing cookie (a same-site subresource request sends
 * it) and writes a token for that user into the script; the bridge then sends the token with each
 * call, so its calls need neither cookies nor credentialed CORS. A token names the user and its
 * expiry and is signed with the world's key (a reset or import voids it, like the cookie).
 */
import { timingSafeEqual } from "node:crypto";
import type { Clock } from "../../clock.js";
import type { CookieSigner } from "./cookie.js";

/** A page may stay open a long time; a day covers a working session. */
const TTL_SECONDS = 86_400;
const LABEL = "bridge";
const MAX_TOKEN_LENGTH = 512;

export class BridgeTokens {
  constructor(
    private readonly signer: CookieSigner,
    private readonly clock: Clock,
  ) {}

  async issue(userId: string): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Math.floor(this.clock.now() / 1000) + TTL_SECONDS;
    const payload = Buffer.from(`${userId}\n${expiresAt}`).toString("base64url");
    return { token: `${payload}.${await this.signer.mac(LABEL, payload)}`, expiresAt: expiresAt * 1000 };
  }

  /** The user id a token names, when its signature is good and it has not expired. */
  async userIdOf(token: string | undefined): Promise<string | null> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return null;
    const dot = token.indexOf(".");
    if (dot <= 0) return null;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(await this.signer.mac(LABEL, payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const [userId, exp] = Buffer.from(payload, "base64url").toString("utf8").split("\n");
    if (!userId || !exp || Number(exp) * 1000 <= this.clock.now()) return null;
    return userId;
  }
}
