/**
 * A Server-Sent Events reader over fetch (not EventSource: it must send the admin key header and
 * choose its own Last-Event-ID on reconnect). `SseParser` turns text chunks into events (pure,
 * tested); `openEventStream` keeps one connection to `/_mpstack/events` alive, resuming after the
 * last id it saw, with a growing pause between failed attempts.
 */
import { authHeaders, SIM } from "../api/client.js";

export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** Incremental parser of the text/event-stream format (fields id, event, data; comments ignored). */
export class SseParser {
  private buf = "";
  private lastId = "";

  /** Feed a chunk; returns the complete events it finished. */
  push(chunk: string): SseEvent[] {
    this.buf += chunk.replace(/\r\n?/g, "\n");
    const out: SseEvent[] = [];
    for (;;) {
      const end = this.buf.indexOf("\n\n");
      if (end === -1) break;
      const block = this.buf.slice(0, end);
      this.buf = this.buf.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      let sawField = false;
      for (const line of block.split("\n")) {
        if (line === "" || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        sawField = true;
        if (field === "id") this.lastId = value;
        else if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (sawField && (data.length > 0 || event !== "message"))
        out.push({ id: this.lastId, event, data: data.join("\n") });
    }
    return out;
  }

  get lastEventId(): string {
    return this.lastId;
  }
}

export type StreamStatus = "connecting" | "live" | "retrying";

export interface StreamHandlers {
  onEvent(name: string, data: unknown, id: string): void;
  /** The platform could not resume after our last id (restart, or we fell behind): reload state. */
  onReset(): void;
  onStatus(status: StreamStatus): void;
}

/** Keep a live connection; returns a function that closes it. */
export function openEventStream(h: StreamHandlers): () => void {
  let closed = false;
  let lastId = "";
  let controller: AbortController | null = null;
  let failures = 0;

  const loop = async () => {
    while (!closed) {
      controller = new AbortController();
      h.onStatus(failures === 0 ? "connecting" : "retrying");
      try {
        const res = await fetch(`${SIM}/events`, {
          headers: {
            accept: "text/event-stream",
            ...authHeaders(),
            ...(lastId ? { "last-event-id": lastId } : {}),
          },
          credentials: "same-origin",
          signal: controller.signal,
          cache: "no-store",
        });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const e of parser.push(value)) {
            if (e.id) lastId = e.id;
            if (e.event === "hello") {
              failures = 0;
              h.onStatus("live");
              continue;
            }
            if (e.event === "reset") {
              failures = 0;
              h.onStatus("live");
              h.onReset();
              continue;
            }
            let data: unknown = null;
            try {
              data = JSON.parse(e.data);
            } catch {
              data = e.data;
            }
            h.onEvent(e.event, data, e.id);
          }
        }
      } catch {
        // network error or aborted: retry below unless closed
      }
      if (closed) return;
      failures++;
      h.onStatus("retrying");
      await new Promise((r) => window.setTimeout(r, Math.min(500 * 2 ** Math.min(failures, 4), 8000)));
    }
  };
  void loop();
  return () => {
    closed = true;
    controller?.abort();
  };
}
