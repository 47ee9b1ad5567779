/** The ops (alarm) topic as an OpsPublisher: one plain-text SNS Publish per message. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OpsPublisher } from './shadow-report.js';

export class SnsOpsPublisher implements OpsPublisher {
  constructor(private readonly client: SNSClient, private readonly topicArn: string) {}

  async publish(subject: string, message: string): Promise<void> {
    await this.client.send(new PublishCommand({ TopicArn: this.topicArn, Subject: subject, Message: message }));
  }
}
