/**
 * The conversation of one user with one account: every page of it loaded (oldest first), then
 * kept live from the event stream. Live messages are collected and applied once per animation
 * frame (100 a second cost a handful of renders, none is dropped: each is kept by id), and the list
 * is virtualized (only the visible rows exist in the page), so 10 000 messages scroll smoothly.
 * The view stays pinned to the newest message unless the user scrolled up.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { get, seg } from "../api/client.js";
import type { ConversationMessage } from "../api/types.js";
import { useT } from "../i18n/index.js";
import { useLive } from "../live/bus.js";
import { Bubble, type BubbleActions } from "./bubble.js";
import { type DrawnMessage, drawMessage } from "./messages.js";

const PAGE = 1000;
/** Most messages a phone keeps (the oldest are dropped beyond this). */
const MAX_KEPT = 50_000;

/** Merge new messages into a sorted list by id (ids are time-ordered), skipping ones already there. */
export function mergeMessages(
  list: DrawnMessage[],
  seen: Set<string>,
  incoming: DrawnMessage[],
): DrawnMessage[] {
  const fresh = incoming.filter((m) => {
    if (seen.has(m.id)) return false;
    seen.add(m.id);
    return true;
  });
  if (fresh.length === 0) return list;
  const last = list.at(-1);
  const inOrder = fresh.every((m, i) =>
    i === 0 ? !last || last.id < m.id : (fresh[i - 1]?.id ?? "") < m.id,
  );
  const merged = inOrder
    ? list.concat(fresh)
    : [...list, ...fresh].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (merged.length <= MAX_KEPT) return merged;
  const cut = merged.slice(merged.length - MAX_KEPT);
  return cut;
}

export function Conversation({
  user,
  appid,
  actions,
  userAvatar,
  accountAvatar,
}: {
  user: string;
  appid: string;
  actions: BubbleActions;
  userAvatar: string;
  accountAvatar: string;
}) {
  const t = useT();
  const [messages, setMessages] = useState<DrawnMessage[]>([]);
  const [loading, setLoading] = useState(true);
  const seen = useRef(new Set<string>());
  const pending = useRef<DrawnMessage[]>([]);
  const frame = useRef<number | null>(null);
  const loaded = useRef(false);
  const parent = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  const flush = useCallback(() => {
    frame.current = null;
    if (!loaded.current) return;
    const batch = pending.current;
    pending.current = [];
    if (batch.length > 0) setMessages((list) => mergeMessages(list, seen.current, batch));
  }, []);

  const load = useCallback(async () => {
    loaded.current = false;
    seen.current = new Set();
    setLoading(true);
    let all: DrawnMessage[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await get<{ messages: ConversationMessage[] }>(
        `/users/${seg(user)}/conversations/${seg(appid)}`,
        {
          limit: PAGE,
          after,
        },
      ).catch(() => ({ messages: [] as ConversationMessage[] }));
      all = mergeMessages(all, seen.current, page.messages.map(drawMessage));
      if (page.messages.length < PAGE || all.length >= MAX_KEPT) break;
      after = page.messages.at(-1)?.id;
    }
    loaded.current = true;
    const early = pending.current;
    pending.current = [];
    setMessages(mergeMessages(all, seen.current, early));
    setLoading(false);
  }, [user, appid]);

  useEffect(() => {
    setMessages([]);
    atBottom.current = true;
    void load();
  }, [load]);

  useLive(
    ["conversation.message"],
    (_n, data) => {
      const m = data as ConversationMessage;
      if (m.appid !== appid || m.userId !== user) return;
      pending.current.push(drawMessage(m));
      frame.current ??= window.requestAnimationFrame(flush);
    },
    () => void load(),
  );
  useEffect(
    () => () => {
      if (frame.current !== null) window.cancelAnimationFrame(frame.current);
    },
    [],
  );

  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 64,
    overscan: 8,
    getItemKey: (i) => messages[i]?.id ?? i,
  });

  useLayoutEffect(() => {
    if (messages.length > 0 && atBottom.current)
      virtualizer.scrollToIndex(messages.length - 1, { align: "end" });
  }, [messages.length, virtualizer]);

  return (
    <div
      ref={parent}
      className="conversation"
      role="log"
      aria-label={t("conversation")}
      aria-busy={loading}
      data-count={messages.length}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrolling log must be reachable to scroll it with the keyboard
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 80;
      }}
    >
      {!loading && messages.length === 0 && <div className="msg-center muted">{t("noMessages")}</div>}
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((row) => {
          const m = messages[row.index];
          if (!m) return null;
          return (
            <div
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              className="row"
              style={{
                position: "absolute",
                top: 0,
                left: 0,
                width: "100%",
                transform: `translateY(${row.start}px)`,
              }}
            >
              <Bubble m={m} a={actions} avatar={m.side === "user" ? userAvatar : accountAvatar} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
