/**
 * The awaiting list's decisions at their edges (lambda/state/awaiting.ts): the horizon, which pairs
 * a full list keeps, the item's size cap and expiry, the order the confirm stage reads, the late
 * arrival a follow-up reports, and the errors naming a bad argument of readAwaiting/updateAwaiting.
 */
import { describe, expect, it } from 'vitest';
import type { AwaitingPair } from '../../lambda/ports.js';
import { AWAITING_LIMIT, awaitingExpiresAt, awaitingProblems, mergeAwaiting, readAwaitingList } from '../../lambda/state/index.js';
import { MINUTE, T0, fingerprintOf } from '../fixtures/state/findings.js';

const HUNT = 'HuntQuery-Windows-WMIC-RemoteExec';
const HOUR = 60 * MINUTE;
const NONE = { add: [], remove: [] };

function pair(n: number, notifiedAt: number, overrides: Partial<AwaitingPair> = {}): AwaitingPair {
  return {
    fingerprint: fingerprintOf(HUNT, n), sourceHost: `WS-${n}`, targetHost: `srv-${n}.corp.example`, remoteCommand: 'cmd.exe /c whoami',
    user: 'CORP\\alice', firstSeen: T0 - 2 * HOUR, lastSeen: T0 - 2 * HOUR, severity: 'high', riskScore: 85, notifiedAt, ...overrides,
  };
}

const hostsOf = (list: readonly AwaitingPair[]): string[] => list.map((e) => e.sourceHost);

