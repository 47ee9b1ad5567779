/**
 * What the forwarder makes of each kind of SNS message: the alarm message an operator reads, the
 * digest an analyst reads (re-created from its `default` JSON), the limit level an oversized finding
 * is posted at, and the error an operator reads in the log for a message it cannot render.
 */
import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { composeDigest, composeFinding, type SnsMessage } from '../../lambda/notify/index.js';
import { MESSAGE_TEXT_BUDGET, describeError, renderSnsMessage, textSize, UnrenderableMessageError } from '../../lambda/slack-forwarder/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { checkPayload } from './webhook-stand-in.js';

/** The `default` JSON of a published message, as the forwarder receives it. */
const defaultJson = (m: SnsMessage): Record<string, unknown> => JSON.parse((JSON.parse(m.message) as { default: string }).default) as Record<string, unknown>;

/** Every text of a rendered message, one per line. */
const allText = (message: ReturnType<typeof renderSnsMessage>['message']): string =>
  [message.text, ...message.blocks.flatMap((b) => (b.type === 'header' || b.type === 'section' ? [b.text.text] : b.type === 'context' ? b.elements.map((e) => e.text) : []))].join('\n');

/**
 * A CloudWatch alarm state change as CloudWatch publishes it to SNS, modelled on AWS's own test
 * payload (github.com/aws/aws-lambda-go events/testdata/cloudwatch-alarm-sns-payload-single-metric.json).
 */
const alarm = (overrides: Record<string, unknown> = {}): string => JSON.stringify({
  AlarmName: 'wmic-hunt-errors',
  AlarmDescription: 'The hunt Lambda failed: see its log group.',
  AWSAccountId: '111122223333',
  NewStateValue: 'ALARM',
  NewStateReason: 'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (14/03/26 10:25:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
  StateChangeTime: '2026-03-14T10:30:00.123+0000',
  Region: 'EU (Ireland)',
  AlarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:wmic-hunt-errors',
  OldStateValue: 'OK',
  Trigger: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Statistic: 'SUM', Period: 300, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1.0 },
  ...overrides,
});

/** The error renderSnsMessage throws for `message`. */
const failure = (message: string): UnrenderableMessageError => {
  try {
    renderSnsMessage('msg-1', message);
  } catch (err) {
    if (err instanceof UnrenderableMessageError) return err;
    throw err;
  }
  throw new Error('rendered');
};

describe('a CloudWatch alarm', () => {
  it('posts the state, name, reason, meaning, time and region, with the summary as the notification text', () => {
    const r = renderSnsMessage('msg-1', alarm());
    expect(r.kind).toBe('alarm');
    expect(r.ref).toBe('wmic-hunt-errors');
    expect(r.message).toEqual({
      text: 'ALARM: wmic-hunt-errors',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':rotating_light: ALARM: wmic-hunt-errors', emoji: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            verbatim: true,
            text: [
              '*Alarm:* `wmic-hunt-errors`',
              '*Why:* Threshold Crossed: 1 out of the last 1 datapoints [1.0 (14/03/26 10:25:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -&gt; ALARM transition).',
              '*What it means:* The hunt Lambda failed: see its log group.',
              '*When:* 2026-03-14T10:30:00.123+0000   *Region:* EU (Ireland)',
            ].join('\n'),
          },
        },
      ],
    });
  });

  it('marks a recovery with a check mark and any other state with a siren', () => {
    const title = (state: string): string => {
      const b = renderSnsMessage('msg-1', alarm({ NewStateValue: state, OldStateValue: 'ALARM' })).message.blocks[0];
      return b?.type === 'header' ? b.text.text : '';
    };
    expect(title('OK')).toBe(':white_check_mark: OK: wmic-hunt-errors');
    expect(title('INSUFFICIENT_DATA')).toBe(':rotating_light: INSUFFICIENT_DATA: wmic-hunt-errors');
  });

  it('keeps a backtick in the alarm name from closing its code span, and says when the alarm has no description', () => {
    // CloudWatch sends "AlarmDescription": null for an alarm without one.
    const text = allText(renderSnsMessage('msg-1', alarm({ AlarmName: 'hunt `errors`', AlarmDescription: null })).message);
    expect(text).toContain("*Alarm:* `hunt 'errors'`");
    expect(text).toContain('*What it means:* (no description)');
  });

  it('needs both the alarm name and the new state to be taken for an alarm', () => {
    expect(failure(JSON.stringify({ AlarmName: 'wmic-hunt-errors' })).message).toMatch(/no schema: expected .* or a CloudWatch alarm$/);
    expect(failure(JSON.stringify({ NewStateValue: 'ALARM' })).message).toMatch(/no schema: expected .* or a CloudWatch alarm$/);
  });
});

