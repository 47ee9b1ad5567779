/**
 * Each hunt's own settings (hunt:hunts) in the built handler: the context is validated and turned
 * into the Lambda's environment by the synth's own code (infra/hunt-settings.ts), then the real
 * bundle runs each hunt over DynamoDB Local, the local XSIAM, a Secrets Manager stand-in and an SNS
 * stand-in holding three topics (the shared findings topic, one hunt's own topic, the ops topic).
 *
 * - the WMIC hunt: shadow (its own mode; the stack is live): publishes nothing, and the daily
 *   shadow report lists its pairs;
 * - the target-side WMI hunt: live, its own minSeverity (critical), its own allowlist entry and its
 *   own topic: only its critical, not allowlisted findings, and only on its topic;
 * - the shadow-copy hunt: no settings of its own (live, high, the shared topic), found there by a
 *   MessageBody filter policy on `huntId`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { huntEnvironment, parseHuntSettings } from '../../infra/hunt-settings.js';
import { ENV } from '../../lambda/config.js';
import type { EventRow } from '../../local/xsiam/index.js';
import { buildHandler, type BuiltHandler } from '../concurrency/built-handler.js';
import { freshTable, localClient } from '../state/dynamo-support.js';
import { startPeers, type Peers } from '../support/peers.js';
import type { SnsStandin } from '../support/sns-standin.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const WMIC = 'HuntQuery-Windows-WMIC-RemoteExec';
const WMI = 'HuntQuery-Windows-WMI-RemoteExec-TargetSide';
const VSS = 'HuntQuery-Windows-ShadowCopy-Delete';
const SHARED = 'arn:aws:sns:us-east-1:123456789012:hunt-findings';
const OWN = 'arn:aws:sns:us-east-1:123456789012:hunt-wmi-target';
const OPS = 'arn:aws:sns:us-east-1:123456789012:hunt-ops';
const key = { keyId: '9', key: randomBytes(32).toString('hex') };

/** The WMI hunt's own allowlist entry mutes one host it would otherwise page on (critical). */
const FS02_ENTRY = { id: 'fs02-backup-agent', owner: 'it-ops@corp.example', reason: 'FS02 runs the backup vendor\'s WMI agent (CHG-42)', expires: '2099-12-31', sourceHost: 'FS02' };
/** As in cdk.json: hunt:hunts. */
const CONTEXT = {
  [WMIC]: { mode: 'shadow' },
  [WMI]: { minSeverity: 'critical', routing: 'own', allowlist: [FS02_ENTRY] },
};

let handler: BuiltHandler;
let sns: SnsStandin;
let peers: Peers;
let env: Record<string, string>;
const events: EventRow[] = [];

