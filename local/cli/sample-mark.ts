/**
 * `--sample --sns-topic`: every message of the bundled fictional sample day is marked SAMPLE
 * before it leaves, so no reader takes it for an incident. The mark is added on the SNS client
 * (an SDK middleware at the initialize step), after the product rendered and sized the message:
 * the subject, the email body, the Chatbot title and a `sample: true` field in the `default` JSON.
 * SNS subjects are at most 100 ASCII characters
 * (https://docs.aws.amazon.com/sns/latest/api/API_PublishBatchRequestEntry.html); the mark adds
 * under 200 bytes, inside the margin the renderer keeps under the 256 KiB message limit.
 */
import type { PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';

export const SAMPLE_SUBJECT_MARK = '[SAMPLE]';
export const SAMPLE_BODY_MARK = 'SAMPLE: fictional events from the bundled sample day of `npm run hunt`, not an incident.';
const SUBJECT_MAX = 99;

function markJson(text: string | undefined, edit: (doc: Record<string, unknown>) => void): string | undefined {
  if (text === undefined) return text;
  try {
    const doc = JSON.parse(text) as unknown;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return text;
    edit(doc as Record<string, unknown>);
    return JSON.stringify(doc);
  } catch {
    return text;
  }
}

/** One PublishBatch entry's subject and `MessageStructure: json` body, marked SAMPLE. */
export function markSampleEntry<E extends { Subject?: string | undefined; Message?: string | undefined }>(entry: E): E {
  const subject = `${SAMPLE_SUBJECT_MARK} ${entry.Subject ?? ''}`.trimEnd();
  const message = markJson(entry.Message, (structure) => {
    if (typeof structure['email'] === 'string') structure['email'] = `${SAMPLE_BODY_MARK}\n\n${structure['email']}`;
    const https = markJson(typeof structure['https'] === 'string' ? structure['https'] : undefined, (chatbot) => {
      const content = chatbot['content'] as Record<string, unknown> | undefined;
      if (content && typeof content['title'] === 'string') content['title'] = `${SAMPLE_SUBJECT_MARK} ${content['title']}`;
    });
    if (https !== undefined) structure['https'] = https;
    const dflt = markJson(typeof structure['default'] === 'string' ? structure['default'] : undefined, (doc) => {
      doc['sample'] = true;
      doc['sampleNote'] = SAMPLE_BODY_MARK;
    });
    if (dflt !== undefined) structure['default'] = dflt;
  });
  return { ...entry, Subject: subject.length <= SUBJECT_MAX ? subject : `${subject.slice(0, SUBJECT_MAX - 3)}...`, Message: message };
}

/** Adds the SAMPLE mark to every PublishBatch this client sends. */
export function markSampleMessages(client: SNSClient): SNSClient {
  client.middlewareStack.add((next) => async (args) => {
    const input = args.input as Partial<PublishBatchCommandInput>;
    const entries = input.PublishBatchRequestEntries;
    if (!Array.isArray(entries)) return next(args);
    return next({ ...args, input: { ...input, PublishBatchRequestEntries: entries.map(markSampleEntry) } });
  }, { step: 'initialize', name: 'markSampleDay' });
  return client;
}
