/**
 * Issue 18 §7: an operator's slips with `--sns-topic`. The fictional sample day reaches a real
 * topic only with `--sample`, marked SAMPLE; a missing or misspelt tenant variable stops the run
 * (exit 2) with its name, and nothing is published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_BODY_MARK } from '../../local/cli/sample-mark.js';
import { startSnsStandin, type SnsStandin } from '../support/sns-standin.js';
import { hunt, tempDir } from './harness.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:wmic-hunt';
let sns: SnsStandin;
const saved = { ...process.env };

beforeAll(async () => {
  sns = await startSnsStandin({ topicArn: TOPIC });
  // The CLI builds its SNSClient from the process's credential chain: point it at the stand-in.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SNS: sns.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'standin-secret',
  });
});
afterAll(async () => {
  process.env = saved;
  await sns.close();
});

describe('--sns-topic without a tenant', () => {
  it('refuses the bundled sample day unless --sample is given, naming what is missing', async () => {
    const r = await hunt(['--state', tempDir(), '--sns-topic', TOPIC]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no XSIAM tenant is configured: XSIAM_TENANT, XSIAM_API_KEY_ID, XSIAM_API_KEY_FILE or XSIAM_API_KEY are not set');
    expect(r.stderr).toContain('add --sample to send the bundled fictional sample day');
    expect(r.stdout).toBe('');
    expect(sns.calls).toHaveLength(0);
  });

  it('names a misspelt variable and the one it most likely meant', async () => {
    const env = { XSIAM_TENNANT: 'acme.xdr.us.paloaltonetworks.com', XSIAM_API_KEY_ID: '7', XSIAM_API_KEY: 'k'.repeat(40) };
    const r = await hunt(['--state', tempDir(), '--sns-topic', TOPIC], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('XSIAM_TENANT is not set (XSIAM_TENNANT is set: did you mean XSIAM_TENANT?)');
    expect(r.stderr).not.toContain('k'.repeat(40));
    expect(sns.calls).toHaveLength(0);
  });

  it('names the missing key of an incomplete tenant configuration once, in words', async () => {
    const r = await hunt(['--state', tempDir(), '--sns-topic', TOPIC], { env: { XSIAM_TENANT: 'acme.xdr.us.paloaltonetworks.com', XSIAM_KEY_TYP: 'advanced' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hunt: the XSIAM tenant configuration is incomplete: .*XSIAM_API_KEY_ID is missing/);
    expect(r.stderr).toContain('XSIAM_KEY_TYP is set: did you mean XSIAM_KEY_TYPE?');
    expect(r.stderr).not.toMatch(/ConfigError|RunRefusedError/);
    expect(r.stderr.match(/XSIAM_API_KEY_ID is missing/g)).toHaveLength(1);
  });

  it('refuses --events with the tenant half configured', async () => {
    const r = await hunt(['--events', '/dev/null', '--sns-topic', TOPIC], { env: { XSIAM_API_KEY_ID: '7' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('XSIAM_TENANT, XSIAM_API_KEY_FILE or XSIAM_API_KEY are not set');
  });

  it('refuses --sample together with a tenant or an events file', async () => {
    const withTenant = await hunt(['--sample', '--state', tempDir()], { env: { XSIAM_TENANT: 'acme.xdr.us.paloaltonetworks.com' } });
    expect(withTenant.code).toBe(2);
    expect(withTenant.stderr).toContain('--sample hunts the bundled sample day, but XSIAM_TENANT is set');
    const withEvents = await hunt(['backfill', '--sample', '--events', '/dev/null', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T06:00:00Z']);
    expect(withEvents.code).toBe(2);
    expect(withEvents.stderr).toContain('--sample and --events both given');
  });

  it('a backfill to a topic without a tenant is refused the same way', async () => {
    const r = await hunt(['backfill', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T06:00:00Z', '--state', tempDir(), '--sns-topic', TOPIC], { env: { XSIAM_TENANTS: 'x' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('XSIAM_TENANTS is set: did you mean XSIAM_TENANT?');
    expect(sns.calls).toHaveLength(0);
  });

  it('a console run with a misspelt variable warns, and hunts the sample day', async () => {
    const r = await hunt(['--state', tempDir(), '--output', 'json'], { env: { XSIAM_TENNANT: 'acme.xdr.us.paloaltonetworks.com' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('hunt: no XSIAM tenant: XSIAM_TENANT, XSIAM_API_KEY_ID, XSIAM_API_KEY_FILE or XSIAM_API_KEY are not set (XSIAM_TENNANT is set: did you mean XSIAM_TENANT?); hunting the bundled sample day instead');
  });
});

describe('--sample --sns-topic', () => {
  it('publishes the sample day with SAMPLE in every subject and body', async () => {
    const r = await hunt(['--state', tempDir(), '--sample', '--sns-topic', TOPIC]);
    expect(r.stderr).not.toMatch(/\[(warn|error)\]/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${TOPIC} (marked SAMPLE)`);
    const entries = sns.calls.flatMap((c) => c.entries);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.subject).toMatch(/^\[SAMPLE\] /);
      expect(e.subject!.length).toBeLessThanOrEqual(100);
      const structure = JSON.parse(e.message) as { default: string; email: string; https: string };
      expect(structure.email.startsWith(SAMPLE_BODY_MARK)).toBe(true);
      expect((JSON.parse(structure.https) as { content: { title: string } }).content.title).toMatch(/^\[SAMPLE\] /);
      expect(JSON.parse(structure.default)).toMatchObject({ sample: true });
    }
    expect(sns.deliveries.filter((d) => d.protocol === 'email').every((d) => d.body.startsWith(SAMPLE_BODY_MARK))).toBe(true);
    expect(sns.violations).toEqual([]);
  });
});
