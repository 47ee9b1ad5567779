/**
 * The built Slack forwarder, run where it runs: the stack's esbuild bundle in a fresh Node process,
 * its secret read through the bundled SDK from a Secrets Manager stand-in, its post made over TLS
 * to hooks.slack.com (routed to the webhook stand-in, which enforces Slack's documented limits).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { composeFinding } from '../../lambda/notify/index.js';
import { WEBHOOK_SECRET_ENV } from '../../lambda/slack-forwarder/env.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { snsEvent } from '../slack-forwarder/support.js';
import { WebhookStandIn } from '../slack-forwarder/webhook-stand-in.js';
import { invokeBundle } from '../support/bundle.js';
import { buildForwarderBundle, type ForwarderBundle } from '../support/forwarder-bundle.js';
import { startSecretsStandin, type SecretsStandin } from '../support/secrets-standin.js';

/** The secret part of the webhook URL: a canary that must reach no log line. */
const TOKEN = 'T0BUNDLE/B0BUNDLE/bundl3dW3bh00kT0k3n';
const SECRET_ID = 'hunt/slack';

let bundle: ForwarderBundle;
let slack: WebhookStandIn;
let secrets: SecretsStandin;

beforeAll(async () => {
  bundle = await buildForwarderBundle();
}, 120_000);
afterAll(() => bundle?.remove());
afterEach(async () => {
  await slack?.stop();
  await secrets?.close();
});

/** Starts the stand-ins (the secret holds `secretValue(url)`), invokes the bundle with `event`; its result and stderr. */
async function invoke(event: unknown, options: { secretValue?: (url: string) => string; env?: Record<string, string> } = {}): Promise<{ result?: Record<string, unknown>; stderr: string }> {
  slack = new WebhookStandIn(TOKEN, { tls: bundle.tls });
  await slack.start();
  secrets = await startSecretsStandin({ [SECRET_ID]: (options.secretValue ?? ((u) => u))(slack.url) });
  const route = bundle.routeTo(slack.port);
  const env = { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint, [WEBHOOK_SECRET_ENV]: SECRET_ID, ...route.env, ...options.env };
  try {
    return { result: await invokeBundle(bundle.dir, event, env, 30_000, { file: 'forwarder.mjs', nodeArgs: route.nodeArgs }), stderr: '' };
  } catch (error) {
    return { stderr: String((error as { stderr?: string }).stderr ?? error) };
  }
}

describe('the built Slack forwarder', () => {
  it('reads the webhook from Secrets Manager and posts the finding to Slack over TLS, as Block Kit inside Slack\'s limits', async () => {
    const finding = makeFinding({ sourceHost: 'WS-<FIN>&023', remoteCommand: 'cmd /c "C:\\Users\\Public\\enc.exe" <!channel>' });
    const { result, stderr } = await invoke(snsEvent(composeFinding(finding, makeContext())));

    expect(stderr).toBe('');
    expect(result).toEqual({ delivered: 1, failed: 0 });
    expect(secrets.calls).toEqual([SECRET_ID]);
    // the stand-in checked every documented limit and answered 200
    expect(slack.received.map((r) => [r.path, r.status])).toEqual([[`/services/${TOKEN}`, 200]]);
    const posted = slack.delivered[0] as { text: string; blocks: { type: string }[] };
    expect(posted.blocks[0]?.type).toBe('header');
    expect(JSON.stringify(posted)).toContain('WS-&lt;FIN&gt;&amp;023');
    expect(JSON.stringify(posted)).not.toContain('<!channel>');
  }, 60_000);

  it('fails its cold start naming the missing variable when an operator leaves out the secret id', async () => {
    const { result, stderr } = await invoke(snsEvent('{}'), { env: { [WEBHOOK_SECRET_ENV]: '' } });

    expect(result).toBeUndefined();
    expect(stderr).toContain(`${WEBHOOK_SECRET_ENV} is not set`);
    expect(slack.received).toEqual([]);
  }, 60_000);

  it('refuses a secret that is not a Slack webhook, saying why, without the URL in its error', async () => {
    const { result, stderr } = await invoke(snsEvent(composeFinding(makeFinding(), makeContext())), {
      secretValue: () => `https://evil.example/services/${TOKEN}`,
    });

    expect(result).toBeUndefined();
    expect(stderr).toContain('hooks.slack.com');
    expect(stderr).not.toContain(TOKEN);
    expect(slack.received).toEqual([]);
  }, 60_000);
});
