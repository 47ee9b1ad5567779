import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * An encrypted, TLS-only SQS queue that holds what could not be delivered or processed,
 * for 14 days (the SQS maximum) so ops have time to read it. Its depth is alarmed elsewhere.
 */
export function failureQueue(scope: Construct, id: string, holds: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    // SSE-SQS rather than a customer key: EventBridge and Lambda can write to it without key-policy grants.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter store for ${holds}; cdk-nag only recognises queues named in another queue's redrive policy as DLQs.`,
  });
  return queue;
}
