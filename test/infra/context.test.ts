import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, ENV } from '../../lambda/config.js';
import { CONTEXT_KEY, ContextError, parseHuntContext, type HuntContext } from '../../infra/context.js';

const reader = (values: Record<string, unknown>) => (key: string): unknown => values[key];
const parse = (values: Record<string, unknown>): HuntContext => parseHuntContext(reader(values));
const keyProblemsOf = (presentKeys: string[]): readonly string[] => {
  try {
    parseHuntContext(reader({}), presentKeys);
  } catch (err) {
    expect(err).toBeInstanceOf(ContextError);
    return (err as ContextError).problems;
  }
  throw new Error('expected a ContextError');
};
const problemsOf = (values: Record<string, unknown>): readonly string[] => {
  try {
    parse(values);
  } catch (err) {
    expect(err).toBeInstanceOf(ContextError);
    return (err as ContextError).problems;
  }
  throw new Error('expected a ContextError');
};

describe('parseHuntContext', () => {
  it('applies safe defaults when no context is given', () => {
    const ctx = parse({});
    expect(ctx.schedule).toEqual({ expression: 'rate(15 minutes)', intervalMinutes: 15 });
    expect(ctx.heartbeatMinutes).toBe(45);
    expect(ctx.secret).toEqual({ kind: 'create' });
    expect(ctx.notificationEmails).toEqual([]);
    expect(ctx.slack).toBeUndefined();
    expect(ctx.alarmEmail).toBeUndefined();
    expect(ctx.reservedConcurrency).toBe(false);
  });

  it('sets every run-setting variable of lambda/config.ts, defaults included', () => {
    const env = parse({}).runEnvironment;
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      expect(env[ENV[key]]).toBe(String(DEFAULTS[key]));
    }
  });

  it('takes overrides as -c strings or as cdk.json numbers and booleans', () => {
    const ctx = parse({
      [CONTEXT_KEY.schedule]: 'rate(1 hour)',
      [CONTEXT_KEY.overlapMinutes]: '20',
      [CONTEXT_KEY.stormLimit]: 50,
      [CONTEXT_KEY.minSeverity]: 'critical',
      [CONTEXT_KEY.queryVariant]: 'broadened',
      [CONTEXT_KEY.reservedConcurrency]: true,
      [CONTEXT_KEY.notificationEmails]: ' soc@example.com, ir@example.com ,',
      [CONTEXT_KEY.alarmEmail]: 'ops@example.com',
      [CONTEXT_KEY.slackWorkspaceId]: 'T07ABCDEF12',
      [CONTEXT_KEY.slackChannelId]: 'C07ABCDEF12',
      [CONTEXT_KEY.xsiamSecret]: 'hunt/xsiam',
    });
    expect(ctx.schedule.intervalMinutes).toBe(60);
    expect(ctx.heartbeatMinutes).toBe(180);
    expect(ctx.runEnvironment[ENV.overlapMinutes]).toBe('20');
    expect(ctx.runEnvironment[ENV.stormLimit]).toBe('50');
    expect(ctx.runEnvironment[ENV.minSeverity]).toBe('critical');
    expect(ctx.runEnvironment[ENV.queryVariant]).toBe('broadened');
    expect(ctx.reservedConcurrency).toBe(true);
    expect(ctx.reservedExecutions).toBe(4);
    expect(ctx.notificationEmails).toEqual(['soc@example.com', 'ir@example.com']);
    expect(ctx.alarmEmail).toBe('ops@example.com');
    expect(ctx.slack).toEqual({ workspaceId: 'T07ABCDEF12', channelId: 'C07ABCDEF12' });
    expect(ctx.secret).toEqual({ kind: 'name', name: 'hunt/xsiam' });
  });

  it('reserves concurrency only when asked with true or "true"', () => {
    expect(parse({ [CONTEXT_KEY.reservedConcurrency]: 'false' }).reservedConcurrency).toBe(false);
    expect(parse({ [CONTEXT_KEY.reservedConcurrency]: 'true' }).reservedConcurrency).toBe(true);
  });

  it('reads a secret ARN the way Secrets Manager does: a hyphen and six characters at the end make it complete', () => {
    const complete = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hunt/xsiam-AbCdEf';
    expect(parse({ [CONTEXT_KEY.xsiamSecret]: complete }).secret).toEqual({ kind: 'arn', arn: complete, complete: true });
    const partial = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hunt/xsiam';
    expect(parse({ [CONTEXT_KEY.xsiamSecret]: partial }).secret).toEqual({ kind: 'arn', arn: partial, complete: false });
  });

  it('stops on a partial ARN whose name ends in a hyphen and six characters Secrets Manager could not have generated', () => {
    // Secrets Manager would read "-api_v2" as the random suffix of a complete ARN and not find the secret.
    expect(problemsOf({ [CONTEXT_KEY.xsiamSecret]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hunt/xsiam-api_v2' }))
      .toEqual([expect.stringMatching(/^hunt:xsiamSecret is a partial ARN whose secret name ends in a hyphen and six characters \("-api_v2"\).*complete ARN .* or the secret name$/)]);
  });

  it('names a misspelt hunt: key and the nearest valid one, and a key given without its prefix', () => {
    const present = ['hunt:notificationEmail', 'hunt:shedule', 'stormLimit', '@aws-cdk/core:newStyleStackSynthesis', 'aws:cdk:enable-path-metadata', CONTEXT_KEY.alarmEmail];
    expect(keyProblemsOf(present)).toEqual([
      'hunt:notificationEmail is not a context key of this stack (did you mean hunt:notificationEmails?)',
      'hunt:shedule is not a context key of this stack (did you mean hunt:schedule?)',
      'stormLimit is not a context key of this stack (did you mean hunt:stormLimit?)',
    ]);
  });

  it('names a repeated notification email (any letter case) once per repeat', () => {
    expect(problemsOf({ [CONTEXT_KEY.notificationEmails]: 'soc@example.com, ir@example.com, SOC@Example.com' }))
      .toEqual(['hunt:notificationEmails lists "SOC@Example.com" more than once (give each address once)']);
  });

  it('warns when nobody is subscribed to findings, and not when email or Slack is', () => {
    expect(parse({}).warnings.map((w) => w.id)).toEqual(['hunt:noFindingSubscribers']);
    expect(parse({ [CONTEXT_KEY.notificationEmails]: 'soc@example.com' }).warnings).toEqual([]);
    expect(parse({ [CONTEXT_KEY.slackWorkspaceId]: 'T07ABCDEF12', [CONTEXT_KEY.slackChannelId]: 'C07ABCDEF12' }).warnings).toEqual([]);
  });

  it('accepts a cron schedule with an explicit heartbeat', () => {
    const ctx = parse({ [CONTEXT_KEY.schedule]: 'cron(0/20 8-18 ? * MON-FRI *)', [CONTEXT_KEY.heartbeatMinutes]: '90' });
    expect(ctx.schedule).toEqual({ expression: 'cron(0/20 8-18 ? * MON-FRI *)', intervalMinutes: undefined });
    expect(ctx.heartbeatMinutes).toBe(90);
  });

  it('takes the target-side confirmation settings, and names a bad one', () => {
    const ctx = parse({ [CONTEXT_KEY.confirmTargets]: false, [CONTEXT_KEY.confirmHorizonMinutes]: 90 });
    expect(ctx.runEnvironment[ENV.confirmTargets]).toBe('false');
    expect(ctx.runEnvironment[ENV.confirmHorizonMinutes]).toBe('90');
    expect(problemsOf({ [CONTEXT_KEY.confirmTargets]: 'yes', [CONTEXT_KEY.confirmHorizonMinutes]: 0 })).toEqual([
      'hunt:confirmTargets must be one of true, false (got "yes")',
      'hunt:confirmHorizonMinutes must be a whole number from 1 to 10080 (got "0")',
    ]);
  });

  it('reports every bad value at once, naming the key and what it accepts', () => {
    const problems = problemsOf({
      [CONTEXT_KEY.schedule]: 'every 5 minutes',
      [CONTEXT_KEY.overlapMinutes]: 'ten',
      [CONTEXT_KEY.stormLimit]: 0,
      [CONTEXT_KEY.minSeverity]: 'urgent',
      [CONTEXT_KEY.queryVariant]: 'wide',
      [CONTEXT_KEY.reservedConcurrency]: 'yes',
      [CONTEXT_KEY.notificationEmails]: 'soc@example.com,not-an-email',
      [CONTEXT_KEY.alarmEmail]: 'ops',
      [CONTEXT_KEY.slackWorkspaceId]: 'T07ABCDEF12',
      [CONTEXT_KEY.xsiamSecret]: 'bad name with spaces',
    });
    expect(problems).toHaveLength(10);
    const expected = [
      /^hunt:schedule must be "rate\(<n> minutes\|hours\|days\)".*cron.*\(got "every 5 minutes"\)/,
      /^hunt:overlapMinutes must be a whole number from 0 to 1440 or auto \(got "ten"\)/,
      /^hunt:stormLimit must be a whole number from 1 to 1000 \(got "0"\)/,
      /^hunt:minSeverity must be one of low, medium, high, critical \(got "urgent"\)/,
      /^hunt:queryVariant must be one of seed, broadened \(got "wide"\)/,
      /^hunt:reservedConcurrency must be true, false or a whole number from 1 to 1000 \(got "yes"\)/,
      /^hunt:notificationEmails must be a comma-separated list of email addresses \(bad entry "not-an-email"\)/,
      /^hunt:alarmEmail must be one email address \(got "ops"\)/,
      /^hunt:slackWorkspaceId and hunt:slackChannelId must be set together/,
      /^hunt:xsiamSecret must be a Secrets Manager secret name .* or secret ARN/,
    ];
    for (const pattern of expected) expect(problems.some((p) => pattern.test(p)), String(pattern)).toBe(true);
  });

  it('puts every problem in the error message', () => {
    expect(() => parse({ [CONTEXT_KEY.maxLookbackHours]: -1, [CONTEXT_KEY.dedupeWindowHours]: '1.5' }))
      .toThrow(/Invalid CDK context:\n {2}- hunt:maxLookbackHours must be .*\n {2}- hunt:dedupeWindowHours must be/);
  });

  it.each([
    ['rate(1 minutes)', 'plural unit for 1'],
    ['rate(5 minute)', 'singular unit for 5'],
    ['rate(0 minutes)', 'zero interval'],
    ['rate(9 hours)', 'longer than 8 hours'],
    ['rate(30 seconds)', 'unsupported unit'],
    ['cron(0 * * * *)', 'five fields'],
    ['cron(0 * * * MON *)', 'no ? in a day field'],
  ])('rejects the schedule %s (%s)', (schedule) => {
    expect(problemsOf({ [CONTEXT_KEY.schedule]: schedule })).toEqual([expect.stringMatching(/^hunt:schedule (must be|is not a valid EventBridge cron expression)/)]);
  });

  it('requires a heartbeat for cron schedules', () => {
    expect(problemsOf({ [CONTEXT_KEY.schedule]: 'cron(0 8 ? * MON-FRI *)' }))
      .toEqual([expect.stringMatching(/^hunt:heartbeatMinutes is required when hunt:schedule is a cron expression/)]);
  });

  it('rejects a heartbeat shorter than one interval or longer than a day', () => {
    expect(problemsOf({ [CONTEXT_KEY.heartbeatMinutes]: 10 }))
      .toEqual([expect.stringMatching(/^hunt:heartbeatMinutes must be a whole number of minutes from 15 .* to 1440 \(got "10"\)/)]);
    expect(problemsOf({ [CONTEXT_KEY.heartbeatMinutes]: '1441' })).toHaveLength(1);
  });

  it('rejects Slack ids that are not ids, and non-scalar values', () => {
    const problems = problemsOf({
      [CONTEXT_KEY.slackWorkspaceId]: 'my-workspace',
      [CONTEXT_KEY.slackChannelId]: '#security',
      [CONTEXT_KEY.stormLimit]: { n: 3 },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^hunt:stormLimit must be a string, number or boolean \(got object\)/),
      expect.stringMatching(/^hunt:slackWorkspaceId must be the Slack workspace ID/),
      expect.stringMatching(/^hunt:slackChannelId must be the Slack channel ID/),
    ]);
  });

  it('rejects a malformed secret ARN', () => {
    expect(problemsOf({ [CONTEXT_KEY.xsiamSecret]: 'arn:aws:s3:::bucket' }))
      .toEqual([expect.stringMatching(/^hunt:xsiamSecret must be/)]);
  });
});

describe('cdk.json', () => {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    app: string;
    context: Record<string, unknown>;
  };

  it('runs the app with tsx', () => {
    // The cards' checks (local engine, test rows) run first: infra/ cannot import local/.
    expect(cdkJson.app).toBe('npx tsx local/hunts/synth-check.ts && npx tsx infra/app.ts');
  });

  it('lists every context key, with run-setting defaults equal to lambda/config.ts DEFAULTS', () => {
    expect(Object.keys(cdkJson.context).filter((k) => k.startsWith('hunt:')).sort())
      .toEqual(Object.values(CONTEXT_KEY).sort());
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      expect(cdkJson.context[CONTEXT_KEY[key]], key).toBe(DEFAULTS[key]);
    }
  });

  it('parses to the same configuration as no context at all', () => {
    expect(parseHuntContext(reader(cdkJson.context))).toEqual(parse({}));
  });
});
