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

/** `spec` for the hunt at `index` of `count` deployed hunts. */
export function offsetSchedule(spec: ScheduleSpec, index: number, count: number): ScheduleSpec {
  const m = spec.intervalMinutes;
  if (m === undefined || count < 2 || !Number.isInteger(index) || index < 0) return spec;
  const at = (span: number): number => Math.floor((index % count) * span / count) % span;
  if (m > 1 && m < 60 && 60 % m === 0) return { ...spec, expression: `cron(${at(m)}/${m} * * * ? *)` };
  const hours = m / 60;
  if (Number.isInteger(hours) && 24 % hours === 0) {
    return { ...spec, expression: `cron(${at(60)} ${hours === 1 ? '*' : `0/${hours}`} * * ? *)` };
  }
  return spec;
}

/** Each of the deployed hunts' schedules (in deployment order), spread by its place. */
export function spreadSchedules(specs: readonly ScheduleSpec[]): ScheduleSpec[] {
  return specs.map((spec, i) => offsetSchedule(spec, i, specs.length));
}
