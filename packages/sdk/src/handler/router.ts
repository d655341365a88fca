/**
 * The routes of the message handler: typed registration by message kind, event, text, click, scan,
 * middleware with `next()`, and the default; the first match runs.
 */
import type { InboundMessage } from "@mpstack/protocol";
import type { HandlerContext, HandlerResult, RouteHandler } from "./types.js";

export type MessageKind = InboundMessage["kind"];
export type MessageOfKind<K extends MessageKind> = Extract<InboundMessage, { kind: K }>;
export type EventMessage = MessageOfKind<"event">;
export type EventName = EventMessage["Event"];
/** The event types that can carry the name E (some types cover several names, e.g. VIEW and view_miniprogram). */
export type EventOfName<E extends EventName> = EventMessage extends infer M
  ? M extends EventMessage
    ? [Extract<M["Event"], E>] extends [never]
      ? never
      : M
    : never
  : never;

/** A string matches exactly; a RegExp matches and leaves its result in `ctx.match`. */
export type Pattern = string | RegExp;

interface Route {
  matches(message: InboundMessage, ctx: HandlerContext): boolean;
  run: RouteHandler;
}

function field(message: InboundMessage, name: string): string | undefined {
  const value = (message as unknown as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

function test(pattern: Pattern, value: string | undefined, ctx: HandlerContext): boolean {
  if (value === undefined) return false;
  if (typeof pattern === "string") return pattern === value;
  pattern.lastIndex = 0; // a /g or /y pattern must not carry state from one push to the next
  const match = pattern.exec(value);
  if (match === null) return false;
  ctx.match = match;
  return true;
}

// Routes are registered with narrower message types; the router only calls them after the check.
function widen<M extends InboundMessage>(handler: RouteHandler<M>): RouteHandler {
  return handler as unknown as RouteHandler;
}

const END = () => Promise.resolve(undefined);

/** A promise of `fn()`'s result, rejected (not thrown) when `fn` throws. */
function settle<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Ordered routes with fall-through: the first route that matches runs; calling `next()` continues
 * with the following matching routes and finally the default. Middleware (`use`) matches everything.
 */
export class Router {
  private readonly routes: Route[] = [];
  private fallback: RouteHandler | undefined;

  /** Middleware run for every push, in registration order with the routes. */
  use(middleware: RouteHandler): this {
    this.routes.push({ matches: () => true, run: middleware });
    return this;
  }

  /** Messages of a kind: "text", "image", "voice", "video", "shortvideo", "location", "link", "event", "unknown". */
  on<K extends MessageKind>(kind: K | readonly K[], handler: RouteHandler<MessageOfKind<K>>): this {
    const kinds: readonly string[] = typeof kind === "string" ? [kind] : kind;
    this.routes.push({ matches: (m) => kinds.includes(m.kind), run: widen(handler) });
    return this;
  }

  /** Text messages whose content equals the string or matches the RegExp. */
  text(pattern: Pattern, handler: RouteHandler<MessageOfKind<"text">>): this {
    this.routes.push({
      matches: (m, ctx) => m.kind === "text" && test(pattern, field(m, "Content"), ctx),
      run: widen(handler),
    });
    return this;
  }

  /** Events by name ("subscribe", "CLICK", …; case-sensitive as on the wire). */
  event<E extends EventName>(name: E | readonly E[], handler: RouteHandler<EventOfName<E>>): this {
    const names: readonly string[] = typeof name === "string" ? [name] : name;
    this.routes.push({
      matches: (m) => m.kind === "event" && names.includes(m.Event),
      run: widen(handler),
    });
    return this;
  }

  /** Custom-menu CLICK events whose button key matches. */
  click(key: Pattern, handler: RouteHandler<EventOfName<"CLICK">>): this {
    this.routes.push({
      matches: (m, ctx) => m.kind === "event" && m.Event === "CLICK" && test(key, field(m, "EventKey"), ctx),
      run: widen(handler),
    });
    return this;
  }

  /** Any event whose EventKey matches (menu keys of every button type, QR scene values, URLs of VIEW). */
  eventKey(key: Pattern, handler: RouteHandler<EventMessage>): this {
    this.routes.push({
      matches: (m, ctx) => m.kind === "event" && test(key, field(m, "EventKey"), ctx),
      run: widen(handler),
    });
    return this;
  }

  /**
   * Parametric QR-code scans: `SCAN` from followers and `subscribe` with `qrscene_<scene>` from new
   * followers; the scene is compared without the prefix. Without a scene, every QR scan matches.
   */
  scan(scene: Pattern | undefined, handler: RouteHandler<EventOfName<"SCAN" | "subscribe">>): this {
    this.routes.push({
      matches: (m, ctx) => {
        if (m.kind !== "event") return false;
        const key = field(m, "EventKey");
        let value: string | undefined;
        if (m.Event === "SCAN") value = key;
        else if (m.Event === "subscribe" && key?.startsWith("qrscene_")) value = key.slice("qrscene_".length);
        if (value === undefined) return false;
        return scene === undefined || test(scene, value, ctx);
      },
      run: widen(handler),
    });
    return this;
  }

  /** Runs when no route answered (no match, or the last matching route called `next()`). */
  default(handler: RouteHandler): this {
    this.fallback = handler;
    return this;
  }

  /** Runs the chain for one message. */
  dispatch(message: InboundMessage, ctx: HandlerContext): Promise<HandlerResult> {
    return settle(() => this.route(message, ctx));
  }

  /** Like `dispatch`, but returns a synchronous route's result as is (no promise). */
  protected route(message: InboundMessage, ctx: HandlerContext): HandlerResult | Promise<HandlerResult> {
    return this.from(0, message, ctx);
  }

  private from(
    index: number,
    message: InboundMessage,
    ctx: HandlerContext,
  ): HandlerResult | Promise<HandlerResult> {
    const routes = this.routes;
    for (let i = index; i < routes.length; i++) {
      const route = routes[i]!;
      ctx.match = null;
      if (route.matches(message, ctx)) {
        return route.run(message, ctx, () => settle(() => this.from(i + 1, message, ctx)));
      }
    }
    ctx.match = null;
    return this.fallback ? this.fallback(message, ctx, END) : undefined;
  }
}
