/**
 * Interleaved measurement for a noisy machine. Every round loads each kind once, for a short
 * slice, in an order rotated round by round (so no kind always runs first after the others or
 * always right after the same neighbour); a burst of background load then hits kinds of one round
 * alike. Ratios are reported two ways: totals over all rounds, and the median of the per-round
 * ratios — the latter shrugs off a round that a burst hit unevenly.
 */

export interface Rounds<K extends string> {
  /** Requests per kind, summed over all rounds. */
  totals: Record<K, number>;
  /** Requests per second, per round, per kind. */
  perRound: Record<K, number>[];
}

/** Run `rounds` rounds; `run(kind)` loads one kind for one slice and answers its request count. */
export async function interleave<K extends string>(
  kinds: readonly K[],
  rounds: number,
  sliceSeconds: number,
  run: (kind: K) => Promise<number>,
): Promise<Rounds<K>> {
  const totals = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<K, number>;
  const perRound: Record<K, number>[] = [];
  for (let round = 0; round < rounds; round++) {
    const rates = {} as Record<K, number>;
    for (let j = 0; j < kinds.length; j++) {
      const kind = kinds[(round + j) % kinds.length] as K;
      const n = await run(kind);
      totals[kind] += n;
      rates[kind] = n / sliceSeconds;
    }
    perRound.push(rates);
  }
  return { totals, perRound };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The median over rounds of `a / b` within each round. */
export function pairedRatio<K extends string>(r: Rounds<K>, a: K, b: K): number {
  return median(r.perRound.map((round) => round[a] / round[b]));
}

/** Two decimals. */
export const round2 = (x: number) => Math.round(x * 100) / 100;
