/** Where access tokens live between calls, and the lock that keeps refreshes to one at a time. */

export interface StoredToken {
  value: string;
  /** Epoch milliseconds after which the token must not be used (the refresh margin already deducted). */
  expiresAt: number;
}

/** A held lock; `release` frees it only if it is still ours (it may have expired meanwhile). */
export interface TokenLock {
  release(): Promise<void>;
}

/**
 * A pluggable token store. Keys are chosen by the client (one per account and token kind); a store
 * may prefix them. Every method must be safe to call from several callers (and, for shared stores,
 * several processes) at once.
 */
export interface TokenStore {
  get(key: string): Promise<StoredToken | null>;
  set(key: string, token: StoredToken): Promise<void>;
  /**
   * Compare-and-delete: removes the token only if its value is still `value`, so a caller that saw an
   * old token fail never drops the newer one another caller has stored. Resolves whether it removed it.
   */
  deleteIf(key: string, value: string): Promise<boolean>;
  /** Tries to take the refresh lock for `ttlMs`; `null` when someone else holds it. */
  tryLock(key: string, ttlMs: number): Promise<TokenLock | null>;
}

/** The default store: this process only. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredToken>();
  readonly #locks = new Map<string, { owner: symbol; until: number }>();

  async get(key: string): Promise<StoredToken | null> {
    const token = this.#tokens.get(key);
    if (!token) return null;
    if (token.expiresAt <= Date.now()) {
      this.#tokens.delete(key);
      return null;
    }
    return { ...token };
  }

  async set(key: string, token: StoredToken): Promise<void> {
    this.#tokens.set(key, { ...token });
  }

  async deleteIf(key: string, value: string): Promise<boolean> {
    if (this.#tokens.get(key)?.value !== value) return false;
    this.#tokens.delete(key);
    return true;
  }

  async tryLock(key: string, ttlMs: number): Promise<TokenLock | null> {
    const now = Date.now();
    const held = this.#locks.get(key);
    if (held && held.until > now) return null;
    const owner = Symbol(key);
    this.#locks.set(key, { owner, until: now + ttlMs });
    return {
      release: async () => {
        if (this.#locks.get(key)?.owner === owner) this.#locks.delete(key);
      },
    };
  }

  /** Token values stay out of logs. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `MemoryTokenStore { keys: ${this.#tokens.size} }`;
  }
}
