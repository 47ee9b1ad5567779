/**
 * Query units per hunt per day: the handler's EMF document (executed through the real shell and
 * run), the tenant quota the alarm measures against (hunt:queryUnitQuota, else
 * hunt:dailyQueryUnits), and in the template the alarm at 80 % and the per-hunt dashboard widget.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { CONTEXT_KEY, ContextError, parseHuntContext } from '../../infra/context.js';
import { ENV, loadConfig } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { makeHandler } from '../../lambda/lambda-shell.js';
import { createCardDetector } from '../../lambda/modules/index.js';
import type { QueryResult } from '../../lambda/pipeline-types.js';
import type { XqlSource } from '../../lambda/ports.js';
import { QuerySlotUnavailableError } from '../../lambda/query-slots/index.js';
import { HUNT_DIMENSION, METRIC, METRICS_NAMESPACE, SERVICE_NAME, STACK_DIMENSION } from '../../lambda/telemetry.js';
import { FileStateStore, StaticCredentials } from '../../local/adapters/index.js';
import { synthHunt } from './synth.js';

const reader = (values: Record<string, unknown>) => (key: string): unknown => values[key];

/** The EMF documents one scheduled run of the real shell writes, and what it returned. */
async function runShell(query: XqlSource['query']): Promise<{ docs: EmfDoc[]; summary: { queryCost?: number; confirmQueryCost?: number } }> {
  const dir = await mkdtemp(join(tmpdir(), 'units-'));
  const config = loadConfig({ [ENV.tableName]: 't', [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt', [ENV.secretId]: 's', [ENV.initialLookbackMinutes]: '60' });
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: 'CRITICAL' });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions: { [STACK_DIMENSION]: 'S1' } });
  const handler = makeHandler({
    config, hunt: WMIC_REMOTE_EXEC, logger, metrics,
    ports: {
      clock: { now: () => Date.now() },
      credentials: new StaticCredentials({ tenant: 'https://api-x.xdr.us.paloaltonetworks.com', apiKeyId: '1', apiKey: 'k', keyType: 'standard' }),
      xql: { query },
      detector: createCardDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST }),
      state: new FileStateStore({ dir }),
      notifier: { publish: () => Promise.resolve({ delivered: [], failed: [], messages: 0, digest: false }) },
    },
  });
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; });
  try {
    const summary = await handler({ huntId: WMIC_REMOTE_EXEC.id }, { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 120_000 }) as { queryCost?: number };
    const docs = written.join('').split('\n').filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as EmfDoc);
    return { docs, summary };
  } finally {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  }
}

type EmfDoc = Record<string, unknown> & { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };

describe('the HuntQueryUnits metric', () => {
  it('is one EMF document per run with the huntId, service and stack dimensions and the units the run spent', async () => {
    // A query reply as the local XSIAM gives it: no rows, 0.25 query units (query_cost).
    const reply: QueryResult = { queryId: 'a_1_inv', rows: [], rowProblems: [], numberOfResults: 0, queryCost: 0.25, remainingQuota: 100, httpCalls: 2, durationMs: 5 };
    const { docs: all, summary } = await runShell(() => Promise.resolve(reply));
    const docs = all.filter((d) => METRIC.huntQueryUnits in d);
    expect(docs).toHaveLength(1);
    const doc = docs[0] as EmfDoc;
    expect(doc._aws.CloudWatchMetrics[0]?.Dimensions[0]?.sort()).toEqual([HUNT_DIMENSION, 'service', STACK_DIMENSION].sort());
    expect(doc).toMatchObject({ [HUNT_DIMENSION]: WMIC_REMOTE_EXEC.id, service: SERVICE_NAME, [STACK_DIMENSION]: 'S1' });
    expect(summary.queryCost).toBeGreaterThan(0);
    expect(doc[METRIC.huntQueryUnits]).toBeCloseTo((summary.queryCost ?? 0) + (summary.confirmQueryCost ?? 0), 9);
  });

  it('a run that got no query slot counts QuerySlotUnavailable and is no heartbeat', async () => {
    const { docs, summary } = await runShell(() => Promise.reject(new QuerySlotUnavailableError(25_000, 12)));
    expect(summary).toMatchObject({ status: 'partial', querySlotUnavailable: 1 });
    const run = docs.find((d) => METRIC.runSucceeded in d);
    expect(run).toMatchObject({ [METRIC.runSucceeded]: 0, [METRIC.querySlotUnavailable]: 1 });
    expect(docs.find((d) => METRIC.huntQueryUnits in d)?.[METRIC.huntQueryUnits]).toBe(0);
  });
});

