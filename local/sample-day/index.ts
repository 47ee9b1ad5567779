/**
 * The bundled sample day that `npm run hunt` hunts over when no tenant is configured: about
 * 2,500 xdr_data rows from ~40 agents over the 24 hours before `now`, with a Chaos-style
 * intrusion spreading by `wmic /node:... process call create` hidden among admin wmic use
 * and ordinary endpoint noise, and a laptop whose events reach XSIAM six hours late (laptop.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeAdminWmic } from './admin.js';
import { STOLEN_PASSWORD, STOLEN_USER, writeIntrusion } from './intrusion.js';
import { writeLateLaptop } from './laptop.js';
import { writeNoise } from './noise.js';
import { createRng } from './prng.js';
import { RowSink } from './rows.js';
import type { XdrRow } from './rows.js';

export type { XdrRow } from './rows.js';
export { SAMPLE_DAY_STORY, SAMPLE_DAY_INTRUSION } from './story.js';
export type { IntrusionPair } from './story.js';
export { LAPTOP_UPLOAD_DELAY_MS, LATE_LAPTOP_LAUNCH } from './laptop.js';
export { OFFLINE_LAPTOP } from './fleet.js';
/** The fake password the intrusion puts on wmic command lines: redaction tests assert it never leaks. */
export { STOLEN_PASSWORD as SAMPLE_DAY_PASSWORD } from './intrusion.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Every event is at least this far before `now`, so an ingest lag cannot hide it. */
export const SAMPLE_DAY_MIN_AGE_MS = 10 * MINUTE;
/** The sample spans the day before `now`. */
export const SAMPLE_DAY_SPAN_MS = 24 * HOUR;
/** The seed used when none is given. */
export const SAMPLE_DAY_DEFAULT_SEED = 0x5eed_da7a;

/** Options for {@link sampleDay}. */
export interface SampleDayOptions {
  /**
   * Seed of the random jitter (event times, noise, event id tails). The hosts, the story and
   * every row the seed query selects (host and command line) are the same for all seeds.
   * @default SAMPLE_DAY_DEFAULT_SEED
   */
  readonly seed?: number;
}

/** A bad argument to {@link sampleDay}. */
export class SampleDayError extends Error {
  override readonly name = 'SampleDayError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * One realistic day of xdr_data rows ending `SAMPLE_DAY_MIN_AGE_MS` before `now`, sorted by `_time`.
 *
 * Deterministic: the same `now` and seed give the same rows. A different `now` shifts every
 * event by the same amount and changes only the time-derived head of each `event_id`.
 */
export function sampleDay(now: number, options: SampleDayOptions = {}): XdrRow[] {
  if (typeof now !== 'number' || !Number.isFinite(now) || now < SAMPLE_DAY_SPAN_MS) {
    throw new SampleDayError(`sampleDay: now must be epoch milliseconds (a finite number after 1970-01-02), got ${describe(now)}`);
  }
  const seed = options.seed ?? SAMPLE_DAY_DEFAULT_SEED;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new SampleDayError(`sampleDay: seed must be an integer, got ${describe(seed)}`);
  }
  // One minute of margin at each end: generators add a few seconds after a drawn time.
  const start = Math.floor(now) - SAMPLE_DAY_SPAN_MS + MINUTE;
  const safeEnd = Math.floor(now) - SAMPLE_DAY_MIN_AGE_MS - MINUTE;
  const rng = createRng(seed);
  const sink = new RowSink(rng);

  writeNoise(sink, rng, start, safeEnd, 50);
  writeAdminWmic(sink, rng, start, safeEnd);
  const intrusion = start + 13 * HOUR + rng.int(0, 10 * MINUTE);
  writeIntrusion(sink, rng, intrusion);
  // Last, so every row before it is the same with or without the laptop.
  writeLateLaptop(sink, rng, intrusion, { user: STOLEN_USER, password: STOLEN_PASSWORD });

  return sink.rows.sort((a, b) => (a._time as number) - (b._time as number) || String(a.event_id).localeCompare(String(b.event_id)));
}

/**
 * The admin part of the sample day alone (SCCM push, patch audit, helpdesk gpupdate, local wmic),
 * for the day ending `SAMPLE_DAY_MIN_AGE_MS` before `now`: the routine of earlier days, from which
 * `npm run hunt` builds the sample history. No intrusion, no noise; `seed` varies the times.
 */
export function sampleAdminDay(now: number, seed: number = SAMPLE_DAY_DEFAULT_SEED): XdrRow[] {
  if (typeof now !== 'number' || !Number.isFinite(now) || now < SAMPLE_DAY_SPAN_MS) {
    throw new SampleDayError(`sampleAdminDay: now must be epoch milliseconds (a finite number after 1970-01-02), got ${describe(now)}`);
  }
  const start = Math.floor(now) - SAMPLE_DAY_SPAN_MS + MINUTE;
  const safeEnd = Math.floor(now) - SAMPLE_DAY_MIN_AGE_MS - MINUTE;
  const rng = createRng(seed);
  const sink = new RowSink(rng);
  writeAdminWmic(sink, rng, start, safeEnd);
  return sink.rows.sort((a, b) => (a._time as number) - (b._time as number) || String(a.event_id).localeCompare(String(b.event_id)));
}

/**
 * Writes {@link sampleDay} as JSON Lines (one row a line) to `path`, creating its folder.
 * @returns the number of rows written
 */
export async function writeSampleDayJsonl(path: string, now: number, options: SampleDayOptions = {}): Promise<number> {
  const rows = sampleDay(now, options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
  return rows.length;
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : `${typeof value} ${JSON.stringify(value) ?? String(value)}`.slice(0, 60);
}
