/**
 * hunt:schedule cron expressions are checked field by field at synth (EventBridge's ranges:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions),
 * and the heartbeat must be at least the schedule's period.
 */
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEY, ContextError, parseHuntContext } from '../../infra/context.js';
import { cronFields, shortestCronGapMinutes } from '../../infra/cron.js';

const problemsOf = (ctx: Record<string, unknown>): readonly string[] => {
  try {
    parseHuntContext((k) => ctx[k], Object.keys(ctx));
  } catch (err) {
    if (err instanceof ContextError) return err.problems;
    throw err;
  }
  return [];
};
const cron = (expr: string, heartbeat = '1440') => problemsOf({ [CONTEXT_KEY.schedule]: expr, [CONTEXT_KEY.heartbeatMinutes]: heartbeat });

describe('cron schedules, field by field', () => {
  it('refuses cron(99 99 * * ? *), naming the minutes and the hours fields', () => {
    const [problem] = cron('cron(99 99 * * ? *)');
    expect(problem).toMatch(/^hunt:schedule is not a valid EventBridge cron expression: /);
    expect(problem).toMatch(/the minutes field "99" is out of range in "99" \(values 0-59/);
    expect(problem).toMatch(/the hours field "99" is out of range in "99" \(values 0-23/);
  });

  it.each([
    ['cron(0 8 32 * ? *)', /day-of-month field "32"/],
    ['cron(0 8 ? 13 MON *)', /month field "13"/],
    ['cron(0 8 ? * 8 *)', /day-of-week field "8"/],
    ['cron(0 8 ? * FUNDAY *)', /day-of-week field "FUNDAY"/],
    ['cron(0/0 8 * * ? *)', /minutes field "0\/0" has a bad step/],
    ['cron(0 8 * * ? 1969)', /year field "1969"/],
    ['cron(0 8 * * MON *)', /exactly one of day-of-month and day-of-week must be "\?"/],
  ])('refuses %s naming the field', (expr, expected) => {
    expect(cron(expr).join('\n')).toMatch(expected);
  });

  it.each(['cron(0/20 8-18 ? * MON-FRI *)', 'cron(15 7 L * ? *)', 'cron(0 9 ? * 2#1 *)', 'cron(0 0,12 1-15 JAN-JUN ? 2027-2030)', 'cron(5 * ? * 6L *)'])('accepts %s', (expr) => {
    expect(cron(expr)).toEqual([]);
  });
});

describe('heartbeat at least the schedule period', () => {
  it('measures a cron schedule\'s period as its shortest gap between runs', () => {
    expect(shortestCronGapMinutes(cronFields('cron(0 * * * ? *)'))).toBe(60);
    expect(shortestCronGapMinutes(cronFields('cron(0/20 8-18 ? * MON-FRI *)'))).toBe(20);
    expect(shortestCronGapMinutes(cronFields('cron(0 8,9 * * ? *)'))).toBe(60);
  });

  it('refuses a heartbeat shorter than an hourly cron schedule, and accepts one as long', () => {
    expect(cron('cron(0 * * * ? *)', '30')[0]).toMatch(/^hunt:heartbeatMinutes must be a whole number of minutes from 60 \(one schedule period/);
    expect(cron('cron(0 * * * ? *)', '60')).toEqual([]);
  });

  it('refuses a heartbeat shorter than a rate schedule', () => {
    expect(problemsOf({ [CONTEXT_KEY.schedule]: 'rate(2 hours)', [CONTEXT_KEY.heartbeatMinutes]: '60' })[0])
      .toMatch(/^hunt:heartbeatMinutes must be a whole number of minutes from 120 \(one schedule interval\)/);
  });
});
