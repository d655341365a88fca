/**
 * Fault injection for the pay host: the simulator queues WeChat errors (SYSTEMERROR, NOTENOUGH, …)
 * that the next calls of one operation of one merchant answer, so merchants can test their retry and
 * error paths. Kept in memory: a fault is a test's short-lived instruction, not part of the world.
 */
import type { PayErrorName } from "./errors.js";

/** Operations shared by v2 and v3: placing, querying, closing, refunding, querying refunds. */
export const PAY_OPERATIONS = ["order", "query", "close", "refund", "refundquery"] as const;
export type PayOperation = (typeof PAY_OPERATIONS)[number];

export class PayFaults {
  private readonly queued = new Map<string, PayErrorName[]>();

  add(mchId: string, op: PayOperation, error: PayErrorName, times: number): void {
    const key = `${mchId}:${op}`;
    const list = this.queued.get(key) ?? [];
    for (let i = 0; i < times; i++) list.push(error);
    this.queued.set(key, list);
  }

  /** The next queued fault of this operation, consumed; undefined when none. */
  take(mchId: string, op: PayOperation): PayErrorName | undefined {
    const key = `${mchId}:${op}`;
    const list = this.queued.get(key);
    const next = list?.shift();
    if (list && list.length === 0) this.queued.delete(key);
    return next;
  }

  list(mchId: string): Record<string, PayErrorName[]> {
    const out: Record<string, PayErrorName[]> = {};
    for (const [k, v] of this.queued) if (k.startsWith(`${mchId}:`)) out[k.slice(mchId.length + 1)] = [...v];
    return out;
  }

  clear(): void {
    this.queued.clear();
  }
}