/** A card's test rows, spaced as written, moved into the last three hours (the first run looks back from now). */
function cardRows(id: string): EventRow[] {
  const rows = readFileSync(join(ROOT, `hunts/${id}.test.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const first = Math.min(...rows.map((r) => Date.parse(String(r['_time']))));
  const start = Date.now() - 150 * 60_000;
  return rows.map(({ _expect: _e, _source: _s, ...row }) => ({ ...row, _time: start + Math.round((Date.parse(String(row['_time'])) - first) / 2) }));
}

const published = (arn: string): Record<string, unknown>[] => sns.calls.filter((c) => c.topicArn === arn && c.action === 'PublishBatch')
  .flatMap((c) => c.entries).map((e) => JSON.parse((JSON.parse(e.message) as { default: string }).default) as Record<string, unknown>);

beforeAll(async () => {
  const { hunts, problems } = parseHuntSettings(CONTEXT);
  expect(problems).toEqual([]);
  handler = await buildHandler();
  peers = await startPeers({ events: () => events, credentials: key }, {
    topicArn: SHARED,
    subscriptions: [
      { protocol: 'sqs', endpoint: 'all-findings' },
      // SNS payload filtering (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html).
      { protocol: 'sqs', endpoint: 'vss-only', bodyFilterPolicy: { huntId: [VSS] } },
    ],
    otherTopics: { [OWN]: [{ protocol: 'sqs', endpoint: 'wmi-team' }], [OPS]: [{ protocol: 'email', endpoint: 'ops@example.com' }] },
  });
  ({ sns } = peers);
  const endpoint = inject('dynamoDbEndpoint');
  env = peers.env(endpoint, await freshTable(localClient(endpoint), 'perhunt'), {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', [ENV.topicArn]: SHARED, [ENV.alarmTopicArn]: OPS,
    [ENV.initialLookbackMinutes]: '180', [ENV.confirmTargets]: 'false',
    // The stack-wide mode and minimum severity; the hunts' own settings as the stack sets them.
    [ENV.mode]: 'live', [ENV.minSeverity]: 'high',
    [ENV.huntSettings]: JSON.stringify(huntEnvironment(hunts, () => OWN)),
  });
  events.push(...cardRows(WMIC), ...cardRows(WMI), ...cardRows(VSS));
}, 180_000);
afterAll(async () => {
  await Promise.all([peers?.close(), handler?.close()]);
});

/** Runs every hunt once in this order, over a fresh table; returns each run's summary. */
async function runAll(settings: Record<string, unknown>, table: string): Promise<Record<string, Record<string, unknown>>> {
  const { hunts, problems } = parseHuntSettings(settings);
  expect(problems).toEqual([]);
  const runEnv = { ...env, [ENV.tableName]: table, [ENV.huntSettings]: JSON.stringify(huntEnvironment(hunts, () => OWN)) };
  const out: Record<string, Record<string, unknown>> = {};
  for (const id of [WMI, WMIC, VSS]) {
    const r = await handler.invoke({ huntId: id }, runEnv, 120_000);
    expect(r).toMatchObject({ ok: true });
    out[id] = r.result!;
  }
  return out;
}

describe('each hunt runs with its own settings (hunt:hunts)', () => {
  let baseline: Record<string, unknown> = {};
  it('the same rows without the WMI hunt\'s allowlist: DC01, FS02 and HR05 page at critical on its own topic (the baseline)', async () => {
    const before = published(OWN).length;
    const runs = await runAll({ ...CONTEXT, [WMI]: { minSeverity: 'critical', routing: 'own' } }, await freshTable(localClient(inject('dynamoDbEndpoint')), 'perhunt-base'));
    const own = published(OWN).slice(before);
    expect(own.map((p) => [p['huntId'], p['host'], p['severity']]).sort()).toEqual([[WMI, 'DC01', 'critical'], [WMI, 'FS02', 'critical'], [WMI, 'HR05', 'critical']]);
    baseline = runs[WMI]!;
  }, 300_000);

  it('the WMI hunt (live, critical, own allowlist, own topic), the WMIC hunt (shadow) and the shadow-copy hunt (stack settings) each publish what their settings say, where they say', async () => {
    // What the baseline above published is not this deployment's.
    sns.calls.splice(0);
    sns.deliveries.splice(0);
    const runs = await runAll(CONTEXT, env[ENV.tableName]!);

    // WMI target-side: only critical findings, FS02 muted by its own allowlist entry, only on its own topic.
    const own = published(OWN);
    expect(own.map((p) => [p['huntId'], p['host'], p['severity']]).sort()).toEqual([[WMI, 'DC01', 'critical'], [WMI, 'HR05', 'critical']]);
    expect(runs[WMI]).toMatchObject({ status: 'completed', wouldNotify: 0, belowMinSeverity: baseline['belowMinSeverity'] });
    // The FS02 findings moved from notified to suppressed; nothing else changed.
    const muted = Number(runs[WMI]!['suppressed']) - Number(baseline['suppressed']);
    expect(muted).toBeGreaterThan(0);
    expect(runs[WMI]!['notified']).toBe(Number(baseline['notified']) - muted);
    expect(Number(runs[WMI]!['belowMinSeverity'])).toBeGreaterThan(0);
    expect(new Set(sns.deliveries.filter((d) => d.topicArn === OWN).map((d) => d.endpoint))).toEqual(new Set(['wmi-team']));

    // WMIC: its own mode (shadow) over the stack's live: counted, logged, nothing published anywhere.
    expect(runs[WMIC]).toMatchObject({ status: 'completed', notified: 0, wouldNotify: 5 });
    expect([...published(SHARED), ...published(OWN)].some((p) => p['huntId'] === WMIC)).toBe(false);

    // Shadow copy: the stack's settings, the shared topic; a MessageBody filter on huntId selects it.
    const shared = published(SHARED);
    expect(shared.map((p) => [p['huntId'], p['host']]).sort()).toEqual([[VSS, 'BKP01'], [VSS, 'FS01']]);
    expect(runs[VSS]).toMatchObject({ notified: 3 });
    expect(sns.deliveries.filter((d) => d.endpoint === 'vss-only').map((d) => (JSON.parse(d.body) as { huntId: string }).huntId)).toEqual([VSS, VSS]);
    // No message attributes: SNS would not deliver them with MessageStructure json.
    expect(sns.violations).toEqual([]);
    expect(sns.calls.flatMap((c) => c.entries).every((e) => Object.keys(e.attributes).length === 0)).toBe(true);
  }, 300_000);

  it('the daily shadow report covers every hunt in shadow (here the WMIC hunt, by its own mode), in one message to the ops topic', async () => {
    const report = await handler.invoke({ action: 'shadow-report' }, env, 60_000);
    expect(report.result).toMatchObject({ status: 'shadow-report-sent', wouldHaveSent: 5, hunts: [{ huntId: WMIC, wouldHaveSent: 5 }] });
    const ops = sns.deliveries.filter((d) => d.topicArn === OPS);
    expect(ops).toHaveLength(1);
    expect(ops[0]!.subject).toBe('Hunt shadow report: 5 notification(s) would have been sent by 1 hunt(s) in shadow');
    expect(ops[0]!.body).toContain(`== ${WMIC}: would have sent 5 finding(s) (5 critical)`);
    expect(ops[0]!.body).toMatch(/\[critical \d+\] WS-FIN-023 -> fs01/);
    expect(ops[0]!.body).not.toContain('Winter2026!');

    // With the stack in shadow, every hunt without a mode of its own is in it too: one report, a part
    // per hunt; a card-only hunt's findings show their host and (redacted) command line.
    const shadowEnv = { ...env, [ENV.mode]: 'shadow', [ENV.tableName]: await freshTable(localClient(inject('dynamoDbEndpoint')), 'perhunt-shadow') };
    expect((await handler.invoke({ huntId: VSS }, shadowEnv, 120_000)).result).toMatchObject({ notified: 0, wouldNotify: 3 });
    const all = await handler.invoke({ action: 'shadow-report' }, shadowEnv, 60_000);
    expect(all.result).toMatchObject({ wouldHaveSent: 3 });
    expect((all.result!['hunts'] as { huntId: string; wouldHaveSent: number }[]).map((h) => [h.huntId, h.wouldHaveSent]).sort()).toEqual([[VSS, 3], [WMI, 0], [WMIC, 0]]);
    const body = sns.deliveries.filter((d) => d.topicArn === OPS)[1]!.body;
    expect(body).toContain(`== ${VSS}: would have sent 3 finding(s) (3 high)`);
    expect(body).toMatch(/- \[high 90\] FS01  \S+\n {2}reasons: \(base score only\)\n {2}command: vssadmin\.exe delete shadows \/all \/quiet/);
    expect(body).toContain(`== ${WMI}: would have sent 0 finding(s)\nNothing would have been sent.`);
  }, 240_000);
});
