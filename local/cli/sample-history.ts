/**
 * The sample history: before the first run of the sample day, the routine of the two weeks before
 * it (the sample day's admin part, one generated day at a time) is judged by the real detector and
 * recorded through the state store, as the hunt would have recorded it had it run those days. So
 * the sample day shows history at work: the helpdesk's gpupdate from IT-ADM-01 is routine (lowered
 * below the notification threshold), the intruder's WS-FIN-023 a first-time source.
 */
import { DEFAULT_ALLOWLIST, createDetector } from '../../lambda/detect/index.js';
import { dayOf, sightingsOf } from '../../lambda/history/index.js';
import type { HuntDefinition } from '../../lambda/hunts/index.js';
import type { Detector, RunSettings, StateStore } from '../../lambda/ports.js';
import { SAMPLE_DAY_DEFAULT_SEED, SAMPLE_DAY_MIN_AGE_MS, SAMPLE_DAY_SPAN_MS, sampleAdminDay } from '../sample-day/index.js';

/** Days of routine before the sample day: twice the default minimum coverage, well past "routine". */
export const SAMPLE_HISTORY_DAYS = 14;

/**
 * Records the sample history for the sample day anchored at `anchor`, unless the state already
 * covers the day before it (a state folder from before history existed gets it on its next run).
 * Returns the days recorded.
 */
export async function seedSampleHistory(store: StateStore, hunt: HuntDefinition, settings: RunSettings, anchor: number, now: number,
  detector: Detector = createDetector({ hunt, allowlist: DEFAULT_ALLOWLIST })): Promise<number> {
  const dayBefore = dayOf(anchor - 2 * SAMPLE_DAY_SPAN_MS);
  const { coveredDays } = await store.readHistory(hunt.id, { hosts: [], users: [] }, now);
  if (coveredDays.includes(dayBefore)) return 0;
  for (let k = SAMPLE_HISTORY_DAYS; k >= 1; k--) {
    const end = anchor - k * SAMPLE_DAY_SPAN_MS;
    const rows = sampleAdminDay(end, SAMPLE_DAY_DEFAULT_SEED + k);
    const { findings } = detector(rows, now);
    const window = { from: end - SAMPLE_DAY_SPAN_MS - SAMPLE_DAY_MIN_AGE_MS, to: end };
    await store.recordHistory(hunt.id, sightingsOf(findings, window, settings), now);
  }
  return SAMPLE_HISTORY_DAYS;
}
