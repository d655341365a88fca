/**
 * The live event stream's hub: every platform event, serialized once into a Server-Sent Events
 * frame, kept in a bounded ring (count and bytes) so a browser that reconnects with Last-Event-ID
 * gets what it missed, and written to each connected browser at the pace its socket accepts.
 *
 * Memory stays bounded whatever the browsers do: a connection is never given a queue of its own.
 * It holds only a cursor into the shared ring; when its socket's buffer is full (`write()` returns
 * false) nothing more is written until `drain`, and then it catches up from the ring. A browser so
 * slow (or away so long) that the ring moved past its cursor gets a `reset` event (reload your
 * state) and continues from the newest event.
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";

export interface HubLimits {
  /** Events kept for resuming (default 2000). */
  maxEvents: number;
  /** Bytes of serialized frames kept (default 8 MiB). */
  maxBytes: number;
  /** Largest event payload, as JSON (bigger ones are cut to their scalar fields; default 64 KiB). */
  maxEventBytes: number;
  /** Connected browsers at once (default 64). */
  maxClients: number;
}

export const DEFAULT_LIMITS: HubLimits = {
  maxEvents: 2000,
  maxBytes: 8 * 1024 * 1024,
  maxEventBytes: 64 * 1024,
  maxClients: 64,
};

interface Frame {
  seq: number;
  name: string;
  text: string;
}

interface Client {
  res: ServerResponse;
  /** seq of the last event this client was given (or skipped by its filter). */
  cursor: number;
  blocked: boolean;
  accepts(name: string): boolean;
}

/** `a.b,c.*` → a predicate on event names (`*` matches any suffix); empty = everything. */
export function typeFilter(spec: string | undefined): (name: string) => boolean {
  const parts = (spec ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return () => true;
  return (name) => parts.some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p));
}

/** A payload bigger than the limit keeps its scalar fields (short strings, numbers, booleans). */
function bounded(payload: unknown, maxBytes: number): string {
  const json = JSON.stringify(payload ?? null);
  if (json.length <= maxBytes) return json;
  const small: Record<string, unknown> = { truncated: true, bytes: json.length };
  if (payload && typeof payload === "object") {
    for (const [k, v] of Object.entries(payload)) {
      if (typeof v === "number" || typeof v === "boolean" || v === null) small[k] = v;
      else if (typeof v === "string" && v.length <= 256) small[k] = v;
    }
  }
  return JSON.stringify(small);
}

export class EventHub {
  /** Distinguishes this run's ids from an earlier run's (ids are `<epoch>-<seq>`). */
  readonly epoch = randomBytes(4).toString("hex");
  private readonly ring: Frame[] = [];
  private ringBytes = 0;
  private seq = 0;
  private readonly clients = new Set<Client>();
  private readonly limits: HubLimits;

  constructor(limits: Partial<HubLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Oldest seq still in the ring (lastSeq + 1 when empty). */
  private get oldest(): number {
    return this.ring[0]?.seq ?? this.seq + 1;
  }

  id(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  publish(name: string, payload: unknown): void {
    const seq = ++this.seq;
    const text = `id: ${this.id(seq)}\nevent: ${name}\ndata: ${bounded(payload, this.limits.maxEventBytes)}\n\n`;
    this.ring.push({ seq, name, text });
    this.ringBytes += text.length;
    while (this.ring.length > this.limits.maxEvents || this.ringBytes > this.limits.maxBytes) {
      const dropped = this.ring.shift();
      if (!dropped) break;
      this.ringBytes -= dropped.text.length;
    }
    for (const c of this.clients) if (!c.blocked) this.pump(c);
  }

  /** The seq to resume after, from a Last-Event-ID; null when it cannot be resumed (other run, too old). */
  resumePoint(lastEventId: string | undefined): number | null {
    if (!lastEventId) return this.seq;
    const m = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId.trim());
    if (!m || m[1] !== this.epoch) return null;
    const seq = Number(m[2]);
    if (seq > this.seq) return null;
    if (seq + 1 < this.oldest) return null;
    return seq;
  }

  /** Whether another browser may connect. */
  hasRoom(): boolean {
    return this.clients.size < this.limits.maxClients;
  }

  /**
   * Stream to `res` (headers already sent): a `hello` (or `reset` when `lastEventId` cannot be
   * resumed), then the missed events, then live ones.
   */
  attach(
    res: ServerResponse,
    lastEventId: string | undefined,
    accepts: (name: string) => boolean,
  ): () => void {
    const from = this.resumePoint(lastEventId);
    const client: Client = { res, cursor: from ?? this.seq, blocked: false, accepts };
    const hello = { epoch: this.epoch, seq: this.seq, resumed: Boolean(lastEventId) && from !== null };
    res.write(
      `retry: 2000\nid: ${this.id(client.cursor)}\nevent: ${from === null ? "reset" : "hello"}\ndata: ${JSON.stringify(hello)}\n\n`,
    );
    this.clients.add(client);
    const onDrain = () => {
      client.blocked = false;
      this.pump(client);
    };
    res.on("drain", onDrain);
    const detach = () => {
      this.clients.delete(client);
      res.off("drain", onDrain);
    };
    res.once("close", detach);
    this.pump(client);
    return detach;
  }

  private pump(c: Client): void {
    while (c.cursor < this.seq && !c.blocked) {
      if (c.cursor + 1 < this.oldest) {
        // Too far behind: the ring moved on. Tell the browser to reload, continue from the newest.
        c.cursor = this.seq;
        if (!c.res.write(`id: ${this.id(c.cursor)}\nevent: reset\ndata: {"reason":"behind"}\n\n`))
          c.blocked = true;
        return;
      }
      const frame = this.ring[c.cursor + 1 - this.oldest];
      if (!frame) return;
      c.cursor = frame.seq;
      if (!c.accepts(frame.name)) continue;
      if (!c.res.write(frame.text)) c.blocked = true;
    }
  }

  /** A comment line to every client (keeps proxies and idle timers from closing the stream). */
  heartbeat(): void {
    for (const c of this.clients) if (!c.blocked) c.res.write(": ping\n\n");
  }

  /** End every stream (the platform is closing). */
  closeAll(): void {
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  /** Forget the buffered events (nobody has listened for a while). */
  clear(): void {
    this.ring.length = 0;
    this.ringBytes = 0;
  }
}
