/**
 * Issue 18's concurrency promises, executed: the BUILT handler in four processes at once (three
 * backfill chunks and one scheduled run, each with a burst of new pairs, their windows overlapping
 * so the same new pair is read by two or three runs at the same moment) over one DynamoDB Local,
 * one local XSIAM and one SNS stand-in that timestamps arrivals. The email subscriber never sees
 * more than 10 messages in any second, and every pair is notified exactly once. A chunk that left
 * pairs to a concurrent run ends "not done" and is re-invoked, as the state machine's Retry does.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lambda/config.js';
import type { EventRow } from '../../local/xsiam/index.js';
import { wmicRow } from '../integration/harness.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import type { SnsStandin } from '../support/sns-standin.js';
import { buildHandler, type BuiltHandler, type Invocation } from './built-handler.js';
import { startPeers, type Peers } from '../support/peers.js';

const MIN = 60_000;
const KEY = { keyId: '5', key: 'concurrency-test-key-0123456789abcdef' };
const EMAIL = 'soc@example.com';
const AUDIT = 'arn:aws:sqs:us-east-1:111122223333:audit';

let handler: BuiltHandler;
let sns: SnsStandin;
let peers: Peers;
let env: Record<string, string>;
const events: EventRow[] = [];
const NOW = Date.now();

/** 48 unrelated pairs (no host in common: one message each), spread over the last three hours. */
const PAIRS = Array.from({ length: 48 }, (_, i) => ({ source: `WS-${String(i).padStart(2, '0')}`, target: `SRV-${String(i).padStart(2, '0')}`, at: NOW - 175 * MIN + i * 3.4 * MIN }));

beforeAll(async () => {
  for (const p of PAIRS) events.push(wmicRow(Math.round(p.at), p.source, `wmic /node:"${p.target}" process call create "cmd.exe /c vssadmin delete shadows /all /quiet"`));
  handler = await buildHandler();
  peers = await startPeers({ events: () => events, credentials: KEY, quota: 1000 }, { subscriptions: [{ protocol: 'email', endpoint: EMAIL }, { protocol: 'sqs', endpoint: AUDIT }] });
  ({ sns } = peers);
  const endpoint = inject('dynamoDbEndpoint');
  env = peers.env(endpoint, await freshTable(localClient(endpoint), 'concurrency'), {
    [ENV.initialLookbackMinutes]: '120', [ENV.ingestLagMinutes]: '1', [ENV.stormLimit]: '100', [ENV.confirmTargets]: 'false',
    POWERTOOLS_LOG_LEVEL: 'WARN', NODE_OPTIONS: '--no-warnings',
  });
}, 120_000);

afterAll(async () => {
  await handler?.close();
  await peers?.close();
});

const chunk = (fromMin: number, toMin: number): Record<string, unknown> => ({ action: 'hunt-window', window: { from: NOW - fromMin * MIN, to: NOW - toMin * MIN }, shadow: false });

/** The pairs each message to the audit queue carries (the `default` JSON: an incident lists its pairs). */
function deliveredPairs(): string[] {
  return sns.deliveries.filter((d) => d.endpoint === AUDIT).flatMap((d) => {
    const doc = JSON.parse(d.body) as { pairs?: { sourceHost: string; targetHost: string }[]; finding?: { sourceHost: string; targetHost: string } };
    return (doc.pairs ?? (doc.finding ? [doc.finding] : [])).map((p) => `${p.sourceHost}->${p.targetHost}`.toLowerCase());
  });
}

/** The most arrivals at the email subscriber inside any one second (sliding). */
function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[i] as number) - (sorted[j] as number) >= 1000) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('three backfill chunks and the schedule at once, over the built handler', () => {
  it('never puts more than 10 messages in any second on the email subscriber, and notifies every pair exactly once', async () => {
    const jobs: Record<string, unknown>[] = [chunk(180, 100), chunk(110, 60), chunk(70, 20), { source: 'aws.events', 'detail-type': 'Scheduled Event', time: new Date(NOW).toISOString() }];
    const first = await Promise.all(jobs.map((job) => handler.invoke(job, env)));
    // What the state machine's Retry does with a chunk that left pairs to a concurrent run.
    const retried: Invocation[] = [];
    for (const [i, outcome] of first.entries()) {
      if (outcome.ok) continue;
      expect(outcome.error).toBe('ChunkNotDoneError');
      retried.push(await handler.invoke(jobs[i], env));
    }

    expect(retried.every((r) => r.ok)).toBe(true);
    const wanted = PAIRS.map((p) => `${p.source}->${p.target}`.toLowerCase()).sort();
    expect(deliveredPairs().sort()).toEqual(wanted);
    const emails = sns.deliveries.filter((d) => d.endpoint === EMAIL).map((d) => d.at);
    expect(emails).toHaveLength(48);
    expect(busiestSecond(emails)).toBeLessThanOrEqual(10);
    expect(sns.violations).toEqual([]);
    expect(sns.status(EMAIL)).toBe('Confirmed');
  }, 240_000);
});
