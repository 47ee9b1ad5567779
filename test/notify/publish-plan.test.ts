/**
 * The plan both notifiers share: the storm limit's check, failure records, a storm digest that
 * survives a malformed record, and PublishBatch packing at SNS's limits (10 entries, 256 KiB in total:
 * https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html).
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { NotifyConfigError } from '../../lambda/notify/errors.js';
import { SNS_MAX_BATCH_ENTRIES, SNS_MAX_BYTES } from '../../lambda/notify/limits.js';
import type { SnsMessage } from '../../lambda/notify/message.js';
import { assertOptions, checkStormLimit, failureOf, packBatches, planMessages } from '../../lambda/notify/publish-plan.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

/** A finding whose target host cannot be read (a malformed record: every renderer fails on it). */
function unreadable(): TrackedFinding {
  const f = { ...makeFinding() };
  Object.defineProperty(f, 'targetHost', { get: () => { throw new Error('boom'); }, enumerable: true });
  return f;
}

describe('checkStormLimit', () => {
  it.each([1, 25])('accepts %i', (limit) => {
    expect(checkStormLimit(limit)).toEqual([]);
  });

  it.each([
    [0, '0'],
    [1.5, '1.5'],
    ['5', '5'],
    [Number.NaN, 'NaN'],
    [undefined, 'undefined'],
  ])('rejects %j, naming the value', (limit, shown) => {
    expect(checkStormLimit(limit)).toEqual([`stormLimit must be a whole number >= 1 (got ${shown})`]);
  });
});

describe('assertOptions', () => {
  it('passes when nothing is wrong', () => {
    expect(() => assertOptions('SnsNotifier', [])).not.toThrow();
  });

  it('throws one error listing every problem', () => {
    let caught: unknown;
    try {
      assertOptions('SnsNotifier', ['a is missing', 'b is negative']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NotifyConfigError);
    expect((caught as NotifyConfigError).message).toBe('SnsNotifier options are invalid: a is missing; b is negative');
    expect((caught as NotifyConfigError).problems).toEqual(['a is missing', 'b is negative']);
  });
});

describe('failureOf', () => {
  it('keeps the code and message, with placeholders for empty ones', () => {
    expect(failureOf('fp1', 'Throttling', 'Rate exceeded')).toEqual({ fingerprint: 'fp1', code: 'Throttling', message: 'Rate exceeded' });
    expect(failureOf('fp2', '', '')).toEqual({ fingerprint: 'fp2', code: 'UnknownError', message: '(no message)' });
  });
});

describe('planMessages', () => {
  it('names the failed finding and the cause of its render error', () => {
    const bad = unreadable();
    const good = makeFinding();
    const plan = planMessages([bad, good], makeContext(), 25);
    expect(plan.digest).toBe(false);
    expect(plan.messages.map((m) => m.fingerprints)).toEqual([[good.fingerprint]]);
    expect(plan.failed).toEqual([{ fingerprint: bad.fingerprint, code: 'RenderError', message: `finding ${bad.fingerprint} could not be rendered: boom` }]);
  });

  it('sends one digest above the storm limit and none at it', () => {
    const fs = [makeFinding(), makeFinding(), makeFinding()];
    expect(planMessages(fs, makeContext(), 3)).toMatchObject({ digest: false, failed: [] });
    expect(planMessages(fs, makeContext(), 3).messages).toHaveLength(3);
    const stormed = planMessages(fs, makeContext(), 2);
    expect(stormed).toMatchObject({ digest: true, failed: [] });
    expect(stormed.messages.map((m) => m.fingerprints)).toEqual([fs.map((f) => f.fingerprint)]);
  });

  it('leaves a malformed record out of the storm digest and tells the rest', () => {
    const bad = unreadable();
    const good = [makeFinding(), makeFinding()];
    const plan = planMessages([good[0]!, bad, good[1]!], makeContext(), 2);
    expect(plan.digest).toBe(true);
    expect(plan.messages.map((m) => [m.kind, m.fingerprints])).toEqual([['digest', good.map((f) => f.fingerprint)]]);
    expect(plan.failed).toEqual([
      { fingerprint: bad.fingerprint, code: 'RenderError', message: 'the storm digest could not be rendered: boom' },
    ]);
  });

  it('fails a null record (a corrupt read) alone, named with no fingerprint, and still tells the other pair, alone and in a storm', () => {
    const good = makeFinding();
    const alone = planMessages([null as unknown as TrackedFinding, good], makeContext(), 25);
    expect(alone.messages.map((m) => m.fingerprints)).toEqual([[good.fingerprint]]);
    expect(alone.failed).toEqual([expect.objectContaining({ fingerprint: '', code: 'RenderError' })]);
    const stormed = planMessages([null as unknown as TrackedFinding, good], makeContext(), 1);
    expect(stormed.messages.map((m) => [m.kind, m.fingerprints])).toEqual([['digest', [good.fingerprint]]]);
    expect(stormed.failed).toEqual([expect.objectContaining({ fingerprint: '', code: 'RenderError' })]);
  });

  it('sends no digest when every record of the storm is malformed', () => {
    const bad = [unreadable(), unreadable(), unreadable()];
    const plan = planMessages(bad, makeContext(), 2);
    expect(plan).toMatchObject({ digest: true, messages: [] });
    expect(plan.failed.map((f) => f.fingerprint)).toEqual(bad.map((f) => f.fingerprint));
  });
});

/** Stand-in messages of the given sizes (packBatches reads only the size). */
function sized(...bytes: number[]): SnsMessage[] {
  return bytes.map((b, i) => ({ kind: 'finding', subject: `m${i}`, message: '{}', bytes: b, fingerprints: [`fp${i}`] }) as unknown as SnsMessage);
}

/** The sizes of each batch. */
function shape(batches: SnsMessage[][]): number[][] {
  return batches.map((b) => b.map((m) => m.bytes));
}

describe('packBatches', () => {
  it('packs nothing into no batch', () => {
    expect(packBatches([])).toEqual([]);
  });

  it('puts exactly 10 entries in a batch and the 11th in the next', () => {
    expect(shape(packBatches(sized(...Array<number>(10).fill(1))))).toEqual([Array<number>(10).fill(1)]);
    expect(shape(packBatches(sized(...Array<number>(11).fill(1))))).toEqual([Array<number>(10).fill(1), [1]]);
  });

  it('takes a smaller entry limit but never more than SNS allows', () => {
    expect(shape(packBatches(sized(1, 1, 1, 1), 1_000, 3))).toEqual([[1, 1, 1], [1]]);
    expect(shape(packBatches(sized(...Array<number>(12).fill(1)), 1_000, 20))).toEqual([Array<number>(SNS_MAX_BATCH_ENTRIES).fill(1), [1, 1]]);
  });

  it('fills a batch to exactly the byte limit and starts another one byte over it', () => {
    expect(shape(packBatches(sized(50, 50, 1), 100))).toEqual([[50, 50], [1]]);
    expect(shape(packBatches(sized(50, 51, 49), 100))).toEqual([[50], [51, 49]]);
  });

  it('sends a message bigger than the limit alone rather than an empty batch', () => {
    expect(shape(packBatches(sized(200, 200, 10), 100))).toEqual([[200], [200], [10]]);
  });

  it('keeps a margin under 256 KiB by default', () => {
    const half = (SNS_MAX_BYTES - 2_048) / 2;
    expect(shape(packBatches(sized(half, half, 1)))).toEqual([[half, half], [1]]);
    expect(shape(packBatches(sized(half, half + 1)))).toEqual([[half], [half + 1]]);
  });
});