describe('the awaiting list at its edges', () => {
  it('keeps a pair notified exactly the horizon ago (the window chunk still re-checks it) and drops one 1 ms older', () => {
    const stored = { entries: [pair(1, T0 - HOUR), pair(2, T0 - HOUR - 1)] };
    expect(hostsOf(readAwaitingList(stored, T0, HOUR))).toEqual(['WS-1']);
    expect(hostsOf(mergeAwaiting(null, { add: stored.entries, remove: [] }, T0, HOUR))).toEqual(['WS-1']);
  });

  it('reads a hand-edited list oldest first, and writes the merged list oldest first whatever the severities', () => {
    const stored = { entries: [pair(1, T0 - 2 * MINUTE), pair(2, T0 - 4 * MINUTE), pair(3, T0 - 3 * MINUTE), pair(4, T0 - MINUTE)] };
    expect(hostsOf(readAwaitingList(stored, T0, HOUR))).toEqual(['WS-2', 'WS-3', 'WS-1', 'WS-4']);
    const add = [pair(5, T0 - 5 * MINUTE, { severity: 'low', riskScore: 30 }), pair(6, T0 - 30_000, { severity: 'critical', riskScore: 95 })];
    expect(hostsOf(mergeAwaiting(stored, { add, remove: [] }, T0, HOUR))).toEqual(['WS-5', 'WS-2', 'WS-3', 'WS-1', 'WS-4', 'WS-6']);
  });

  it('on a full list of one severity keeps the riskier pair, even when it is the oldest', () => {
    const riskier = pair(0, T0 - 59 * MINUTE, { riskScore: 90 });
    const usual = Array.from({ length: AWAITING_LIMIT }, (_, i) => pair(i + 1, T0 - 50 * MINUTE + i));
    const kept = mergeAwaiting({ entries: [riskier] }, { add: usual, remove: [] }, T0, HOUR);
    expect(kept).toHaveLength(AWAITING_LIMIT);
    expect(kept[0]).toEqual(riskier);
    // Among equals the oldest notification goes.
    expect(kept.some((e) => e.fingerprint === fingerprintOf(HUNT, 1))).toBe(false);
  });

  describe('the item stays below 300,000 characters of entries, dropping the least severe pairs', () => {
    // PowerShell's -EncodedCommand carries a whole script in base64 on the command line, which
    // Windows allows up to 32,767 characters:
    // https://learn.microsoft.com/en-us/windows/win32/api/processthreadsapi/nf-processthreadsapi-createprocessw
    const MAX_CHARS = 300_000;
    const encoded = (n: number): string => `powershell.exe -NoProfile -EncodedCommand ${'SQBFAFgA'.repeat(n).slice(0, n)}`;
    const pairs = (commandChars: readonly number[]): AwaitingPair[] => commandChars.map((chars, i) =>
      pair(i, T0 - (i + 1) * MINUTE, { remoteCommand: encoded(chars), ...(i === 3 ? { severity: 'medium' as const, riskScore: 55 } : {}) }));
    const size = (list: readonly AwaitingPair[]): number => JSON.stringify(list).length;
    // Ten pairs whose entries come to exactly MAX_CHARS characters.
    const base = size(mergeAwaiting(null, { add: pairs(Array<number>(10).fill(0)), remove: [] }, T0, HOUR));
    const each = Math.floor((MAX_CHARS - base) / 10);
    const exact = [MAX_CHARS - base - 9 * each, ...Array<number>(9).fill(each)];

    it('keeps all ten at exactly 300,000 characters', () => {
      const kept = mergeAwaiting(null, { add: pairs(exact), remove: [] }, T0, HOUR);
      expect(size(kept)).toBe(MAX_CHARS);
      expect(kept).toHaveLength(10);
    });

    it('drops the medium pair at 300,001', () => {
      const kept = mergeAwaiting(null, { add: pairs([exact[0]! + 1, ...exact.slice(1)]), remove: [] }, T0, HOUR);
      expect(kept).toHaveLength(9);
      expect(kept.map((e) => e.severity)).not.toContain('medium');
    });
  });

  it('expires the item when its newest entry passes the horizon, never earlier', () => {
    const entries = [pair(1, T0 - 50 * MINUTE), pair(2, T0 - 10 * MINUTE)];
    expect(awaitingExpiresAt(entries, T0, HOUR)).toBe(Math.ceil((T0 + HOUR) / 1000));
    // Another run's clock a little ahead: its notification is newer than now.
    expect(awaitingExpiresAt([...entries, pair(3, T0 + 2 * MINUTE)], T0, HOUR)).toBe(Math.ceil((T0 + 2 * MINUTE + HOUR) / 1000));
    expect(awaitingExpiresAt([], T0, HOUR)).toBe(Math.ceil((T0 + HOUR) / 1000));
  });

  it('keeps a late arrival only with both its times, so a follow-up never says "arrived late" without them', () => {
    const merged = (extra: Partial<AwaitingPair>): AwaitingPair => mergeAwaiting(null, { add: [pair(1, T0, extra)], remove: [] }, T0, HOUR)[0]!;
    expect(merged({ arrivedAt: T0 - MINUTE, arrivedLateMs: 30 * HOUR })).toEqual(pair(1, T0, { arrivedAt: T0 - MINUTE, arrivedLateMs: 30 * HOUR }));
    expect(merged({ arrivedAt: T0 - MINUTE, arrivedLateMs: 0 })).toEqual(pair(1, T0, { arrivedAt: T0 - MINUTE, arrivedLateMs: 0 }));
    expect(merged({ arrivedLateMs: 30 * HOUR })).toStrictEqual(pair(1, T0));
    expect(merged({ arrivedAt: T0 - MINUTE })).toStrictEqual(pair(1, T0));
    expect(merged({ arrivedAt: -1, arrivedLateMs: 30 * HOUR })).toStrictEqual(pair(1, T0));
  });
});

describe('awaitingProblems names each bad argument', () => {
  it('now and horizonMs: finite, and the horizon above 0', () => {
    expect(awaitingProblems(HUNT, T0, 1)).toEqual([]);
    expect(awaitingProblems(HUNT, T0, 0)).toEqual(['horizonMs must be greater than 0']);
    expect(awaitingProblems(HUNT, '2031-01-15', Number.NaN)).toEqual(['now must be a finite number', 'horizonMs must be a finite number']);
  });

  it('the change: both lists present, every removed fingerprint a key part', () => {
    expect(awaitingProblems(HUNT, T0, HOUR, NONE)).toEqual([]);
    expect(awaitingProblems(HUNT, T0, HOUR, {})).toEqual(['change.add must be an array', 'change.remove must be an array']);
    expect(awaitingProblems(HUNT, T0, HOUR, null)).toEqual(['change.add must be an array', 'change.remove must be an array']);
    expect(awaitingProblems(HUNT, T0, HOUR, { add: [], remove: [fingerprintOf(HUNT, 1), '', 'f'.repeat(513)] }))
      .toEqual(['change.remove[1] must be a non-empty string', 'change.remove[2] is longer than 512 characters']);
  });
});
