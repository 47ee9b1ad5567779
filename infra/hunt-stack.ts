import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULT_HUNT_ID } from '../lambda/modules/index.js';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { huntEnvironment, type DeployedHunt } from './hunt-settings.js';
import type { HuntContext } from './context.js';
import { spreadSchedules } from './schedule-spread.js';
import { QUERY_UNITS_ALARM_SHARE } from './query-quota.js';
import {
  BackfillStateMachine, HealthAlarms, HuntDashboard, HuntFunction, HuntRules, HuntSchedule, HuntTable, NotificationTopics, QueryBudget, ShadowReportRule,
  SlackForwarder, XsiamSecret,
} from './constructs/index.js';
import { ENV } from '../lambda/config.js';

/** Props of {@link HuntStack}. */
export interface HuntStackProps extends StackProps {
  /** Validated context (see parseHuntContext). */
  readonly settings: HuntContext;
  /**
   * Lambda entry file exporting `handler`.
   * @default - lambda/handler.ts
   */
  readonly entry?: string;
  /**
   * Every hunt of hunts/ with its own settings (infra/hunt-settings.ts).
   * @default - the flagship only, on the stack's schedule
   */
  readonly hunts?: readonly DeployedHunt[];
}

/** The whole hunt: schedule → Lambda → (XSIAM, DynamoDB, SNS), with alarms and a dashboard. */
export class HuntStack extends Stack {
  public readonly table: HuntTable;
  public readonly secret: XsiamSecret;
  public readonly topics: NotificationTopics;
  public readonly hunt: HuntFunction;
  public readonly schedule: HuntSchedule;
  public readonly alarms: HealthAlarms;
  public readonly dashboard: HuntDashboard;
  /** The schedule rules of the hunts besides the flagship. */
  public readonly huntRules: HuntRules;
  /** Query units per hunt per day (dashboard) and the alarm at a share of the tenant's quota. */
  public readonly queryBudget: QueryBudget;
  /** Posts findings to a Slack incoming webhook; only with `hunt:slackWebhookSecret`. */
  public readonly slackForwarder: SlackForwarder | undefined;
  public readonly backfill: BackfillStateMachine;
  /** Findings topics of the hunts routed `own`, by hunt ID. */
  public readonly huntTopics: ReadonlyMap<string, Topic>;
  /** The daily shadow report's rule; only while a hunt is in shadow (hunt:mode, or a hunt's own mode). */
  public readonly shadowReport: ShadowReportRule | undefined;

