/**
 * The check that new server settings must pass before they are saved (WeChat saves them only
 * after its GET handshake, callback.md §2). The push module owns the handshake and installs it
 * with `provideServerCheck(ctx.db, …)`; the accounts module cannot import it (push depends on
 * accounts). Without one installed, settings are saved unchecked.
 */
import type { Db } from "../../db/schema.js";
import type { Account, ServerSettings } from "./types.js";

/** Why the settings were refused: the simulator answer to send (status and JSON body). */
export interface ServerCheckRefusal {
  status: number;
  body: unknown;
}

export type ServerCheck = (account: Account, server: ServerSettings) => Promise<ServerCheckRefusal | null>;

const checks = new WeakMap<Db, ServerCheck>();

export function provideServerCheck(db: Db, check: ServerCheck): void {
  checks.set(db, check);
}

export function serverCheckOf(db: Db): ServerCheck | undefined {
  return checks.get(db);
}

/** Does saving `next` change where or how pushes are made (and so need a new handshake)? */
export function serverChanged(prev: ServerSettings, next: ServerSettings): boolean {
  return (
    prev.url !== next.url ||
    prev.token !== next.token ||
    prev.encodingAESKey !== next.encodingAESKey ||
    prev.mode !== next.mode
  );
}