describe('a storm digest re-created from its default JSON', () => {
  const findings = Array.from({ length: 30 }, (_, i) => makeFinding({ targetHost: `srv-${String(i).padStart(2, '0')}`, riskScore: 60 + i }));
  /** The digest's JSON with only the three highest pairs in `topPairs` (as at a tight limit level). */
  const digest = (overrides: Record<string, unknown> = {}): string => {
    const doc = defaultJson(composeDigest(findings, makeContext(), 25));
    return JSON.stringify({ ...doc, topPairs: (doc.topPairs as unknown[]).slice(0, 3), ...overrides });
  };

  it('quotes the pair count of the payload, lists only the pairs it carries and counts the rest', () => {
    const text = allText(renderSnsMessage('msg-1', digest()).message);
    expect(text).toContain('This run found 30 new host pairs, more than the storm limit of 25');
    expect(text).toContain('*Top 3 by risk:*');
    expect(text).toContain('`srv-27`');
    expect(text).toContain('… and 27 more (see the email or the JSON payload).');
  });

  it('quotes a storm limit of one less than the pair count when the payload has none', () => {
    expect(allText(renderSnsMessage('msg-1', digest({ stormLimit: undefined })).message)).toContain('more than the storm limit of 29:');
  });

  it('skips top pairs that are not objects', () => {
    const doc = JSON.parse(digest()) as { topPairs: unknown[] };
    const text = allText(renderSnsMessage('msg-1', JSON.stringify({ ...doc, topPairs: [null, ['srv-x'], ...doc.topPairs] })).message);
    expect(text).toContain('*Top 3 by risk:*');
    expect(text).toContain('… and 27 more');
  });
});

describe('an oversized finding', () => {
  it('is posted at the first limit level whose message Slack accepts, its commands cut shorter', () => {
    // A hunt card with a long playbook (24 next steps of 400 characters and more) and two 5,000-character commands:
    // at the most generous level the message holds over 13,000 characters (Slack refuses it), at the tightest under 12,000.
    const steps = Array.from({ length: 24 }, (_, i) => `Step ${i + 1}: ${'review the host and its sessions; '.repeat(13).slice(0, 400)}`);
    const ctx = makeContext({ hunt: { ...WMIC_REMOTE_EXEC, responseActions: steps } });
    const command = `powershell.exe -enc ${'A'.repeat(5_000)}`;
    const r = renderSnsMessage('msg-1', JSON.stringify(defaultJson(composeFinding(makeFinding({ remoteCommand: command, commandLine: `wmic /node:srv-file-01 process call create "${command}"` }), ctx))));
    expect(textSize(r.message)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
    expect(checkPayload('application/json', JSON.stringify(r.message))).toBeUndefined();
    expect(allText(r.message)).toContain('Step 24:');
  });
});

describe('a message it cannot render: the error the operator reads in the log', () => {
  it('says the message is not JSON, and logs the parser\'s error as the cause', () => {
    const err = failure('not json at all');
    expect(err.message).toBe('SNS message msg-1 cannot be rendered for Slack: the message is not JSON');
    expect(describeError(err).cause).toEqual(expect.objectContaining({ name: 'SyntaxError' }));
  });

  it('says the message is not a JSON object for null, an array, a string or a number', () => {
    for (const m of ['null', '[{"schema":"wmic-remote-exec.finding/1"}]', '"ALARM"', '42']) {
      expect(failure(m).message).toBe('SNS message msg-1 cannot be rendered for Slack: the message is not a JSON object');
    }
  });

  it('names the schema it got and the ones it takes', () => {
    expect(failure(JSON.stringify({ schema: 'wmic-remote-exec.finding/2' })).message).toBe(
      'SNS message msg-1 cannot be rendered for Slack: schema "wmic-remote-exec.finding/2": expected wmic-remote-exec.finding/1, wmic-remote-exec.digest/1 or a CloudWatch alarm',
    );
    expect(failure(JSON.stringify({ schema: 7 })).message).toBe(
      'SNS message msg-1 cannot be rendered for Slack: no schema: expected wmic-remote-exec.finding/1, wmic-remote-exec.digest/1 or a CloudWatch alarm',
    );
  });
});