  constructor(scope: Construct, id: string, props: HuntStackProps) {
    super(scope, id, props);
    const { settings } = props;
    for (const { id: warningId, message } of settings.warnings) Annotations.of(this).addWarningV2(warningId, message);
    this.table = new HuntTable(this, 'State');
    this.secret = new XsiamSecret(this, 'XsiamSecret', { ref: settings.secret });
    this.topics = new NotificationTopics(this, 'Notifications', {
      notificationEmails: settings.notificationEmails,
      alarmEmail: settings.alarmEmail,
      slack: settings.slack,
    });
    // Hunts routed `own` get a topic each; every topic shares the one send budget (PACE#sns).
    const hunts = props.hunts ?? [];
    this.huntTopics = new Map(hunts.filter((h) => h.routing === 'own').map((h) => [h.id, this.topics.addHuntTopic(h.id, settings.notificationEmails)]));
    this.hunt = new HuntFunction(this, 'Hunt', {
      table: this.table.table,
      topic: this.topics.huntTopic,
      secret: this.secret.secret,
      secretId: this.secret.secretId,
      runEnvironment: settings.runEnvironment,
      reservedExecutions: settings.reservedExecutions,
      ...(props.entry === undefined ? {} : { entry: props.entry }),
    });
    this.slackForwarder = settings.slackWebhookSecret === undefined ? undefined : new SlackForwarder(this, 'SlackForwarder', {
      topic: this.topics.huntTopic,
      webhookSecret: settings.slackWebhookSecret,
      alarmTopic: this.topics.alarmTopic,
      reservedConcurrency: settings.reservedConcurrency,
    });
    const perHunt = huntEnvironment(hunts, (id) => this.huntTopics.get(id)!.topicArn);
    if (Object.keys(perHunt).length > 0) this.hunt.fn.addEnvironment(ENV.huntSettings, this.toJsonString(perHunt));
    for (const [id, topic] of this.huntTopics) {
      topic.grantPublish(this.hunt.fn);
      new CfnOutput(this, `HuntTopicArn-${id}`, { value: topic.topicArn, description: `Findings topic of ${id} (routing own)` });
    }
    // The flagship keeps the single-hunt version's rule (an event without huntId runs it).
    // Hunts on the same interval start minutes apart: they share the tenant's parallel queries.
    const spread = spreadSchedules(hunts.map((h) => h.schedule ?? settings.schedule));
    const expressionOf = (id: string): string => spread[hunts.findIndex((h) => h.id === id)]?.expression ?? settings.schedule.expression;
    this.schedule = new HuntSchedule(this, 'Schedule', { expression: expressionOf(DEFAULT_HUNT_ID), fn: this.hunt.fn });
    this.huntRules = new HuntRules(this, 'HuntRules', {
      hunts: hunts.filter((h) => h.id !== DEFAULT_HUNT_ID).map((h) => ({ id: h.id, expression: expressionOf(h.id) })),
      fn: this.hunt.fn, deadLetterQueue: this.schedule.deadLetterQueue,
    });
    // The state machine invokes the function through its own alias, so Lambda's Errors and
    // Throttles of backfill chunks (retried by the Map) are told apart from the schedule's.
    const backfillAlias = this.hunt.fn.addAlias('backfill', { description: 'Invocations by the backfill state machine' });
    this.backfill = new BackfillStateMachine(this, 'Backfill', { fn: backfillAlias, alarmTopic: this.topics.alarmTopic, maxConcurrency: settings.backfillConcurrency });
    // The daily shadow report goes to the ops side (the alarm topic), not to the analysts' findings topic.
    this.hunt.fn.addEnvironment(ENV.alarmTopicArn, this.topics.alarmTopic.topicArn);
    // A hunt's own mode wins over hunt:mode; the report runs while any hunt is in shadow.
    const stackShadow = settings.runEnvironment[ENV.mode] === 'shadow';
    const anyShadow = hunts.length === 0 ? stackShadow : hunts.some((h) => (h.mode === undefined ? stackShadow : h.mode === 'shadow'));
    if (anyShadow) {
      // The report is plain text: where Slack (the forwarder on the findings topic, or Chatbot on
      // either topic) would receive it, it gets a topic of its own with the same email readers.
      const slackWouldGetIt = settings.slack !== undefined || (settings.slackWebhookSecret !== undefined && this.topics.alarmTopic === this.topics.huntTopic);
      const reportTopic = slackWouldGetIt
        ? this.topics.addShadowReportTopic(settings.alarmEmail === undefined ? settings.notificationEmails : [settings.alarmEmail])
        : this.topics.alarmTopic;
      if (reportTopic !== this.topics.alarmTopic) {
        this.hunt.fn.addEnvironment(ENV.alarmTopicArn, reportTopic.topicArn);
        new CfnOutput(this, 'ShadowReportTopicArn', { value: reportTopic.topicArn });
      }
      // Publishing there is granted only where the report runs.
      reportTopic.grantPublish(this.hunt.fn);
      this.shadowReport = new ShadowReportRule(this, 'ShadowReport', { fn: this.hunt.fn, deadLetterQueue: this.schedule.deadLetterQueue });
    }
    this.alarms = new HealthAlarms(this, 'Health', {
      fn: this.hunt.fn,
      backfillAlias,
      failedRunsQueue: this.hunt.failureQueue,
      undeliveredTicksQueue: this.schedule.deadLetterQueue,
      topic: this.topics.alarmTopic,
      heartbeatMinutes: settings.heartbeatMinutes,
    });
    this.queryBudget = new QueryBudget(this, 'QueryBudget', { quota: settings.queryUnitQuota, share: QUERY_UNITS_ALARM_SHARE, topic: this.topics.alarmTopic });
    this.dashboard = new HuntDashboard(this, 'Dashboard', {
      fn: this.hunt.fn,
      alarms: [...this.alarms.all(), this.backfill.failedAlarm, ...(this.queryBudget.alarm ? [this.queryBudget.alarm] : [])],
      queues: [
        { label: 'failed runs', queue: this.hunt.failureQueue },
        { label: 'undelivered ticks', queue: this.schedule.deadLetterQueue },
      ],
      period: Duration.minutes(settings.schedule.intervalMinutes ?? 60),
    });
    this.dashboard.dashboard.addWidgets(this.queryBudget.widget);

    new CfnOutput(this, 'FunctionName', { value: this.hunt.fn.functionName });
    new CfnOutput(this, 'LogGroupName', { value: this.hunt.logGroup.logGroupName });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'HuntTopicArn', { value: this.topics.huntTopic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.topics.alarmTopic.topicArn });
    new CfnOutput(this, 'XsiamSecretId', { value: this.secret.secretId });
    new CfnOutput(this, 'TopicKeyArn', { value: this.topics.key.keyArn });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
    new CfnOutput(this, 'BackfillStateMachineArn', { value: this.backfill.stateMachine.stateMachineArn });
  }
}
