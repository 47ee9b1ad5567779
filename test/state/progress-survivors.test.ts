/**
 * Shadow log and backfill progress (lambda/state/progress.ts) at their edges: the entries the
 * shadow report reads back (hand-edited ones skipped, commands cut at 200 characters), when the
 * items expire, and what an operator reads in the StateInputError of recordShadow / readShadow /
 * markBackfillChunk (every problem named, labelled by the argument it is in).
 */
import { describe, expect, it } from 'vitest';
import type { ShadowEntry } from '../../lambda/ports.js';
import {
  BACKFILL_TTL_MS, backfillExpiresAt, backfillProblems, dayProblems, mergeShadowEntries, readBackfillChunks, readShadowLog,
  shadowExpiresAt, shadowProblems,
} from '../../lambda/state/progress.js';
import { DAY, T0, fingerprintOf } from '../fixtures/state/findings.js';

const HUNT = 'hunt-progress-edges';

/** A shadow entry as the shadow run records it: the notification's pair, reason codes and redacted command. */
const entry = (n: number, over: Partial<Record<keyof ShadowEntry, unknown>> = {}): ShadowEntry => ({
  fingerprint: fingerprintOf(HUNT, n), sourceHost: `WS-${n}`, targetHost: `srv-${n}.corp.example`, severity: 'high', riskScore: 85,
  reasons: ['base', 'payload.powershell'], remoteCommand: 'cmd.exe /c whoami', seenAt: T0, ...over,
} as ShadowEntry);

describe('the shadow log the report reads', () => {
  it('keeps each entry whole: reason codes, command, the time it was seen', () => {
    expect(mergeShadowEntries(undefined, [entry(1)]).entries).toEqual([entry(1)]);
  });

  it('keeps a command of 200 characters whole and cuts a 201-character one to 200 and an ellipsis', () => {
    const at200 = `powershell -enc ${'A'.repeat(184)}`;
    const { entries } = mergeShadowEntries(undefined, [entry(1, { remoteCommand: at200 }), entry(2, { remoteCommand: `${at200}B` }), entry(3, { remoteCommand: null })]);
    expect(entries.map((e) => e.remoteCommand)).toEqual([at200, `${at200}…`, null]);
  });

  it('skips a hand-edited entry that lacks any field, or has an unknown severity, and keeps the good ones', () => {
    const good = entry(1);
    const broken = (['fingerprint', 'sourceHost', 'targetHost', 'riskScore', 'reasons', 'seenAt'] as const).map((field, i) => {
      const { [field]: _dropped, ...rest } = entry(10 + i);
      return rest;
    });
    const raw = { entries: [...broken, entry(20, { severity: 'urgent' }), entry(21, { seenAt: String(T0) }), good], dropped: 2 };
    expect(readShadowLog(raw, '2031-01-15')).toEqual({ day: '2031-01-15', entries: [good], dropped: 2 });
    expect(shadowProblems(HUNT, raw.entries, T0)).toEqual(Array.from({ length: 8 }, (_, i) => `entries[${i}] is not a shadow entry`));
  });

  it('expires a day eight days after it ends', () => {
    expect(shadowExpiresAt('2031-01-15')).toBe(Date.UTC(2031, 0, 24) / 1000);
  });

  it('names a bad hunt id, clock and entry list at once', () => {
    expect(shadowProblems('', { 0: entry(1) }, Number.NaN)).toEqual([
      'huntId must be a non-empty string', 'now must be a finite number', 'entries must be an array',
    ]);
  });
});

describe('readShadow takes a UTC date YYYY-MM-DD and nothing else', () => {
  it('refuses a month alone, a date with trailing text, a number, and a date inside a list', () => {
    expect(dayProblems('2031-01-15')).toEqual([]);
    // Month 13 is no date; Date.parse reads `2031-01` as a day and skips `(…` as a comment: neither is a YYYY-MM-DD day.
    // A one-element list reads as its element in a template string; it is still not a day string.
    for (const day of ['2031-01', '2031-13-01', '2031-01-15 (', 20310115, ['2031-01-15']]) expect(dayProblems(day)).toEqual(['day must be a UTC date YYYY-MM-DD']);
    // a day that does not exist (Date.parse rolls it over into the next month), next to the last real ones
    for (const day of ['2026-02-29', '2026-02-31', '2026-04-31']) expect(dayProblems(day)).toEqual(['day must be a UTC date YYYY-MM-DD']);
    for (const day of ['2026-02-28', '2028-02-29', '2026-04-30']) expect(dayProblems(day)).toEqual([]);
  });
});

describe('backfill progress', () => {
  const range = { from: T0, to: T0 + DAY };

  it('reads the done chunks in time order, whatever order the set holds them in', () => {
    const later = `${T0 + 3_600_000}-${T0 + 7_200_000}`;
    const first = `${T0}-${T0 + 3_600_000}`;
    expect(readBackfillChunks({ chunksDone: new Set([later, first]) })).toEqual([
      { from: T0, to: T0 + 3_600_000 }, { from: T0 + 3_600_000, to: T0 + 7_200_000 },
    ]);
  });

  it('keeps progress 30 days after its last chunk', () => {
    expect(backfillExpiresAt(T0)).toBe((T0 + BACKFILL_TTL_MS) / 1000);
  });

  it('names a bad hunt id and each bad end of the range', () => {
    expect(backfillProblems('', { from: T0, to: 'tomorrow' })).toEqual(['huntId must be a non-empty string', 'range.to must be a finite number']);
    expect(backfillProblems(HUNT, { from: T0, to: T0 })).toEqual(['range.from must be before range.to']);
    expect(backfillProblems(HUNT, { from: T0, to: T0 + 1 })).toEqual([]);
  });

  it('does not compare the ends of a window one of which is not a finite number', () => {
    expect(backfillProblems(HUNT, { from: Number.POSITIVE_INFINITY, to: T0 })).toEqual(['range.from must be a finite number']);
  });

  it('names a bad chunk by its own label, and one outside the range only when it is otherwise valid', () => {
    expect(backfillProblems(HUNT, range, { from: T0, to: Number.NaN })).toEqual(['chunk.to must be a finite number']);
    expect(backfillProblems(HUNT, range, { from: T0 + 2 * DAY, to: T0 + DAY + 1 })).toEqual(['chunk.from must be before chunk.to']);
  });

  it('takes a chunk from the range start to its end, and refuses one a millisecond outside either', () => {
    const inside = 'chunk must lie inside range';
    expect(backfillProblems(HUNT, range, range)).toEqual([]);
    expect(backfillProblems(HUNT, range, { from: T0 - 1, to: T0 + 3_600_000 })).toEqual([inside]);
    expect(backfillProblems(HUNT, range, { from: T0 + 3_600_000, to: T0 + DAY + 1 })).toEqual([inside]);
  });
});
