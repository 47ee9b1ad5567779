/**
 * `npm run hunt -- run --shadow` and `npm run hunt -- backfill` as a user runs them (a child
 * process), publishing through the real SNS client to the SNS stand-in on loopback.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfillCommand } from '../../local/cli/backfill.js';
import { startSnsStandin, type SnsStandin } from '../support/sns-standin.js';

const root = resolve(import.meta.dirname, '../..');
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:wmic-hunt';
let sns: SnsStandin;

beforeAll(async () => { sns = await startSnsStandin({ topicArn: TOPIC }); });
afterAll(async () => sns.close());

async function hunt(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)('npx', ['tsx', 'local/cli.ts', ...args], {
    cwd: root,
    env: {
      ...process.env, AWS_ENDPOINT_URL_SNS: sns.endpoint, AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'standin-secret', AWS_SESSION_TOKEN: '',
      XSIAM_TENANT: '',
    },
  });
}

/** Host pairs the wire carried: an incident's message lists each of its pairs in `pairs`. */
function pairsOnWire(): number {
  return sns.calls.flatMap((c) => c.entries).reduce((n, e) => {
    const doc = JSON.parse((JSON.parse(e.message) as { default: string }).default) as { pairs?: unknown[] };
    return n + (doc.pairs?.length ?? 1);
  }, 0);
}

describe('shadow, then backfill, against the SNS stand-in', () => {
  it('--shadow puts nothing on the wire and reports wouldNotify; a backfill on the same state sends those pairs once', async () => {
    const state = mkdtempSync(join(tmpdir(), 'hunt-shadow-'));
    const shadow = await hunt(['--state', state, '--shadow', '--sample', '--sns-topic', TOPIC, '--output', 'json']);
    const summary = JSON.parse(shadow.stdout) as { wouldNotify: number; notified: number; window: { from: number; to: number } };
    expect(summary.wouldNotify).toBeGreaterThan(0);
    expect(summary.notified).toBe(0);
    expect(sns.calls).toHaveLength(0);

    const anchor = (JSON.parse(readFileSync(join(state, 'sample-day.json'), 'utf8')) as { anchor: number }).anchor;
    const range = ['--from', String(summary.window.from), '--to', String(Math.max(anchor, summary.window.to))];
    const backfill = await hunt(['backfill', ...range, '--state', state, '--sample', '--sns-topic', TOPIC, '--output', 'json']);
    const filled = JSON.parse(backfill.stdout) as { notified: number; recovered: number; newPairs: number; totalChunks: number };
    expect(filled).toMatchObject({ notified: summary.wouldNotify, recovered: summary.wouldNotify, newPairs: 0 });
    expect(pairsOnWire()).toBe(summary.wouldNotify);
    expect(sns.violations).toEqual([]);
    expect(backfill.stderr).toMatch(new RegExp(`queries \\(chunks of 360 min\\)`));
    expect(backfill.stderr).toMatch(new RegExp(`^chunk 1/${filled.totalChunks} `, 'm'));
    expect(backfill.stderr).toMatch(new RegExp(`^chunk ${filled.totalChunks}/${filled.totalChunks} `, 'm'));

    // The same backfill again: every chunk is done, nothing is queried or sent.
    const again = await hunt(['backfill', ...range, '--state', state, '--sample', '--sns-topic', TOPIC, '--output', 'json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ ranChunks: 0, notified: 0 });
    expect(again.stderr).toContain(`resuming: ${filled.totalChunks}/${filled.totalChunks} chunk(s) already done`);
    expect(pairsOnWire()).toBe(summary.wouldNotify);
  }, 120_000);
});

describe('backfill budget', () => {
  it('prints the number of queries and refuses a plan above --max-queries without --yes', async () => {
    let err = '';
    let out = '';
    const io = { write: (t: string) => { out += t; }, error: (t: string) => { err += t; }, env: {}, now: Date.now };
    const code = await runBackfillCommand(['--from', '2026-11-01T00:00:00Z', '--to', '2026-11-08T00:00:00Z', '--chunk-minutes', '60', '--state', mkdtempSync(join(tmpdir(), 'hunt-bf-'))], io);
    expect(code).toBe(2);
    expect(err).toContain('168 queries');
    expect(err).toMatch(/more than --max-queries 20; add --yes/);
    expect(out).toBe('');
  });
});
