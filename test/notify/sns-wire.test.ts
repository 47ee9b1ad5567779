/**
 * Sends through the real SNSClient (awsQuery protocol: form-encoded POST, XML reply) to a loopback
 * endpoint, and asserts the request as AWS would receive it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:wmic-hunt';

interface WireEntry {
  id: string;
  message: string;
  subject: string;
  messageStructure: string;
  attributes: Record<string, { dataType: string; stringValue: string }>;
}

interface Captured {
  headers: IncomingMessage['headers'];
  params: URLSearchParams;
  entries: WireEntry[];
}

/** Turns `PublishBatchRequestEntries.member.N.*` form fields back into entries. */
function entriesOf(params: URLSearchParams): WireEntry[] {
  const entries: WireEntry[] = [];
  for (let n = 1; params.has(`PublishBatchRequestEntries.member.${n}.Id`); n += 1) {
    const p = `PublishBatchRequestEntries.member.${n}.`;
    const attributes: WireEntry['attributes'] = {};
    for (let a = 1; params.has(`${p}MessageAttributes.entry.${a}.Name`); a += 1) {
      const q = `${p}MessageAttributes.entry.${a}.`;
      attributes[params.get(`${q}Name`) ?? ''] = { dataType: params.get(`${q}Value.DataType`) ?? '', stringValue: params.get(`${q}Value.StringValue`) ?? '' };
    }
    entries.push({
      id: params.get(`${p}Id`) ?? '',
      message: params.get(`${p}Message`) ?? '',
      subject: params.get(`${p}Subject`) ?? '',
      messageStructure: params.get(`${p}MessageStructure`) ?? '',
      attributes,
    });
  }
  return entries;
}

type Reply = (entries: WireEntry[]) => { status: number; body: string };

const ok: Reply = (entries) => ({
  status: 200,
  body: `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful>${entries
    .map((e) => `<member><Id>${e.id}</Id><MessageId>00000000-0000-4000-8000-00000000000${e.id.slice(1)}</MessageId></member>`)
    .join('')}</Successful><Failed/></PublishBatchResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PublishBatchResponse>`,
});

let server: Server;
let endpoint = '';
let reply: Reply = ok;
const captured: Captured[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const entries = entriesOf(params);
      captured.push({ headers: req.headers, params, entries });
      const { status, body } = reply(entries);
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  captured.length = 0;
  reply = ok;
});

function client(): SNSClient {
  return new SNSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDLOOPBACKTEST', secretAccessKey: 'loopback-secret' },
    maxAttempts: 1,
  });
}

describe('SnsNotifier on the wire', () => {
  it('sends a PublishBatch request AWS would accept: json structure, subject, three keys, no attributes', async () => {
    const f = makeFinding({ severity: 'high', riskScore: 90, remoteCommand: 'calc.exe\r\nBcc: x@y.example <!channel> \u202Eevil' });
    const notifier = new SnsNotifier({ client: client(), topicArn: TOPIC, stormLimit: 50 });

    const outcome = await notifier.publish([f], makeContext());

    expect(outcome).toEqual({ delivered: [f.fingerprint], failed: [], messages: 1, digest: false });
    expect(captured).toHaveLength(1);
    const [request] = captured;
    expect(request?.params.get('Action')).toBe('PublishBatch');
    expect(request?.params.get('Version')).toBe('2010-03-31');
    expect(request?.params.get('TopicArn')).toBe(TOPIC);
    expect(request?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(request?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOOPBACKTEST\/\d{8}\/us-east-1\/sns\/aws4_request/);

    const [entry] = request?.entries ?? [];
    expect(entry?.messageStructure).toBe('json');
    expect(entry?.subject).toBe('[HIGH] WMIC remote exec "WKS-FIN-042" -> "srv-file-01" (risk 90)');
    const message = JSON.parse(entry?.message ?? '') as Record<string, string>;
    expect(Object.keys(message).sort()).toEqual(['default', 'email', 'https']);
    expect(message['email']).toContain('calc.exe[U+000D][U+000A]Bcc: x@y.example <!channel> [U+202E]evil');
    const chatbot = JSON.parse(message['https'] ?? '') as { version: string; source: string; content: { description: string } };
    expect(chatbot).toMatchObject({ version: '1.0', source: 'custom' });
    expect(chatbot.content.description).toContain('&lt;!channel&gt;');
    expect(JSON.parse(message['default'] ?? '')).toMatchObject({ schema: 'wmic-remote-exec.finding/1', remoteCommand: { value: f.remoteCommand } });
    // Not delivered with MessageStructure json (sns-message-attributes page), so not sent.
    expect(entry?.attributes).toEqual({});
  });

  it('reads per-entry failures from the XML reply', async () => {
    reply = (entries) => ({
      status: 200,
      body: `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful><member><Id>${entries[0]?.id}</Id><MessageId>m-1</MessageId></member></Successful><Failed><member><Id>${entries[1]?.id}</Id><Code>KMSAccessDenied</Code><Message>User is not authorized to use the key</Message><SenderFault>true</SenderFault></member></Failed></PublishBatchResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></PublishBatchResponse>`,
    });
    const fs = [makeFinding(), makeFinding({ sourceHost: 'WKS-2' })];

    const outcome = await new SnsNotifier({ client: client(), topicArn: TOPIC, stormLimit: 50 }).publish(fs, makeContext());

    expect(outcome.delivered).toEqual([fs[0]!.fingerprint]);
    expect(outcome.failed).toEqual([{ fingerprint: fs[1]!.fingerprint, code: 'KMSAccessDenied', message: 'User is not authorized to use the key' }]);
  });

  it('maps an SNS error reply for the whole call to failed, after retrying KMS throttling', async () => {
    reply = () => ({
      status: 400,
      body: '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>KMSThrottling</Code><Message>KMS request rate exceeded</Message></Error><RequestId>req-3</RequestId></ErrorResponse>',
    });
    const f = makeFinding();
    const notifier = new SnsNotifier({ client: client(), topicArn: TOPIC, stormLimit: 50, maxAttempts: 2, sleep: async () => {} });

    const outcome = await notifier.publish([f], makeContext());

    expect(outcome.delivered).toEqual([]);
    expect(outcome.failed).toEqual([{ fingerprint: f.fingerprint, code: 'KMSThrottlingException', message: 'KMS request rate exceeded' }]);
    expect(captured).toHaveLength(2);
  });
});