describe('the tenant quota of the query-units alarm', () => {
  it('is hunt:queryUnitQuota, else hunt:dailyQueryUnits, else none', () => {
    expect(parseHuntContext(reader({ [CONTEXT_KEY.queryUnitQuota]: '500', [CONTEXT_KEY.dailyQueryUnits]: '50' })).queryUnitQuota).toBe(500);
    expect(parseHuntContext(reader({ [CONTEXT_KEY.dailyQueryUnits]: '50' })).queryUnitQuota).toBe(50);
    expect(parseHuntContext(reader({})).queryUnitQuota).toBe(0);
    // cdk.json ships 0: unknown, so the sweep budget stands in.
    expect(parseHuntContext(reader({ [CONTEXT_KEY.queryUnitQuota]: 0, [CONTEXT_KEY.dailyQueryUnits]: '50' })).queryUnitQuota).toBe(50);
  });

  it('refuses a value that is not a number of query units, naming the key', () => {
    for (const bad of ['-1', 'lots', '2e9', '1,000']) {
      expect(() => parseHuntContext(reader({ [CONTEXT_KEY.queryUnitQuota]: bad }))).toThrow(ContextError);
      expect(() => parseHuntContext(reader({ [CONTEXT_KEY.queryUnitQuota]: bad }))).toThrow(/hunt:queryUnitQuota must be the tenant's daily XQL quota/);
    }
  });
});

describe('the query budget in the template', () => {
  it('alarms at 80 % of the quota on every hunt\'s units over 24 h, and draws units per hunt per day', () => {
    const { template, stack } = synthHunt({ [CONTEXT_KEY.queryUnitQuota]: '500' });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> & { Metrics?: { Expression?: string; MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: unknown }[] }; Period: number; Stat: string } }[] } }[];
    const budget = alarms.find((a) => a.Properties.Threshold === 400);
    expect(budget?.Properties).toMatchObject({ ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    expect(budget?.Properties.Metrics?.find((m) => m.Expression)?.Expression).toBe('FILL(queries, 0) + FILL(confirmations, 0)');
    const stats = (budget?.Properties.Metrics ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat] : []));
    expect(stats.map((s) => [s.Metric.MetricName, s.Period, s.Stat]).sort()).toEqual([[METRIC.confirmQueryCost, 86_400, 'Sum'], [METRIC.queryCost, 86_400, 'Sum']]);
    // To the ops topic, like every health alarm (here one topic serves both).
    const heartbeat = alarms.find((a) => String(a.Properties.AlarmDescription).startsWith('No hunt run succeeded'));
    expect(budget?.Properties.AlarmActions).toEqual(heartbeat?.Properties.AlarmActions);
    expect(budget?.Properties.OKActions).toEqual(heartbeat?.Properties.AlarmActions);
    expect(String(budget?.Properties.AlarmDescription)).toContain('80 % (400 query units)');

    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard')));
    expect(body).toContain(`MetricName=\\\\\\"${METRIC.huntQueryUnits}\\\\\\"`);
    expect(body).toContain('XSIAM query units per hunt per day');
    expect(body).toContain(`${STACK_DIMENSION}=\\\\\\"${stack.stackName}\\\\\\"`);
  });

  it('has no budget alarm without a known quota', () => {
    const { template } = synthHunt({});
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: { AlarmDescription?: string } }[];
    expect(alarms.some((a) => String(a.Properties.AlarmDescription).includes("daily XQL quota"))).toBe(false);
  });
});
