/**
 * `npm run hunt -- backfill --from T --to T`: hunt a past range in chunks, over the local XSIAM
 * (sample day or `--events`) or a real tenant. Prints the number of queries first and wants
 * `--yes` above `--max-queries`; progress per chunk on stderr; resumes after an interruption
 * (progress in the state store); dedupes and notifies like a run (`--shadow` counts instead);
 * never moves the scheduled checkpoint.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SNSClient } from '@aws-sdk/client-sns';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { DEFAULT_HUNT_ID, huntById } from '../../lambda/modules/index.js';
import { localHunts } from '../hunts/index.js';
import { QUERY_VARIANTS, type HuntDefinition, type QueryVariant } from '../../lambda/hunts/index.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import type { CredentialsProvider, Log, Notifier } from '../../lambda/ports.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { ConsoleNotifier, FileStateStore, StaticCredentials } from '../adapters/index.js';
import { sampleDay } from '../sample-day/index.js';
import { loadEventsJsonl, startLocalXsiam, type EventRow, type LocalXsiam } from '../xsiam/index.js';
import { backfillChunks, runBackfill, type BackfillResult } from './backfill-core.js';
import { progressReporter } from './progress.js';
import { UsageError } from './run-options.js';
import { readOrRefuse, RunRefusedError } from './errors.js';
import type { RunIo } from './run.js';
import { chooseSource, dataSourceJson, noRowsMessage, type EventsSource } from './tenant-source.js';
import { ObservedStore } from './observe.js';
import { classifyPairs } from './run-report.js';
import { toNotificationJson } from './run-output.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { markSampleMessages } from './sample-mark.js';

export const BACKFILL_USAGE = `usage: npm run hunt -- backfill --from T --to T [options]
  --from T --to T        the range to hunt (ISO 8601 or epoch ms), required
  --chunk-minutes N      longest window one query covers (default ${defaultRunSettings().maxWindowMs / 60_000})
  --max-queries N        above this many queries, --yes is required (default 20)
  --yes                  run even when the plan is above --max-queries
  --shadow               count what would be notified, send nothing (pairs stay new for a live run)
  --events FILE / --state DIR / --variant seed|broadened / --sns-topic ARN / --sample / --output text|json   as for run
Progress goes to stderr; run the same command again after an interruption to resume.`;

export interface BackfillIo extends RunIo {
  /** stderr is a terminal: draw a bar instead of one line per chunk. */
  readonly isTty?: boolean;
}

interface BackfillOptions {
  readonly from: number; readonly to: number; readonly chunkMs: number; readonly maxQueries: number; readonly yes: boolean;
  readonly shadow: boolean; readonly eventsFile: string | null; readonly stateDir: string; readonly variant: QueryVariant;
  readonly snsTopicArn: string | null; readonly output: 'text' | 'json'; readonly sample: boolean;
}

export async function runBackfillCommand(args: readonly string[], io: BackfillIo): Promise<number> {
  const options = parseBackfillOptions(args);
  const { tenant, source } = await chooseSource(options, io.env, io.error);
  const settings = { ...defaultRunSettings(), queryVariant: options.variant };
  const range = { from: options.from, to: options.to };
  const queries = backfillChunks(range, options.chunkMs).length;
  io.error(`backfill ${new Date(range.from).toISOString()} → ${new Date(range.to).toISOString()}: ${queries} quer${queries === 1 ? 'y' : 'ies'} (chunks of ${options.chunkMs / 60_000} min)${options.shadow ? ', shadow mode: nothing is sent' : ''}\n`);
  if (queries > options.maxQueries && !options.yes) {
    io.error(`hunt: ${queries} queries is more than --max-queries ${options.maxQueries}; add --yes to run them (each is one XSIAM query against the tenant's quota)\n`);
    return 2;
  }
  const log = stderrLog(io.error);
  let local: LocalXsiam | undefined;
  try {
    let credentials: CredentialsProvider;
    if (tenant) {
      io.error('hunting the XSIAM tenant in XSIAM_TENANT\n');
      credentials = new StaticCredentials(tenant);
    } else {
      const key = { keyId: '1', key: randomBytes(32).toString('hex') };
      local = await startLocalXsiam({ events: await localEvents(options), credentials: key });
      credentials = new StaticCredentials({ tenant: local.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'advanced' });
    }
    // A backfill re-hunts the default hunt (the flagship) over its range.
    const hunt = huntById(localHunts(), DEFAULT_HUNT_ID);
    const observed = new ObservedStore(new FileStateStore({ dir: options.stateDir }));
    const progress = progressReporter({ error: io.error, isTty: io.isTty === true, now: io.now });
    const result = await runBackfill({
      clock: { now: io.now }, log, credentials, xql: createXsiamClient({ log, allowLoopback: true }),
      detector: hunt.detector(DEFAULT_ALLOWLIST),
      state: observed.store, notifier: makeNotifier(options, source, io, settings.stormLimit, log),
    }, { hunt: hunt.card, settings, range, chunkMs: options.chunkMs, shadow: options.shadow, chunkDeadlineMs: 10 * 60_000 }, {
      onStart: (done, total) => progress.start(done, total), onChunk: (p) => progress.chunk(p),
    }).finally(() => progress.end());
    const would = options.shadow ? classifyPairs(observed.due.values(), result.notifications, settings.minSeverity).unsent : [];
    const noRows = result.ranChunks > 0 && result.rows === 0;
    const noRowsText = noRowsMessage(source, range, true);
    if (options.output === 'json') {
      io.write(`${JSON.stringify({ ...jsonOf(result, would, hunt.card), noRows, dataSource: dataSourceJson(source, range) }, null, 2)}\n`);
      if (noRows) io.error(`hunt: ${noRowsText}\n`);
    } else {
      io.write(`${formatBackfill(result)}${noRows ? `${noRowsText}\n` : ''}`);
    }
    return 0;
  } finally {
    await local?.close();
  }
}

