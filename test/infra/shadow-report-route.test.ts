/**
 * A shadow-mode stack with the Slack forwarder and no hunt:alarmEmail: the daily report (plain
 * text) must never reach the forwarder, which cannot parse it, nor AWS Chatbot. The routes come
 * from the synthesized template; the report is then sent by the real publisher through an SNS
 * stand-in holding exactly the subscriptions the template gives its topic.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_KEY } from '../../infra/context.js';
import { ENV } from '../../lambda/config.js';
import { SnsOpsPublisher } from '../../lambda/ops-topic.js';
import { CHATBOT_ENDPOINT, startSnsStandin, type StandinSubscription } from '../support/sns-standin.js';
import { synthHunt, type Synthesized } from './synth.js';

const PROBE = new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url).pathname;
type Resource = { Type: string; Properties: Record<string, unknown> };

/** The logical id of the topic the hunt function sends the report to (HUNT_ALARM_TOPIC_ARN). */
function reportTopicId(s: Synthesized): string {
  const fns = Object.values(s.template.findResources('AWS::Lambda::Function')) as Resource[];
  const env = fns.map((f) => (f.Properties['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}).find((v) => ENV.tableName in v) ?? {};
  return (env[ENV.alarmTopicArn] as { Ref: string }).Ref;
}

/** The subscriptions the template gives a topic: SNS subscriptions and Chatbot channels. */
function subscriptionsOf(s: Synthesized, topicId: string): StandinSubscription[] {
  const resources = Object.values((s.template.toJSON() as { Resources: Record<string, Resource> }).Resources);
  const subs = resources.filter((r) => r.Type === 'AWS::SNS::Subscription' && JSON.stringify(r.Properties['TopicArn']) === JSON.stringify({ Ref: topicId }))
    .map((r) => ({ protocol: r.Properties['Protocol'] as StandinSubscription['protocol'], endpoint: JSON.stringify(r.Properties['Endpoint']) }));
  const chatbot = resources.filter((r) => r.Type === 'AWS::Chatbot::SlackChannelConfiguration' && JSON.stringify(r.Properties['SnsTopicArns']).includes(`"${topicId}"`))
    .map(() => ({ protocol: 'https' as const, endpoint: CHATBOT_ENDPOINT }));
  return [...subs.map((x) => (x.protocol === 'email' ? { ...x, endpoint: JSON.parse(x.endpoint) as string } : x)), ...chatbot];
}

const cases: [string, Record<string, unknown>][] = [
  ['the Slack forwarder, no alarm email', { [CONTEXT_KEY.slackWebhookSecret]: 'hunt/slack-webhook', [CONTEXT_KEY.notificationEmails]: 'soc@example.com' }],
  ['AWS Chatbot and an alarm email', { [CONTEXT_KEY.slackWorkspaceId]: 'T07ABCDEF12', [CONTEXT_KEY.slackChannelId]: 'C07ABCDEF12', [CONTEXT_KEY.alarmEmail]: 'ops@example.com' }],
];

describe.each(cases)('a shadow-mode stack with %s', (_label, context) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthHunt({ [CONTEXT_KEY.mode]: 'shadow', [CONTEXT_KEY.xsiamSecret]: 'hunt/xsiam', ...context }, { entry: PROBE });
  }, 120_000);

  it('sends the daily report to a topic that only email reads, and the report arrives there without breaking anyone', async () => {
    const topicId = reportTopicId(s);
    const subscriptions = subscriptionsOf(s, topicId);
    expect(subscriptions.length).toBeGreaterThan(0);
    expect(subscriptions.every((x) => x.protocol === 'email')).toBe(true);

    const topicArn = 'arn:aws:sns:us-east-1:111122223333:shadow-report';
    const sns = await startSnsStandin({ topicArn, subscriptions });
    try {
      await new SnsOpsPublisher(sns.client(), topicArn).publish('WMIC hunt shadow report: 1 pair(s) would have been sent', 'Shadow mode: ...\n');
      expect(sns.deliveries.map((d) => d.protocol)).toEqual(subscriptions.map(() => 'email'));
      expect(sns.violations).toEqual([]);
    } finally {
      await sns.close();
    }
  });
});
