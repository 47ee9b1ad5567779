/** Rig for the forwarder tests: the webhook stand-in, a loopback Secrets Manager, SNS events as SNS delivers them. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSEvent } from 'aws-lambda';
import { afterEach, beforeEach } from 'vitest';
import type { SnsMessage } from '../../lambda/notify/index.js';
import type { Log } from '../../lambda/ports.js';
import { type ForwarderDeps, makeForwarder, WebhookSecret } from '../../lambda/slack-forwarder/index.js';
import { WebhookStandIn } from './webhook-stand-in.js';

/**
 * The SNS record a Lambda subscriber gets for a published message: with MessageStructure json,
 * each protocol gets its own key or `default` (aws-notes.md §1); the product sends no `lambda` key.
 */
export function snsEvent(...messages: (SnsMessage | string)[]): SNSEvent {
  return {
    Records: messages.map((m, i) => {
      const body = typeof m === 'string' ? m : (JSON.parse(m.message) as { default: string; lambda?: string });
      const delivered = typeof body === 'string' ? body : body.lambda ?? body.default;
      return {
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:eu-west-1:111122223333:hunt:sub',
        EventSource: 'aws:sns',
        Sns: {
          Type: 'Notification', MessageId: `msg-${i}`, TopicArn: 'arn:aws:sns:eu-west-1:111122223333:hunt',
          Subject: typeof m === 'string' ? undefined : m.subject, Message: delivered, Timestamp: '2026-03-14T10:30:00.000Z',
          SignatureVersion: '2', Signature: 'sig', SigningCertUrl: 'https://sns.example/cert.pem', UnsubscribeUrl: 'https://sns.example/unsub',
          MessageAttributes: {},
        },
      };
    }),
  };
}

/** A Log port that keeps every line as JSON text. */
export function captureLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const put = (level: string) => (message: string, extra?: Record<string, unknown>) => { lines.push(JSON.stringify({ level, message, ...extra })); };
  return { lines, debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') };
}

/** Secrets Manager on loopback: GetSecretValue answers with `answer()` (a SecretString, or an AWS error name). */
export class SecretsStandIn {
  calls = 0;
  #server: Server | undefined;
  constructor(public answer: () => { value: string } | { error: string; status: number }) {}

  async start(): Promise<SecretsManagerClient> {
    this.#server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.calls += 1;
        const a = this.answer();
        if ('error' in a) {
          res.writeHead(a.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': a.error });
          res.end(JSON.stringify({ __type: a.error, message: `${a.error} for the secret` }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:hunt/slack-AbCdEf', Name: 'hunt/slack', SecretString: a.value }));
      });
    });
    await new Promise<void>((ok) => this.#server?.listen(0, '127.0.0.1', ok));
    const { port } = this.#server.address() as AddressInfo;
    return new SecretsManagerClient({
      endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    });
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
}

export interface Rig {
  readonly forward: ReturnType<typeof makeForwarder>;
  readonly log: ReturnType<typeof captureLog>;
  /** Every wait the forwarder asked for (the sleep itself returns at once). */
  readonly waits: number[];
}

/** A forwarder reading its URL from `secrets`, with a recording sleep and loopback URLs allowed. */
export async function rig(client: SecretsManagerClient, overrides: Partial<ForwarderDeps> = {}): Promise<Rig> {
  const log = captureLog();
  const waits: number[] = [];
  const forward = makeForwarder({
    secret: new WebhookSecret({ secretId: 'hunt/slack', client, allowLoopback: true }),
    log,
    ...overrides,
    post: { sleep: async (ms) => { waits.push(ms); }, random: () => 0.5, ...overrides.post },
  });
  return { forward, log, waits };
}

/** A Lambda context with `ms` left. */
export const lambdaContext = (ms = 60_000) => ({ getRemainingTimeInMillis: () => ms });

/** The webhook stand-in and a Secrets Manager naming it, started before and stopped after each test. */
export function useSlackStandIns(): { slack: () => WebhookStandIn; client: () => SecretsManagerClient } {
  let slack: WebhookStandIn | undefined;
  let secrets: SecretsStandIn | undefined;
  let client: SecretsManagerClient | undefined;
  beforeEach(async () => {
    const started = new WebhookStandIn();
    await started.start();
    slack = started;
    secrets = new SecretsStandIn(() => ({ value: started.url }));
    client = await secrets.start();
  });
  afterEach(async () => {
    await slack?.stop();
    await secrets?.stop();
  });
  return { slack: () => slack as WebhookStandIn, client: () => client as SecretsManagerClient };
}