function jsonOf(r: BackfillResult, wouldNotify: readonly TrackedFinding[], hunt: HuntDefinition): Record<string, unknown> {
  const { notifications, range, ...rest } = r;
  const ctx = { hunt, window: range, runId: 'backfill', totals: { findings: r.findings, newPairs: r.newPairs, repeats: r.repeats, suppressed: r.suppressed } };
  return {
    ...rest, range: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
    notifications: notifications.map((f) => ({ source: f.sourceHost, target: f.targetHost, severity: f.severity, riskScore: f.riskScore, fingerprint: f.fingerprint })),
    // Shadow mode: one entry per pair the backfill would have sent, with a notification's fields (run's `--output json`).
    wouldNotifyPairs: wouldNotify.map((f) => toNotificationJson(f, ctx)),
  };
}

function formatBackfill(r: BackfillResult): string {
  return [
    '', `── Backfill summary ──`,
    `chunks        ${r.ranChunks} run now, ${r.resumedChunks} done earlier, ${r.totalChunks} in all`,
    `rows          ${r.rows}`,
    `findings      ${r.findings}`,
    `new pairs     ${r.newPairs}  (recovered ${r.recovered}, repeats ${r.repeats})`,
    r.shadow ? `would notify  ${r.wouldNotify}  (shadow mode: nothing sent)` : `notified      ${r.notified} in ${r.messages} message(s)`,
    '',
  ].join('\n');
}

async function localEvents(options: BackfillOptions): Promise<readonly EventRow[]> {
  if (options.eventsFile) {
    const { rows, problems } = await readOrRefuse('--events', options.eventsFile, loadEventsJsonl);
    if (problems.length > 0) throw new RunRefusedError(`${options.eventsFile}: ${problems.length} bad line(s), first at line ${problems[0]?.line}: ${problems[0]?.problem}`);
    return rows;
  }
  // The sample day of `npm run hunt` (anchored in the state folder); without one there is nothing to backfill locally.
  try {
    const saved = JSON.parse(await readFile(join(options.stateDir, 'sample-day.json'), 'utf8')) as { anchor?: unknown };
    if (typeof saved.anchor === 'number') return sampleDay(saved.anchor);
  } catch {
    // fall through
  }
  throw new RunRefusedError(`no events: give --events FILE, set XSIAM_TENANT, or run \`npm run hunt -- --state ${options.stateDir}\` once to anchor the sample day`);
}

function makeNotifier(options: BackfillOptions, source: EventsSource, io: RunIo, stormLimit: number, log: Log): Notifier {
  if (options.snsTopicArn) {
    const client = source.kind === 'sample-day' ? markSampleMessages(new SNSClient({})) : new SNSClient({});
    return new SnsNotifier({ client, topicArn: options.snsTopicArn, stormLimit, log });
  }
  return new ConsoleNotifier({ write: options.output === 'text' ? io.write : () => undefined, stormLimit });
}

function stderrLog(error: (text: string) => void): Log {
  const line = (level: string) => (message: string, extra?: Record<string, unknown>): void =>
    error(`[${level}] ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
  return { debug: () => undefined, info: () => undefined, warn: line('warn'), error: line('error') };
}

export function parseBackfillOptions(args: readonly string[]): BackfillOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args], strict: true, allowPositionals: false,
      options: {
        from: { type: 'string' }, to: { type: 'string' }, 'chunk-minutes': { type: 'string' }, 'max-queries': { type: 'string' },
        yes: { type: 'boolean' }, shadow: { type: 'boolean' }, events: { type: 'string' }, state: { type: 'string' },
        variant: { type: 'string' }, 'sns-topic': { type: 'string' }, output: { type: 'string' }, sample: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.from === undefined || values.to === undefined) throw new UsageError('backfill needs --from and --to');
  const from = time('--from', values.from);
  const to = time('--to', values.to);
  if (from >= to) throw new UsageError('--from must be before --to');
  const chunkMinutes = whole('--chunk-minutes', values['chunk-minutes'], defaultRunSettings().maxWindowMs / 60_000, 1, 7 * 24 * 60);
  const maxQueries = whole('--max-queries', values['max-queries'], 20, 1, 100_000);
  const variant = values.variant ?? 'seed';
  if (!(QUERY_VARIANTS as readonly string[]).includes(variant)) throw new UsageError(`--variant must be one of ${QUERY_VARIANTS.join(', ')} (got "${variant}")`);
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json (got "${output}")`);
  const topic = values['sns-topic'] ?? null;
  if (topic !== null && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(topic)) throw new UsageError('--sns-topic must be an SNS topic ARN');
  return {
    from, to, chunkMs: chunkMinutes * 60_000, maxQueries, yes: values.yes === true, shadow: values.shadow === true,
    eventsFile: values.events ?? null, stateDir: values.state ?? '.hunt-state', variant: variant as QueryVariant, snsTopicArn: topic, output,
    sample: values.sample === true,
  };
}

function time(flag: string, value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} must be an ISO 8601 time or epoch milliseconds (got "${value.slice(0, 40)}")`);
  return ms;
}

function whole(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value.slice(0, 20)}")`);
  return Number(value);
}
