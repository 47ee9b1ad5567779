/**
 * The input checks at the store's edge (lambda/state/validate.ts), at their edges: what an operator
 * reads in the StateInputError of recordFindings / markNotified (every problem named, labelled by
 * where it is), and the finding item a store puts, which a DynamoDB document client must be able
 * to marshal even when the caller built it without `removeUndefinedValues`.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lambda/finding.js';
import { StateInputError } from '../../lambda/state/errors.js';
import { newFindingRecord } from '../../lambda/state/dedupe.js';
import { claimProblems, confirmationsProblems, markNotifiedProblems, prepareFindings } from '../../lambda/state/validate.js';
import { DAY, T0, fingerprintOf, makeFinding } from '../fixtures/state/findings.js';

const HUNT = 'hunt-validate-edges';
const fp = fingerprintOf(HUNT, 1);

/** The problems recordFindings names for `findings` (it throws a StateInputError listing them all). */
function recordProblems(findings: unknown): { message: string; problems: readonly string[] } {
  try {
    prepareFindings(findings as Finding[]);
  } catch (e) {
    if (e instanceof StateInputError) return { message: e.message, problems: e.problems };
    throw e;
  }
  throw new Error('prepareFindings accepted the input');
}

describe('recordFindings names what is wrong with its findings', () => {
  it('refuses findings that are not an array, naming the operation', () => {
    expect(recordProblems({ 0: makeFinding(HUNT, 1) })).toEqual({
      message: 'recordFindings: invalid input: findings must be an array', problems: ['findings must be an array'],
    });
  });

  it('says which finding is not an object: null, or a fingerprint passed alone', () => {
    expect(recordProblems([makeFinding(HUNT, 1), null, fp])).toEqual({
      message: 'recordFindings: invalid input: findings[1] is not an object; findings[2] is not an object',
      problems: ['findings[1] is not an object', 'findings[2] is not an object'],
    });
  });

  it('labels each bad field with the finding it is in', () => {
    const bad = { ...makeFinding(HUNT, 2), huntId: '', fingerprint: '', firstSeen: Number.NaN, lastSeen: undefined };
    expect(recordProblems([makeFinding(HUNT, 1), bad]).problems).toEqual([
      'findings[1].huntId must be a non-empty string',
      'findings[1].fingerprint must be a non-empty string',
      'findings[1].firstSeen must be a finite number',
      'findings[1].lastSeen must be a finite number',
    ]);
  });

  it('refuses event ids that are not all strings: a number among strings, or only numbers', () => {
    for (const eventIds of [['ev-1', 17], [17]]) {
      expect(recordProblems([makeFinding(HUNT, 1, { eventIds: eventIds as string[] })]).problems).toEqual(['findings[0].eventIds must be an array of strings']);
    }
  });
});

describe('the finding item a store puts', () => {
  it('stores the fields a finding of an older caller lacks as null, and no reasons as an empty list', () => {
    const { suppressed: _s, causalitySha256: _c, reasons: _r, ...older } = makeFinding(HUNT, 1);
    const [prepared] = prepareFindings([older as Finding]);
    expect(prepared).toMatchObject({ suppressed: null, causalitySha256: null, reasons: [] });
  });

  it('can be marshalled by a document client without removeUndefinedValues: no undefined at the top or inside a reason', () => {
    const finding = {
      ...makeFinding(HUNT, 1), host: undefined,
      reasons: [{ code: 'base', points: 85, detail: undefined }, { code: 'payload.powershell', points: 10, detail: 'encoded command' }],
    } as unknown as Finding;
    const [prepared] = prepareFindings([finding]);
    const item = marshall(newFindingRecord(prepared as Finding, T0, DAY));
    expect(item).not.toHaveProperty('host');
    expect(item['reasons']).toEqual({ L: [
      { M: { code: { S: 'base' }, points: { N: '85' } } },
      { M: { code: { S: 'payload.powershell' }, points: { N: '10' }, detail: { S: 'encoded command' } } },
    ] });
  });
});

describe('markNotified names what is wrong with its arguments', () => {
  it('names a bad hunt id, clock and fingerprint by position', () => {
    expect(markNotifiedProblems('', [fp, '', 'x'.repeat(513)], Number.NaN)).toEqual([
      'huntId must be a non-empty string', 'now must be a finite number',
      'fingerprints[1] must be a non-empty string', 'fingerprints[2] is longer than 512 characters',
    ]);
    expect(markNotifiedProblems(HUNT, fp, T0)).toEqual(['fingerprints must be an array']);
  });

  it('refuses confirmations that are not a Map: a plain object or a list of pairs', () => {
    const message = 'confirmations must be a Map of fingerprint to confirmation status';
    expect(confirmationsProblems({ [fp]: 'confirmed' })).toEqual([message]);
    expect(confirmationsProblems([[fp, 'confirmed']])).toEqual([message]);
  });

  it('shows at most 80 characters of the fingerprint and 40 of the unknown status', () => {
    const long = 'f'.repeat(100);
    const status = `${'s'.repeat(40)}-cut`;
    expect(confirmationsProblems(new Map([[long, status], [fp, 'confirmed']]))).toEqual([
      `confirmations[${'f'.repeat(80)}] must be one of confirmed, not-seen, unmanaged, unavailable (got ${'s'.repeat(40)})`,
    ]);
  });
});

describe('recordFindings names what is wrong with its claim', () => {
  it('says what a claim must be when it is null or a run id alone', () => {
    for (const claim of [null, 'run-1']) expect(claimProblems(claim)).toEqual(['claim must be an object with runId and maxRunMs']);
  });

  it('takes run ids of 1 to 200 characters', () => {
    const runId = 'claim.runId must be a string of 1 to 200 characters';
    expect(claimProblems({ runId: 'r'.repeat(200), maxRunMs: 1 })).toEqual([]);
    expect(claimProblems({ runId: 'r'.repeat(201), maxRunMs: 1 })).toEqual([runId]);
    expect(claimProblems({ runId: '', maxRunMs: 0 })).toEqual(['claim.maxRunMs must be greater than 0', runId]);
  });
});
