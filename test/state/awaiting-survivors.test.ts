/**
 * The stored awaiting list read leniently (lambda/state/awaiting.ts): an entry malformed in one
 * field (a hand-edited item, a writer of another version) is skipped, so the confirm stage never
 * re-checks or follows up a pair it cannot name; a valid entry at each field's edge is kept. The
 * same check refuses such an entry in updateAwaiting's `change.add`, naming its index.
 */
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../lambda/finding.js';
import type { AwaitingPair } from '../../lambda/ports.js';
import { awaitingProblems, readAwaitingList } from '../../lambda/state/index.js';
import { MINUTE, T0, fingerprintOf } from '../fixtures/state/findings.js';

const HUNT = 'HuntQuery-Windows-WMIC-RemoteExec';
/** A horizon reaching back to the epoch, so the edges of the time fields are judged by the validator alone. */
const ALL_TIME = T0 + MINUTE;

/** A pair as the confirm stage lists it (the WMIC card's fields; finding fixtures' values). */
function pair(n: number): AwaitingPair {
  return {
    fingerprint: fingerprintOf(HUNT, n), sourceHost: `WS-${n}`, targetHost: `srv-${n}.corp.example`, remoteCommand: 'cmd.exe /c whoami',
    user: 'CORP\\alice', firstSeen: T0 - 10 * MINUTE, lastSeen: T0 - 5 * MINUTE, severity: 'high', riskScore: 85, notifiedAt: T0 - MINUTE,
  };
}

/** The entry with `field` set to `value` (undefined: the field is missing, as JSON would store it). */
function withField(field: keyof AwaitingPair, value: unknown): Record<string, unknown> {
  const e: Record<string, unknown> = { ...pair(2) };
  if (value === undefined) delete e[field];
  else e[field] = value;
  return e;
}

/** What readAwaitingList keeps of a stored item holding a valid pair and then `entry`. */
const readBack = (entry: unknown): AwaitingPair[] => readAwaitingList({ pk: `AWAIT#${HUNT}`, entries: [pair(1), entry] }, T0, ALL_TIME);

const TEXT_BAD = ['', undefined, null, 42, ['WS-2']];
const NULLABLE_BAD = [undefined, 42, { text: 'cmd.exe' }, ['cmd.exe']];
const TIME_BAD = [-1, Number.NaN, Number.POSITIVE_INFINITY, '2031-01-15T12:00:00Z', null, undefined];

/** Per field: values that make the entry malformed, and valid values at the field's edge. */
const FIELDS: ReadonlyArray<[keyof AwaitingPair, unknown[], unknown[]]> = [
  // A fingerprint is a non-empty key part of at most 512 characters (keys.ts fingerprintProblems).
  ['fingerprint', [...TEXT_BAD, 'f'.repeat(513)], ['f', 'f'.repeat(512)]],
  ['sourceHost', TEXT_BAD, ['W']],
  ['targetHost', TEXT_BAD, ['s']],
  // XDR leaves the remote command or the user empty (null) when it could not read them; '' is text too.
  ['remoteCommand', NULLABLE_BAD, [null, '']],
  ['user', NULLABLE_BAD, [null, '']],
  ['firstSeen', TIME_BAD, [0]],
  ['lastSeen', TIME_BAD, [0]],
  ['notifiedAt', TIME_BAD, [0]],
  ['riskScore', [Number.NaN, Number.POSITIVE_INFINITY, '85', null, undefined], [0, -1, 100]],
  ['severity', ['huge', 'HIGH', 3, null, undefined], [...SEVERITIES]],
];

describe('the awaiting list: an entry malformed in one field is skipped, a valid one kept', () => {
  for (const [field, bad, good] of FIELDS) {
    it(`${field}: each malformed value drops the entry; each edge value keeps it`, () => {
      for (const value of bad) {
        expect(readBack(withField(field, value)), `${field} = ${String(value)}`).toEqual([pair(1)]);
        expect(awaitingProblems(HUNT, T0, ALL_TIME, { add: [pair(1), withField(field, value)], remove: [] }), `${field} = ${String(value)}`)
          .toEqual(['change.add[1] must be an awaiting pair (fingerprint, hosts, times, severity)']);
      }
      for (const value of good) {
        expect(readBack(withField(field, value)), `${field} = ${String(value)}`).toHaveLength(2);
        expect(awaitingProblems(HUNT, T0, ALL_TIME, { add: [withField(field, value)], remove: [] }), `${field} = ${String(value)}`).toEqual([]);
      }
    });
  }

  it('skips entries that are not objects, and reads an item without a list as empty', () => {
    expect(readBack(null)).toEqual([pair(1)]);
    expect(readBack('WS-2')).toEqual([pair(1)]);
    expect(readAwaitingList({ pk: `AWAIT#${HUNT}`, entries: { 0: pair(1) } }, T0, ALL_TIME)).toEqual([]);
    expect(readAwaitingList(undefined, T0, ALL_TIME)).toEqual([]);
  });
});
