import { ArnFormat, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Props of {@link NotificationTopics}. */
export interface NotificationTopicsProps {
  /** Addresses subscribed to the hunt topic (each must confirm by email). */
  readonly notificationEmails: readonly string[];
  /**
   * When set, alarms go to a separate ops topic with this subscriber.
   * @default - alarms go to the hunt topic
   */
  readonly alarmEmail?: string | undefined;
  /**
   * Slack channel that AWS Chatbot posts both topics to.
   * @default - no Slack
   */
  readonly slack?: { readonly workspaceId: string; readonly channelId: string } | undefined;
}

/**
 * Where findings and alarms go: KMS-encrypted, TLS-only SNS topics, their email subscriptions
 * and an optional AWS Chatbot Slack channel. The customer-managed key's policy lets CloudWatch
 * alarms use it, which CDK does not add by itself.
 */
export class NotificationTopics extends Construct {
  /** Customer-managed key (rotation on) encrypting both topics. */
  public readonly key: kms.Key;
  /** Findings go here (the Lambda publishes). */
  public readonly huntTopic: sns.Topic;
  /** Alarms go here: the ops topic when alarmEmail is set, else the hunt topic. */
  public readonly alarmTopic: sns.Topic;
  public readonly slackChannel: chatbot.SlackChannelConfiguration | undefined;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the WMIC remote-exec hunt SNS topics',
      enableKeyRotation: true,
      // Kept when the stack is deleted (messages already sent stay readable where they were
      // stored), but deleted when the stack's first create fails: nothing was encrypted with it.
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // SNS SSE: a service that publishes to an encrypted topic (CloudWatch alarms) needs the
    // data-key actions in the key policy; an AWS-managed key's policy cannot be changed.
    // Subscribers (email, Chatbot) need no grant: SNS decrypts before it delivers.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAlarmsToUseTheTopicKey',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'], // in a key policy, "*" means this key
    }));

    this.huntTopic = this.topic('HuntTopic', 'WMIC remote-exec hunt findings');
    for (const email of props.notificationEmails) this.huntTopic.addSubscription(new subs.EmailSubscription(email));

    if (props.alarmEmail !== undefined) {
      this.alarmTopic = this.topic('OpsTopic', 'WMIC remote-exec hunt health alarms');
      this.alarmTopic.addSubscription(new subs.EmailSubscription(props.alarmEmail));
    } else {
      this.alarmTopic = this.huntTopic;
    }
    this.allowAlarmsToPublish(this.alarmTopic);

    if (props.slack !== undefined) {
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'SlackChannel', {
        // Configuration names are unique per account, across Regions: the Region in the name
        // lets the same stack deploy to a second Region (stack names are unique per Region).
        slackChannelConfigurationName: `${Stack.of(this).stackName.slice(0, 100)}-${Aws.REGION}`,
        slackWorkspaceId: props.slack.workspaceId,
        slackChannelId: props.slack.channelId,
        notificationTopics: [...new Set([this.huntTopic, this.alarmTopic])],
        // Chatbot's default guardrail is AdministratorAccess; channel members get read-only at most.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
        loggingLevel: chatbot.LoggingLevel.ERROR,
      });
    }
  }

  /**
   * A topic for the daily shadow report only, with these email subscribers: the report is plain
   * text, which the Slack forwarder cannot parse (it would land in its dead-letter queue) and AWS
   * Chatbot drops, so it never goes to a topic either of them reads.
   */
  public addShadowReportTopic(emails: readonly string[]): sns.Topic {
    const topic = this.topic('ShadowReportTopic', 'WMIC remote-exec hunt daily shadow report');
    for (const email of emails) topic.addSubscription(new subs.EmailSubscription(email));
    return topic;
  }

  /**
   * The findings topic of one hunt routed `own` (hunt:hunts.<id>.routing), with these email
   * subscribers; the same key and TLS-only policy as the shared findings topic.
   */
  public addHuntTopic(huntId: string, emails: readonly string[]): sns.Topic {
    const topic = this.topic(`HuntTopic-${huntId}`, `${huntId} findings`.slice(0, 100));
    for (const email of emails) topic.addSubscription(new subs.EmailSubscription(email));
    return topic;
  }

  private topic(id: string, displayName: string): sns.Topic {
    return new sns.Topic(this, id, { displayName, masterKey: this.key, enforceSSL: true });
  }

  /** Our topic policy replaces SNS's default one, so CloudWatch needs its own publish grant. */
  private allowAlarmsToPublish(topic: sns.Topic): void {
    const stack = Stack.of(this);
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowThisAccountsAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
  }
}
