/**
 * A tiny seeded random source, so the sample day is the same bytes on every machine and run.
 * mulberry32: 32-bit state, good enough spread for picking hosts and jitter; not for secrets.
 */

/** Seeded random helpers over one mulberry32 stream. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
  /** `n` lowercase hex digits. */
  hex(n: number): string;
}

/** Builds an {@link Rng} from a 32-bit seed (non-integers and negatives are folded into 32 bits). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty list');
      // The index is in range by construction; the fallback only satisfies noUncheckedIndexedAccess.
      return items[int(0, items.length - 1)] ?? (items[0] as T);
    },
    chance: (p: number): boolean => next() < p,
    hex(n: number): string {
      let out = '';
      while (out.length < n) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
}
