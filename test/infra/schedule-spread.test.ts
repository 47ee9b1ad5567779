/**
 * Hunts on one interval start minutes apart (infra/schedule-spread.ts): the pure rule, and the
 * crons it makes checked by the same EventBridge cron validation the context uses.
 */
import { describe, expect, it } from 'vitest';
import { parseSchedule, type ScheduleSpec } from '../../infra/schedule.js';
import { offsetSchedule, spreadSchedules } from '../../infra/schedule-spread.js';

const rate = (text: string): ScheduleSpec => parseSchedule('hunt:schedule', text) as ScheduleSpec;

describe('spreading the hunts across the schedule', () => {
  it('starts three hunts every 15 minutes at :00, :05 and :10 of each quarter hour', () => {
    expect(spreadSchedules([rate('rate(15 minutes)'), rate('rate(15 minutes)'), rate('rate(15 minutes)')]).map((s) => s.expression))
      .toEqual(['cron(0/15 * * * ? *)', 'cron(5/15 * * * ? *)', 'cron(10/15 * * * ? *)']);
  });

  it('spreads hourly and multi-hour hunts over the hour, keeping each interval', () => {
    const spread = spreadSchedules([rate('rate(1 hour)'), rate('rate(2 hours)'), rate('rate(15 minutes)'), rate('rate(8 hours)')]);
    expect(spread.map((s) => s.expression)).toEqual(['cron(0 * * * ? *)', 'cron(15 0/2 * * ? *)', 'cron(7/15 * * * ? *)', 'cron(45 0/8 * * ? *)']);
    expect(spread.map((s) => s.intervalMinutes)).toEqual([60, 120, 15, 480]);
  });

  it('leaves a lone hunt, a written cron and intervals no cron repeats evenly as they are', () => {
    expect(spreadSchedules([rate('rate(15 minutes)')])[0]?.expression).toBe('rate(15 minutes)');
    const cron = rate('cron(3 7 * * ? *)');
    expect(offsetSchedule(cron, 1, 3)).toBe(cron);
    for (const text of ['rate(7 minutes)', 'rate(1 minute)', 'rate(5 hours)', 'rate(90 minutes)']) expect(offsetSchedule(rate(text), 1, 3).expression).toBe(text);
  });

  it('makes only crons EventBridge accepts, never two same-interval hunts at one minute while the interval has room', () => {
    for (const text of ['rate(2 minutes)', 'rate(5 minutes)', 'rate(10 minutes)', 'rate(20 minutes)', 'rate(30 minutes)', 'rate(1 hour)', 'rate(3 hours)', 'rate(4 hours)', 'rate(6 hours)']) {
      const spec = rate(text);
      for (const count of [2, 3, 5]) {
        const spread = spreadSchedules(Array.from({ length: count }, () => spec));
        for (const s of spread) {
          // A string is parseSchedule's problem message: the cron would be refused.
          expect(typeof parseSchedule('x', s.expression), `${text} → ${s.expression}`).toBe('object');
          expect(s.intervalMinutes).toBe(spec.intervalMinutes);
        }
        const minutes = spread.map((s) => s.expression.split(/[ (/]/)[1]);
        if ((spec.intervalMinutes ?? 0) >= count) expect(new Set(minutes).size, text).toBe(count);
      }
    }
  });
});

describe('hunts of different intervals', () => {
  it('moves a hunt off a minute a hunt of another interval already starts at', () => {
    // every hour, every 30 and every 15 minutes: the 15-minute hunt's preferred :10 is the 30-minute hunt's start
    const spread = spreadSchedules([rate('rate(1 hour)'), rate('rate(30 minutes)'), rate('rate(15 minutes)')]);
    expect(spread.map((s) => s.expression)).toEqual(['cron(0 * * * ? *)', 'cron(10/30 * * * ? *)', 'cron(11/15 * * * ? *)']);
  });

  it('keeps the preferred minute when every minute is taken (sixty 1-hour hunts and one more)', () => {
    const spread = spreadSchedules(Array.from({ length: 61 }, () => rate('rate(1 hour)')));
    expect(new Set(spread.slice(0, 60).map((s) => s.expression)).size).toBe(60);
    expect(typeof parseSchedule('x', spread[60]!.expression)).toBe('object');
  });
});
