/**
 * The console's live-event bus: one stream connection for the whole page, fanned out to the
 * panels that listen (by event name, or `*`). `useLive` subscribes a component; the handler always
 * sees the component's latest closure. `useLiveStatus` shows the connection state.
 */
import { useEffect, useRef, useSyncExternalStore } from "react";
import { openEventStream, type StreamStatus } from "./sse.js";

type Handler = (name: string, data: unknown) => void;

const handlers = new Map<string, Set<Handler>>();
const resetHandlers = new Set<() => void>();
let status: StreamStatus = "connecting";
const statusListeners = new Set<() => void>();
let close: (() => void) | null = null;
/** Events received since the page opened (the benchmark and the status bar read it). */
let received = 0;

export function dispatch(name: string, data: unknown): void {
  received++;
  for (const h of handlers.get(name) ?? []) h(name, data);
  for (const h of handlers.get("*") ?? []) h(name, data);
}

export function startLive(): void {
  if (close) return;
  close = openEventStream({
    onEvent: (name, data) => dispatch(name, data),
    onReset: () => {
      for (const h of resetHandlers) h();
    },
    onStatus: (s) => {
      status = s;
      for (const l of statusListeners) l();
    },
  });
}

export function stopLive(): void {
  close?.();
  close = null;
}

export function receivedCount(): number {
  return received;
}

export function subscribe(names: readonly string[], h: Handler): () => void {
  for (const n of names) {
    let set = handlers.get(n);
    if (!set) {
      set = new Set();
      handlers.set(n, set);
    }
    set.add(h);
  }
  return () => {
    for (const n of names) handlers.get(n)?.delete(h);
  };
}

/** Listen to live events while mounted. `onReset` runs when state must be reloaded. */
export function useLive(names: readonly string[], handler: Handler, onReset?: () => void): void {
  const ref = useRef({ handler, onReset });
  ref.current = { handler, onReset };
  const key = names.join(",");
  useEffect(() => {
    const off = subscribe(key.split(","), (n, d) => ref.current.handler(n, d));
    const reset = () => ref.current.onReset?.();
    resetHandlers.add(reset);
    return () => {
      off();
      resetHandlers.delete(reset);
    };
  }, [key]);
}

export function useLiveStatus(): StreamStatus {
  return useSyncExternalStore(
    (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    () => status,
  );
}
