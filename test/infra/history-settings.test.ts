/** The history knobs: CDK context keys and Lambda variables, validated the same way, defaults in cdk.json. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, ENV, defaultRunSettings, loadConfig } from '../../lambda/config.js';
import { CONTEXT_KEY, ContextError, parseHuntContext } from '../../infra/context.js';

const problemsOf = (values: Record<string, unknown>): readonly string[] => {
  try {
    parseHuntContext((k) => values[k]);
  } catch (err) {
    if (err instanceof ContextError) return err.problems;
    throw err;
  }
  return [];
};
const base = { [ENV.tableName]: 't', [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:t', [ENV.secretId]: 's' };

describe('history settings', () => {
  it('default to a 30-day baseline, routine from 5 days, reasons from 7 covered days', () => {
    expect(defaultRunSettings()).toMatchObject({ historyBaselineDays: 30, historyRoutineMinDays: 5, historyMinCoverageDays: 7 });
    expect(DEFAULTS).toMatchObject({ historyBaselineDays: 30, historyRoutineMinDays: 5, historyMinCoverageDays: 7 });
    expect(CONTEXT_KEY.historyBaselineDays).toBe('hunt:historyBaselineDays');
  });

  it('are read from the context into the Lambda environment and back', () => {
    const ctx = parseHuntContext((k) => ({ [CONTEXT_KEY.historyBaselineDays]: 60, [CONTEXT_KEY.historyRoutineMinDays]: '10', [CONTEXT_KEY.historyMinCoverageDays]: 0 })[k]);
    expect(ctx.runEnvironment[ENV.historyBaselineDays]).toBe('60');
    expect(loadConfig({ ...base, ...ctx.runEnvironment }).settings).toMatchObject({ historyBaselineDays: 60, historyRoutineMinDays: 10, historyMinCoverageDays: 0 });
  });

  it('name the key when a value is out of range or larger than the baseline', () => {
    const problems = problemsOf({ [CONTEXT_KEY.historyBaselineDays]: 10, [CONTEXT_KEY.historyRoutineMinDays]: 11, [CONTEXT_KEY.historyMinCoverageDays]: 'a week' });
    expect(problems).toContainEqual(expect.stringMatching(/^hunt:historyRoutineMinDays must be a whole number from 1 to 10 \(got "11"\)/));
    expect(problems).toContainEqual(expect.stringMatching(/^hunt:historyMinCoverageDays must be a whole number from 0 to 10 \(got "a week"\)/));
    expect(() => loadConfig({ ...base, [ENV.historyBaselineDays]: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [ENV.historyBaselineDays]: '0' })).toThrow(/HUNT_HISTORY_BASELINE_DAYS must be a whole number from 1 to 365/);
  });
});
