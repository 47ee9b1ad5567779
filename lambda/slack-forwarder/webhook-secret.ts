/**
 * The webhook URL, read from Secrets Manager and cached while the function is warm. The URL is a
 * credential (anyone holding it can post to the channel): it is validated here, and neither it nor
 * any part of it goes into an error message, a log line or a metric.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { WebhookSecretError } from './errors.js';

/** Hosts of Slack incoming webhooks: Slack and GovSlack (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks). */
const SLACK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface WebhookSecretOptions {
  /** Name or ARN of the secret. */
  readonly secretId: string;
  readonly client: SecretsManagerClient;
  /** @default 15 minutes */
  readonly maxAgeMs?: number;
  /** Accept http://127.0.0.1 / localhost / [::1] URLs: for the tests' webhook stand-in only. @default false */
  readonly allowLoopback?: boolean;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Checks that `value` is an incoming-webhook URL: `https://hooks.slack.com/services/…` (or
 * GovSlack's host), or a loopback URL when allowed. The value may also be JSON with a `url` or
 * `webhookUrl` field. Problems are described without quoting the value.
 */
export function parseWebhookUrl(secretId: string, value: string | undefined, allowLoopback = false): URL {
  const fail = (problem: string): never => { throw new WebhookSecretError(secretId, problem); };
  let raw = (value ?? '').trim();
  if (raw === '') fail('the secret has no string value (put the webhook URL as its SecretString)');
  if (raw.startsWith('{')) {
    let doc: unknown;
    try { doc = JSON.parse(raw); } catch { fail('the value starts with "{" but is not JSON'); }
    const o = (doc ?? {}) as Record<string, unknown>;
    const field = typeof o.url === 'string' ? o.url : typeof o.webhookUrl === 'string' ? o.webhookUrl : undefined;
    if (field === undefined) fail('the JSON value has no "url" or "webhookUrl" string field');
    raw = (field as string).trim();
  }
  let url: URL | undefined;
  try { url = new URL(raw); } catch { fail('the value is not a URL'); }
  const u = url as URL;
  if (u.username !== '' || u.password !== '') fail('the URL must not carry user information');
  const loopback = allowLoopback && u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
  if (!loopback) {
    if (u.protocol !== 'https:') fail('the URL must use https');
    if (!SLACK_HOSTS.has(u.hostname) || u.port !== '') fail('the URL must point to hooks.slack.com (an incoming-webhook URL)');
    if (!/^\/services\/[A-Za-z0-9/_-]+$/.test(u.pathname) || u.search !== '' || u.hash !== '') fail('the URL must be an incoming-webhook URL: https://hooks.slack.com/services/…');
  }
  return u;
}

/** The webhook URL from Secrets Manager, cached per execution environment. */
export class WebhookSecret {
  #cached: { url: URL; at: number } | undefined;

  constructor(private readonly options: WebhookSecretOptions) {}

  async url(): Promise<URL> {
    const now = (this.options.now ?? Date.now)();
    if (this.#cached && now - this.#cached.at < (this.options.maxAgeMs ?? 15 * 60_000)) return this.#cached.url;
    let value: string | undefined;
    try {
      value = (await this.options.client.send(new GetSecretValueCommand({ SecretId: this.options.secretId }))).SecretString;
    } catch (err) {
      // The SDK error's name says what to fix and carries no secret material; its message is not kept.
      const code = err instanceof Error ? err.name : 'UnknownError';
      throw new WebhookSecretError(this.options.secretId, `could not be read: ${code}`);
    }
    const url = parseWebhookUrl(this.options.secretId, value, this.options.allowLoopback);
    this.#cached = { url, at: now };
    return url;
  }

  /** Forget the cached URL (after Slack answered 403/404/410: the webhook may have been rotated). */
  forget(): void {
    this.#cached = undefined;
  }
}
