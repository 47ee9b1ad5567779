/**
 * Parsing of the EventBridge schedule expression from context. Pure: returns the expression and
 * its interval, or a problem string naming what is accepted.
 */

/** A validated schedule: the EventBridge expression and, for `rate()`, its interval. */
export interface ScheduleSpec {
  /** The expression exactly as EventBridge takes it, e.g. `rate(15 minutes)`. */
  readonly expression: string;
  /** Minutes between runs for `rate()` expressions; undefined for `cron()`, whose spacing varies. */
  readonly intervalMinutes: number | undefined;
}

import { cronProblems } from './cron.js';

const UNIT_MINUTES = { minute: 1, hour: 60, day: 24 * 60 } as const;
type Unit = keyof typeof UNIT_MINUTES;

/** Longest accepted `rate()` interval: three intervals must fit in the one-day heartbeat alarm. */
export const MAX_RATE_MINUTES = 8 * 60;

const RATE = /^rate\((\d{1,6}) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;

/** Parses `rate(N unit)` or a six-field `cron(...)`; returns a ScheduleSpec or a problem message. */
export function parseSchedule(key: string, raw: string): ScheduleSpec | string {
  const allowed = `${key} must be "rate(<n> minutes|hours|days)" (singular unit when n is 1, at most ${MAX_RATE_MINUTES / 60} hours) or "cron(<6 fields>)" with ? in day-of-month or day-of-week (got "${raw.slice(0, 60)}")`;
  const rate = RATE.exec(raw);
  if (rate) {
    const n = Number(rate[1]);
    const word = rate[2] ?? '';
    const unit = word.replace(/s$/, '') as Unit;
    // EventBridge rejects "rate(1 minutes)" and "rate(5 minute)": the unit's number must agree.
    const agrees = n === 1 ? word === unit : word !== unit;
    const intervalMinutes = n * UNIT_MINUTES[unit];
    if (n < 1 || !agrees || intervalMinutes > MAX_RATE_MINUTES) return allowed;
    return { expression: raw, intervalMinutes };
  }
  const cron = CRON.exec(raw);
  if (cron) {
    const fields = (cron[1] ?? '').trim().split(/\s+/);
    // Field by field, so `cron(99 99 * * ? *)` is refused here, naming the field, not by EventBridge at deploy.
    const problems = cronProblems(fields);
    if (problems.length > 0) return `${key} is not a valid EventBridge cron expression: ${problems.join('; ')} (got "${raw.slice(0, 60)}")`;
    return { expression: raw, intervalMinutes: undefined };
  }
  return allowed;
}
