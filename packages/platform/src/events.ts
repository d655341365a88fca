/**
 * Platform events: how a module tells whoever listens what happened (e.g. the push module sends a
 * `subscribe` event to the developer's server on `user.followed`; the live event stream forwards
 * them to the console). Listeners run synchronously after the change is committed; errors in a
 * listener are logged and never reach the caller. A module adds its own events by augmentation:
 *
 * ```ts
 * declare module "../../events.js" {
 *   interface PlatformEventMap { "mass.progress": { appid: string; jobId: string; sent: number } }
 * }
 * ```
 */

export interface PlatformEventMap {
  "user.followed": {
    appid: string;
    userId: string;
    openid: string;
    scene: string;
    qrScene: number;
    qrSceneStr: string;
    /** The QR code's ticket when the follow came from scanning one. */
    ticket?: string;
    time: number;
    refollow: boolean;
  };
  "user.unfollowed": { appid: string; userId: string; openid: string; time: number };
  "account.updated": { appid: string };
  /** The world was reset or imported: drop in-memory caches. */
  "world.replaced": { reason: "reset" | "import" };
}

export type PlatformEventName = keyof PlatformEventMap;
type Listener<K extends PlatformEventName> = (payload: PlatformEventMap[K]) => void;
/** A listener of every event (the live event stream): the event's name and payload. */
export type AnyListener = <K extends PlatformEventName>(event: K, payload: PlatformEventMap[K]) => void;

export class PlatformEvents {
  private readonly listeners = new Map<PlatformEventName, Listener<PlatformEventName>[]>();
  private anyListeners: AnyListener[] = [];

  constructor(private readonly onError: (event: string, err: unknown) => void = () => {}) {}

  on<K extends PlatformEventName>(event: K, listener: Listener<K>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener<PlatformEventName>);
    this.listeners.set(event, list);
    return () => {
      const l = this.listeners.get(event) ?? [];
      this.listeners.set(
        event,
        l.filter((x) => x !== listener),
      );
    };
  }

  /** Listen to every event, whatever module declared it (called after the event's own listeners). */
  onAny(listener: AnyListener): () => void {
    this.anyListeners = [...this.anyListeners, listener];
    return () => {
      this.anyListeners = this.anyListeners.filter((x) => x !== listener);
    };
  }

  /** Whether anyone listens to `event` (lets a hot path skip building a payload nobody reads). */
  listening(event: PlatformEventName): boolean {
    return this.anyListeners.length > 0 || (this.listeners.get(event)?.length ?? 0) > 0;
  }

  emit<K extends PlatformEventName>(event: K, payload: PlatformEventMap[K]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch (err) {
        this.onError(event, err);
      }
    }
    for (const l of this.anyListeners) {
      try {
        l(event, payload);
      } catch (err) {
        this.onError(event, err);
      }
    }
  }
}
