/**
 * Backfill over real parts (DynamoDB Local, the local XSIAM, the real detector and SnsNotifier):
 * an interrupted backfill resumes where it stopped and covers every chunk once, notifies each
 * pair once, and never moves the scheduled checkpoint.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import type { XqlSource } from '../../lambda/ports.js';
import { BackfillChunkError, runBackfill, type ChunkProgress } from '../../local/cli/backfill-core.js';
import { HOUR, MIN, T0, publishedFindings, snsAcceptsAll, snsMock, startHarness, wmicRow, type Harness } from '../integration/harness.js';

const ATTACK = (target: string) => `wmic /node:"${target}" process call create "powershell.exe -enc SQBFAFgA"`;
const RANGE = { from: T0 - 6 * HOUR, to: T0 };

let h: Harness;
beforeEach(async () => {
  snsMock.reset();
  snsAcceptsAll();
  h = await startHarness();
  // One attack per hour of the range: six chunks, six pairs.
  for (let i = 0; i < 6; i++) h.events.push(wmicRow(RANGE.from + i * HOUR + 10 * MIN, 'WS-01', ATTACK(`srv-${i}`)));
});
afterEach(async () => h.close());

/** The xql port, recording each window it answered; `dieOn` (1-based call) throws instead, as a killed process would stop. */
function recordingXql(answered: TimeWindow[], dieOn?: number): XqlSource {
  let calls = 0;
  return {
    query: async (credentials, xql, window, options) => {
      calls += 1;
      if (calls === dieOn) throw new Error('interrupted');
      const result = await h.ports.xql.query(credentials, xql, window, options);
      answered.push(window);
      return result;
    },
  };
}

const request = (shadow = false) => ({ hunt: WMIC_REMOTE_EXEC, settings: h.settings, range: RANGE, chunkMs: HOUR, shadow, chunkDeadlineMs: 10 * MIN });

describe('backfill', () => {
  it('resumes after an interruption: every chunk is hunted once, every pair notified once, the checkpoint untouched', async () => {
    const answered: TimeWindow[] = [];
    const first: ChunkProgress[] = [];
    const err = await runBackfill({ ...h.ports, xql: recordingXql(answered, 4) }, request(), { onChunk: (p) => first.push(p) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackfillChunkError);
    expect(err).toMatchObject({ index: 4, total: 6 });
    expect(first.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(publishedFindings()).toHaveLength(3);

    let resumedFrom = -1;
    const second = await runBackfill({ ...h.ports, xql: recordingXql(answered) }, request(), { onStart: (done) => { resumedFrom = done; } });
    expect(resumedFrom).toBe(3);
    expect(second).toMatchObject({ totalChunks: 6, resumedChunks: 3, ranChunks: 3, notified: 3 });
    const hourly = Array.from({ length: 6 }, (_, i) => ({ from: RANGE.from + i * HOUR, to: RANGE.from + (i + 1) * HOUR }));
    expect(answered).toEqual(hourly);
    expect(publishedFindings().map((f) => f.targetHost).sort()).toEqual(['srv-0', 'srv-1', 'srv-2', 'srv-3', 'srv-4', 'srv-5']);
    expect(await h.state.readCheckpoint(WMIC_REMOTE_EXEC.id)).toBeNull();

    // Done: the same backfill again runs no query at all.
    const again = await runBackfill({ ...h.ports, xql: recordingXql(answered) }, request());
    expect(again).toMatchObject({ resumedChunks: 6, ranChunks: 0, notified: 0 });
    expect(answered).toHaveLength(6);
  });

  it('in shadow mode counts the pairs and sends none; a live backfill of the range then sends them', async () => {
    const shadow = await runBackfill(h.ports, { ...request(true), range: { from: RANGE.from, to: RANGE.to - HOUR } });
    expect(shadow).toMatchObject({ wouldNotify: 5, notified: 0 });
    expect(publishedFindings()).toHaveLength(0);
    const live = await runBackfill(h.ports, request());
    expect(live).toMatchObject({ notified: 6, recovered: 5, wouldNotify: 0 });
  });
});
