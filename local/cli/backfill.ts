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
import { defaultRunSettings, loadCliTenant } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import { DEFAULT_HUNT_ID, huntById } from '../../lambda/modules/index.js';
import { localHunts } from '../hunts/index.js';
import { QUERY_VARIANTS, type QueryVariant } from '../../lambda/hunts/index.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import type { CredentialsProvider, Log, Notifier } from '../../lambda/ports.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { ConsoleNotifier, FileStateStore, StaticCredentials } from '../adapters/index.js';
import { sampleDay } from '../sample-day/index.js';
import { loadEventsJsonl, startLocalXsiam, type EventRow, type LocalXsiam } from '../xsiam/index.js';
import { backfillChunks, runBackfill, type BackfillResult } from './backfill-core.js';
import { progressReporter } from './progress.js';
import { UsageError } from './run-options.js';
import type { RunIo } from './run.js';

export const BACKFILL_USAGE = `usage: npm run hunt -- backfill --from T --to T [options]
  --from T --to T        the range to hunt (ISO 8601 or epoch ms), required
  --chunk-minutes N      longest window one query covers (default ${defaultRunSettings().maxWindowMs / 60_000})
  --max-queries N        above this many queries, --yes is required (default 20)
  --yes                  run even when the plan is above --max-queries
  --shadow               count what would be notified, send nothing (pairs stay new for a live run)
  --events FILE / --state DIR / --variant seed|broadened / --sns-topic ARN / --output text|json   as for run
Progress goes to stderr; run the same command again after an interruption to resume.`;

export interface BackfillIo extends RunIo {
  /** stderr is a terminal: draw a bar instead of one line per chunk. */
  readonly isTty?: boolean;
}

interface BackfillOptions {
  readonly from: number; readonly to: number; readonly chunkMs: number; readonly maxQueries: number; readonly yes: boolean;
  readonly shadow: boolean; readonly eventsFile: string | null; readonly stateDir: string; readonly variant: QueryVariant;
  readonly snsTopicArn: string | null; readonly output: 'text' | 'json';
}

export async function runBackfillCommand(args: readonly string[], io: BackfillIo): Promise<number> {
  const options = parseBackfillOptions(args);
  const settings = { ...defaultRunSettings(), queryVariant: options.variant };
  const range = { from: options.from, to: options.to };
  const queries = backfillChunks(range, options.chunkMs).length;
  io.error(`backfill ${new Date(range.from).toISOString()} → ${new Date(range.to).toISOString()}: ${queries} quer${queries === 1 ? 'y' : 'ies'} (chunks of ${options.chunkMs / 60_000} min)${options.shadow ? ', shadow mode: nothing is sent' : ''}\n`);
  if (queries > options.maxQueries && !options.yes) {
    io.error(`hunt: ${queries} queries is more than --max-queries ${options.maxQueries}; add --yes to run them (each is one XSIAM query against the tenant's quota)\n`);
    return 2;
  }
  const log = stderrLog(io.error);
  const tenant = loadCliTenant(io.env);
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
    const progress = progressReporter({ error: io.error, isTty: io.isTty === true, now: io.now });
    const result = await runBackfill({
      clock: { now: io.now }, log, credentials, xql: createXsiamClient({ log }),
      detector: hunt.detector(DEFAULT_ALLOWLIST),
      state: new FileStateStore({ dir: options.stateDir }), notifier: makeNotifier(options, io, settings.stormLimit, log),
    }, { hunt: hunt.card, settings, range, chunkMs: options.chunkMs, shadow: options.shadow, chunkDeadlineMs: 10 * 60_000 }, {
      onStart: (done, total) => progress.start(done, total), onChunk: (p) => progress.chunk(p),
    }).finally(() => progress.end());
    io.write(options.output === 'json' ? `${JSON.stringify(jsonOf(result), null, 2)}\n` : formatBackfill(result));
    return 0;
  } finally {
    await local?.close();
  }
}

function jsonOf(r: BackfillResult): Record<string, unknown> {
  const { notifications, range, ...rest } = r;
  return {
    ...rest, range: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
    notifications: notifications.map((f) => ({ source: f.sourceHost, target: f.targetHost, severity: f.severity, riskScore: f.riskScore, fingerprint: f.fingerprint })),
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
    const { rows, problems } = await loadEventsJsonl(options.eventsFile);
    if (problems.length > 0) throw new UsageError(`${options.eventsFile}: ${problems.length} bad line(s), first at line ${problems[0]?.line}: ${problems[0]?.problem}`);
    return rows;
  }
  // The sample day of `npm run hunt` (anchored in the state folder); without one there is nothing to backfill locally.
  try {
    const saved = JSON.parse(await readFile(join(options.stateDir, 'sample-day.json'), 'utf8')) as { anchor?: unknown };
    if (typeof saved.anchor === 'number') return sampleDay(saved.anchor);
  } catch {
    // fall through
  }
  throw new UsageError(`no events: give --events FILE, set XSIAM_TENANT, or run \`npm run hunt -- --state ${options.stateDir}\` once to anchor the sample day`);
}

function makeNotifier(options: BackfillOptions, io: RunIo, stormLimit: number, log: Log): Notifier {
  if (options.snsTopicArn) return new SnsNotifier({ client: new SNSClient({}), topicArn: options.snsTopicArn, stormLimit, log });
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
        variant: { type: 'string' }, 'sns-topic': { type: 'string' }, output: { type: 'string' },
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
