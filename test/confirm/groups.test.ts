/**
 * The confirmation's time ranges for late and on-time pairs: each pair's query covers
 * [its source event − 1 min, its source event + 5 min], however long before the run it happened,
 * and pairs hours apart are not joined into one wide (costly, cut-short) range.
 */
import { describe, expect, it } from 'vitest';
import { confirmationGroups, JOIN_GAP_MS } from '../../lambda/confirm/index.js';
import { MIN, pair, T0 } from './fixture.js';

const HOUR = 60 * MIN;
const LAG = 5 * MIN;

describe('confirmation ranges for late and on-time pairs', () => {
  it('covers an on-time pair from a minute before its launch to five minutes after', () => {
    const groups = confirmationGroups([pair('fs01', 'cmd', T0)], T0 + 20 * MIN, LAG);
    expect(groups).toEqual([{ pairs: [pair('fs01', 'cmd', T0)], range: { from: T0 - MIN, to: T0 + 5 * MIN } }]);
  });

  it('covers a pair found 30 hours after its launch at its own time, not the run\'s', () => {
    const late = pair('fs09', 'cmd', T0 - 30 * HOUR);
    const [group] = confirmationGroups([late], T0, LAG);
    expect(group?.range).toEqual({ from: T0 - 30 * HOUR - MIN, to: T0 - 30 * HOUR + 5 * MIN });
  });

  it('gives a late pair beside on-time ones its own range; the on-time ones share one', () => {
    const now = T0 + 30 * MIN;
    const onTime = [pair('fs01', 'cmd', T0 + 10 * MIN), pair('app01', 'cmd', T0 - 20 * MIN)];
    const late = pair('fs09', 'cmd', T0 - 30 * HOUR);
    const groups = confirmationGroups([onTime[1]!, late, onTime[0]!], now, LAG);
    expect(groups.map((g) => g.pairs.map((p) => p.targetHost))).toEqual([['fs01', 'app01'], ['fs09']]);
    expect(groups.map((g) => g.range)).toEqual([
      { from: T0 - 21 * MIN, to: T0 + 15 * MIN },
      { from: T0 - 30 * HOUR - MIN, to: T0 - 30 * HOUR + 5 * MIN },
    ]);
    // Neither range scans the 30 hours between them.
    expect(groups.reduce((sum, g) => sum + (g.range!.to - g.range!.from), 0)).toBeLessThan(HOUR);
  });

  it('joins pairs at most the join gap apart, and splits them beyond', () => {
    const a = pair('fs01', 'cmd', T0);
    const near = pair('fs02', 'cmd', T0 - 5 * MIN - JOIN_GAP_MS + MIN);
    const far = pair('fs03', 'cmd', T0 - 5 * MIN - JOIN_GAP_MS - 2 * MIN - 1000);
    expect(confirmationGroups([a, near], T0 + HOUR, LAG)).toHaveLength(1);
    expect(confirmationGroups([a, far], T0 + HOUR, LAG)).toHaveLength(2);
  });

  it('keeps a group within the maximum span, however many pairs chain it', () => {
    const chain = Array.from({ length: 40 }, (_, i) => pair(`h${i}`, 'cmd', T0 - i * 50 * MIN));
    const groups = confirmationGroups(chain, T0 + HOUR, LAG);
    expect(groups.length).toBeGreaterThan(1);
    for (const g of groups) expect(g.range!.to - g.range!.from).toBeLessThanOrEqual(24 * HOUR + 6 * MIN);
    expect(groups.flatMap((g) => g.pairs)).toHaveLength(40);
  });

  it('has no range for a group newer than now minus the ingest lag', () => {
    const groups = confirmationGroups([pair('fs01', 'cmd', T0), pair('fs09', 'cmd', T0 - 3 * HOUR)], T0 + 2 * MIN, LAG);
    expect(groups.map((g) => g.range)).toEqual([null, { from: T0 - 3 * HOUR - MIN, to: T0 - 3 * HOUR + 5 * MIN }]);
  });
});

describe('confirmationGroups at its edges', () => {
  const T = Date.UTC(2026, 10, 28, 10, 0, 0);
  const p = (id: string, firstSeen: number, lastSeen = firstSeen) => ({ id, firstSeen, lastSeen });
  const ids = (groups: { pairs: readonly { id: string }[] }[]) => groups.map((g) => g.pairs.map((x) => x.id));
  const NOW = T + 60 * MIN;

  it('joins a pair whose window ends exactly JOIN_GAP_MS before the group, and not 1 ms earlier', () => {
    // A's window starts at T − 1 min; B's ends at its time + 5 min: T − 66 min + 5 min = T − 61 min.
    expect(ids(confirmationGroups([p('A', T), p('B', T - 66 * MIN)], NOW, 5 * MIN))).toEqual([['A', 'B']]);
    expect(ids(confirmationGroups([p('A', T), p('B', T - 66 * MIN - 1)], NOW, 5 * MIN))).toEqual([['A'], ['B']]);
  });

  it('keeps a group within maxSpanMs exactly, and splits 1 ms beyond', () => {
    // A's window ends at T + 5 min; B's starts at its first event − 1 min: a span of 24 h + 6 min exactly.
    expect(ids(confirmationGroups([p('A', T), p('B', T - 24 * 60 * MIN, T)], NOW, 5 * MIN))).toEqual([['A', 'B']]);
    expect(ids(confirmationGroups([p('A', T), p('B', T - 24 * 60 * MIN - 1, T)], NOW, 5 * MIN))).toEqual([['A'], ['B']]);
  });

  it('keeps a group\'s start at its earliest pair, so a long-running pair holds later ones in its query', () => {
    // A: the same launch repeated from T − 10 h to T (one pair, seen again each run); B at T − 2 h
    // and C at T − 5 h lie inside A's window: one query over A's range, not a second for C.
    const groups = confirmationGroups([p('A', T - 10 * 60 * MIN, T), p('B', T - 2 * 60 * MIN), p('C', T - 5 * 60 * MIN)], NOW, 5 * MIN);
    expect(ids(groups)).toEqual([['A', 'B', 'C']]);
    expect(groups[0]?.range).toEqual({ from: T - 10 * 60 * MIN - MIN, to: T + 5 * MIN });
  });

  it('orders the most recent first, by last then first event, and gives each group its own range', () => {
    const groups = confirmationGroups([p('old', T - 10 * 60 * MIN), p('early', T - 2 * MIN, T), p('late', T - MIN, T)], NOW, 5 * MIN);
    expect(ids(groups)).toEqual([['late', 'early'], ['old']]);
    expect(groups.map((g) => g.range)).toEqual([
      { from: T - 3 * MIN, to: T + 5 * MIN },
      { from: T - 10 * 60 * MIN - MIN, to: T - 10 * 60 * MIN + 5 * MIN },
    ]);
  });
});
