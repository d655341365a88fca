/**
 * Loading data from the simulator API in components: `useLoad` runs a read, exposes its result,
 * error and a reload, and reloads on the live events named (or after a stream reset). Shared reads
 * used by many panels (accounts, users) are here too.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { get } from "../api/client.js";
import type { AccountView, UserView } from "../api/types.js";
import { useLive } from "../live/bus.js";

export interface Loaded<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

/** Events after which any view of the world may be stale. */
const WORLD = ["world.replaced"];

/**
 * `accept` narrows the live events that reload (e.g. only those of the panel's account); world
 * resets always reload.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  liveEvents: readonly string[] = [],
  accept?: (name: string, data: unknown) => boolean,
): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const gen = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => {
    const mine = ++gen.current;
    setLoading(true);
    loadRef.current().then(
      (d) => {
        if (mine !== gen.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== gen.current) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      },
    );
    // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  }, deps);
  useEffect(() => reload(), [reload]);
  // Several events in a burst cause one reload.
  const timer = useRef<number | undefined>(undefined);
  const soon = useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      reload();
    }, 150);
  }, [reload]);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useLive(
    [...WORLD, ...liveEvents],
    (name, data) => {
      if (!accept || WORLD.includes(name) || accept(name, data)) soon();
    },
    reload,
  );
  return { data, error, loading, reload };
}

export function useAccounts(): Loaded<AccountView[]> {
  return useLoad(
    async () => (await get<{ accounts: AccountView[] }>("/accounts")).accounts,
    [],
    ["account.updated"],
  );
}

export function useUsers(): Loaded<UserView[]> {
  // Users change only through the simulator (the console reloads after creating one) or a reset.
  return useLoad(async () => (await get<{ users: UserView[] }>("/users", { limit: 1000 })).users, []);
}

/** The account a per-account panel shows: `?appid=` or else the newest account. */
export function usePickedAccount(query: URLSearchParams): { accounts: Loaded<AccountView[]>; appid: string } {
  const accounts = useAccounts();
  return { accounts, appid: query.get("appid") ?? accounts.data?.at(-1)?.appid ?? "" };
}

/** Live events of one account only (every platform event of an account carries its `appid`). */
export const ofAccount =
  (appid: string) =>
  (_name: string, data: unknown): boolean =>
    (data as { appid?: unknown } | null)?.appid === appid;
