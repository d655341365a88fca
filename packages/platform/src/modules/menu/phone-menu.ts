/**
 * The simulated WeChat client's view of menus (menu.md §1 "Refresh"): a client keeps the menu it
 * fetched for `clientTtlSeconds` (300 s) and fetches again after that; following or unfollowing
 * shows the current menu at once. Kept in memory: a restart is a client that fetches again.
 */
import type { ModuleContext } from "../../module.js";
import { resolveMenu } from "./match.js";
import { getMenuSettings, type Menu } from "./store.js";

/** Beyond this many (user, account) pairs the cache starts over (memory bound; clients just refetch). */
const MAX_ENTRIES = 100_000;

interface Cached {
  menu: Menu | null;
  fetchedAt: number;
}

export class MenuClients {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly ctx: ModuleContext) {
    ctx.events.on("user.followed", (e) => this.forget(e.appid, e.userId));
    ctx.events.on("user.unfollowed", (e) => this.forget(e.appid, e.userId));
    ctx.events.on("world.replaced", () => this.cache.clear());
  }

  private key(appid: string, userId: string): string {
    return `${appid}\n${userId}`;
  }

  forget(appid: string, userId: string): void {
    this.cache.delete(this.key(appid, userId));
  }

  /** The menu the user's client shows (refetched when older than the TTL, or when `refresh`). */
  async menuFor(appid: string, userId: string, opts: { refresh?: boolean } = {}): Promise<Menu | null> {
    const settings = await getMenuSettings(this.ctx.db, appid);
    const now = this.ctx.clock.now();
    const key = this.key(appid, userId);
    const cached = this.cache.get(key);
    if (!opts.refresh && cached && now - cached.fetchedAt < settings.clientTtlSeconds * 1000)
      return cached.menu;
    const menu = await resolveMenu(this.ctx.db, appid, userId, settings);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { menu, fetchedAt: now });
    return menu;
  }
}
