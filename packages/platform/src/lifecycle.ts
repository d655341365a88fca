/**
 * The platform's start and stop beside requests: modules' background work (tracked, so close can
 * wait for it before the database goes) and closing the HTTP server without waiting on a
 * keep-alive connection whose response had just finished when close began.
 */
import type { FastifyBaseLogger, FastifyInstance } from "fastify";

/** Background work of the modules (`ctx.background`): held until start, awaited at close. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();
  private pending: [string, () => Promise<unknown>][] | null = [];
  private stopping = false;

  constructor(private readonly log: FastifyBaseLogger) {}

  run(what: string, task: () => Promise<unknown>): void {
    if (this.stopping) return;
    if (this.pending) {
      this.pending.push([what, task]);
      return;
    }
    const p: Promise<void> = Promise.resolve()
      .then(task)
      .then(
        () => undefined,
        (err: unknown) => {
          if (this.stopping) return;
          this.log.error({ err: err instanceof Error ? err.message : String(err) }, `${what} failed`);
        },
      )
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Every module is set up: start what they asked for. */
  start(): void {
    const held = this.pending ?? [];
    this.pending = null;
    for (const [what, task] of held) this.run(what, task);
  }

  /** The platform is closing: no new work starts; failures are no longer logged. */
  closing(): void {
    this.stopping = true;
    this.pending = null;
  }

  /** Wait for the work still running (its modules' onClose hooks have told it to stop). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** How long close lets requests in flight finish before their connections are cut. */
const CLOSE_GRACE_MS = 5_000;
const IDLE_SWEEP_MS = 50;

/**
 * Close the server. Node closes the connections idle at that moment only; a connection whose
 * response was still being flushed becomes idle a moment later and would hold close for its whole
 * keep-alive time. So idle connections are closed again until the server is down, and whatever is
 * still open after the grace time is cut.
 */
export async function closeServer(app: FastifyInstance, graceMs = CLOSE_GRACE_MS): Promise<void> {
  const server = app.server;
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(cut);
  }
}
