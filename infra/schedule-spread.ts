/**
 * Spreads the hunts across the schedule: every hunt's query shares the tenant's four parallel
 * queries and its daily quota, so hunts on the same interval must not all start at the same
 * minute. A `rate()` EventBridge can express as a cron (an interval that divides the hour, or a
 * whole number of hours that divides the day) becomes that cron, offset by the hunt's place in
 * the deployment: three hunts every 15 minutes start at :00, :05 and :10 of each quarter hour.
 * A `cron()` someone wrote keeps its minute; a lone hunt keeps its `rate()` as it was.
 * Cron syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions
 */
import type { ScheduleSpec } from './schedule.js';

/** The place in its span (the interval below an hour, else the hour) where hunt `index` of `count` prefers to start. */
function preferredOffset(span: number, index: number, count: number): number {
  return Math.floor((index % count) * span / count) % span;
}

/** `spec` started `offset` minutes into its span, or `spec` itself when no cron repeats its interval evenly. */
function cronAt(spec: ScheduleSpec, offset: (span: number) => number): ScheduleSpec {
  const m = spec.intervalMinutes;
  if (m === undefined) return spec;
  if (m > 1 && m < 60 && 60 % m === 0) return { ...spec, expression: `cron(${offset(m)}/${m} * * * ? *)` };
  const hours = m / 60;
  if (Number.isInteger(hours) && 24 % hours === 0) {
    return { ...spec, expression: `cron(${offset(60)} ${hours === 1 ? '*' : `0/${hours}`} * * ? *)` };
  }
  return spec;
}

/** `spec` for the hunt at `index` of `count` deployed hunts, at its preferred place. */
export function offsetSchedule(spec: ScheduleSpec, index: number, count: number): ScheduleSpec {
  if (count < 2 || !Number.isInteger(index) || index < 0) return spec;
  return cronAt(spec, (span) => preferredOffset(span, index, count));
}

/** The minutes of the hour at which a hunt started `offset` into a span of its interval `m` starts. */
function startMinutes(m: number, offset: number): number[] {
  if (m >= 60) return [offset];
  return Array.from({ length: 60 / m }, (_, k) => offset + k * m);
}

/**
 * Each of the deployed hunts' schedules (in deployment order), spread by its place; a hunt whose
 * preferred minute another hunt (of any interval) already starts at moves to the next free one, so
 * hunts of different intervals (every 15 and every 30 minutes) do not meet either while there is room.
 */
export function spreadSchedules(specs: readonly ScheduleSpec[]): ScheduleSpec[] {
  const taken = new Set<number>();
  return specs.map((spec, i) => {
    if (specs.length < 2) return spec;
    const m = spec.intervalMinutes ?? 0;
    let chosen: number | undefined;
    const placed = cronAt(spec, (span) => {
      const first = preferredOffset(span, i, specs.length);
      for (let step = 0; step < span && chosen === undefined; step++) {
        const offset = (first + step) % span;
        if (startMinutes(m, offset).every((minute) => !taken.has(minute))) chosen = offset;
      }
      chosen ??= first;
      return chosen;
    });
    if (chosen !== undefined) for (const minute of startMinutes(m, chosen)) taken.add(minute);
    return placed;
  });
}
