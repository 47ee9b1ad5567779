/**
 * A backfill over run ports: the range split into chunks (explicitPlan), each chunk one window
 * run (dedupes and notifies like a run, or counts in shadow mode; never moves the checkpoint),
 * each finished chunk recorded in the state store so an interrupted backfill resumes where it
 * stopped and covers every chunk once.
 */
import { randomUUID } from 'node:crypto';
import type { HuntDefinition } from '../../lambda/hunts/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import type { RunSettings } from '../../lambda/ports.js';
import { COUNTERS, runHunt, type Counts, type RunPorts, type RunSummary } from '../../lambda/run/index.js';
import { chunkId } from '../../lambda/state/index.js';
import { explicitPlan } from '../../lambda/windows.js';

export interface BackfillRequest {
  readonly hunt: HuntDefinition;
  readonly settings: RunSettings;
  readonly range: TimeWindow;
  /** Longest window one query covers. */
  readonly chunkMs: number;
  readonly shadow: boolean;
  /** Time one chunk's run may take. */
  readonly chunkDeadlineMs: number;
}

export interface ChunkProgress {
  /** 1-based position of the chunk in the plan. */
  readonly index: number;
  readonly total: number;
  readonly chunk: TimeWindow;
  readonly summary: RunSummary;
}

export interface BackfillResult extends Counts {
  readonly range: TimeWindow;
  readonly shadow: boolean;
  /** Chunks in the plan, chunks done earlier (resumed past), chunks run now. */
  readonly totalChunks: number;
  readonly resumedChunks: number;
  readonly ranChunks: number;
  readonly notifications: RunSummary['notifications'];
}

export class BackfillChunkError extends Error {
  override readonly name = 'BackfillChunkError';
  constructor(readonly index: number, readonly total: number, readonly chunk: TimeWindow, options: { cause: unknown }) {
    super(`chunk ${index}/${total} (${new Date(chunk.from).toISOString()} → ${new Date(chunk.to).toISOString()}) failed; run the same backfill again to resume from it`, options);
  }
}

/** The chunks of a backfill, in order. */
export function backfillChunks(range: TimeWindow, chunkMs: number): TimeWindow[] {
  return explicitPlan(range, chunkMs).chunks;
}

export async function runBackfill(
  ports: RunPorts,
  request: BackfillRequest,
  hooks: { readonly onStart?: (resumed: number, total: number) => void; readonly onChunk?: (p: ChunkProgress) => void } = {},
): Promise<BackfillResult> {
  const { hunt, range } = request;
  const chunks = backfillChunks(range, request.chunkMs);
  const done = new Set((await ports.state.readBackfill(hunt.id, range)).map(chunkId));
  const resumed = chunks.filter((c) => done.has(chunkId(c))).length;
  hooks.onStart?.(resumed, chunks.length);
  const counts: Record<string, number> = Object.fromEntries(COUNTERS.map((k) => [k, 0]));
  const notifications: RunSummary['notifications'] = [];
  let ran = 0;
  for (const [i, chunk] of chunks.entries()) {
    if (done.has(chunkId(chunk))) continue;
    let summary: RunSummary;
    try {
      summary = await runHunt(ports, {
        hunt, settings: request.settings, runId: randomUUID(), deadline: ports.clock.now() + request.chunkDeadlineMs,
        window: chunk, shadow: request.shadow,
      });
      // A chunk another process is hunting right now, or one cut short, is not done.
      if (summary.status !== 'completed' && summary.status !== 'up-to-date') throw new Error(`run ended ${summary.status}`);
    } catch (err) {
      throw new BackfillChunkError(i + 1, chunks.length, chunk, { cause: err });
    }
    await ports.state.markBackfillChunk(hunt.id, range, chunk, ports.clock.now());
    ran += 1;
    for (const k of COUNTERS) counts[k] = (counts[k] ?? 0) + summary[k];
    notifications.push(...summary.notifications);
    hooks.onChunk?.({ index: i + 1, total: chunks.length, chunk, summary });
  }
  return {
    ...(counts as Counts), range, shadow: request.shadow, totalChunks: chunks.length, resumedChunks: resumed, ranChunks: ran, notifications,
  };
}
