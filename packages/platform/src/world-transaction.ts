/**
 * Run several writes in one transaction with a World whose events wait for the commit: listeners
 * (the live event stream, the console) hear about `conversation.message` and the rest only once
 * the rows they describe are committed, and never for a rolled-back transaction.
 */
import { type PlatformEventMap, type PlatformEventName, PlatformEvents } from "./events.js";
import type { World } from "./world.js";

/** Events kept until the commit. */
class HeldEvents extends PlatformEvents {
  readonly raised: (() => void)[] = [];

  constructor(private readonly target: PlatformEvents) {
    super();
  }

  override emit<K extends PlatformEventName>(event: K, payload: PlatformEventMap[K]): void {
    this.raised.push(() => this.target.emit(event, payload));
  }
}

export async function inWorldTransaction<T>(w: World, fn: (tw: World) => Promise<T>): Promise<T> {
  const held = new HeldEvents(w.events);
  const result = await w.db.transaction().execute((tx) => fn({ db: tx, clock: w.clock, events: held }));
  for (const emit of held.raised) emit();
  return result;
}
