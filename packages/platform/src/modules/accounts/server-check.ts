/**
 * The check that new server settings must pass before they are saved (WeChat saves them only
 * after its GET handshake, callback.md §2). The push module owns the handshake and installs it
 * through the accounts module's `setServerCheck` service (push requires accounts, not the other
 * way). A platform without the push module pushes nothing, so it has no handshake to pass.
 */
import type { Account, ServerSettings } from "../../account.js";

/** Why the settings were refused: the simulator answer to send (status and JSON body). */
export interface ServerCheckRefusal {
  status: number;
  body: unknown;
}

export type ServerCheck = (account: Account, server: ServerSettings) => Promise<ServerCheckRefusal | null>;

/** Does saving `next` change where or how pushes are made (and so need a new handshake)? */
export function serverChanged(prev: ServerSettings, next: ServerSettings): boolean {
  return (
    prev.url !== next.url ||
    prev.token !== next.token ||
    prev.encodingAESKey !== next.encodingAESKey ||
    prev.mode !== next.mode
  );
}
