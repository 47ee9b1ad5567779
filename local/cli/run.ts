/**
 * `npm run hunt`: the whole hunt on this machine. By default the embedded XSIAM serves the
 * bundled sample day, the embedded state store dedupes across runs, and notifications are printed
 * as an analyst reads them. Run it twice: the second run reports the same pairs as repeats.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { defaultRunSettings, loadCliTenant } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST, createDetector } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { SAMPLE_DAY_MIN_AGE_MS, SAMPLE_DAY_SPAN_MS, sampleDay } from '../sample-day/index.js';
import { loadEventsJsonl, startLocalXsiam, type EventRow, type LocalXsiam } from '../xsiam/index.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import type { CredentialsProvider, Log, NotificationContext, Notifier } from '../../lambda/ports.js';
import { runHunt, type RunSummary } from '../../lambda/run/index.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { XsiamTargetEvidence } from '../../lambda/confirm/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import { formatSummary, toNotificationJson } from './run-output.js';
import { parseRunOptions, type RunOptions } from './run-options.js';
import { StaticCredentials, ConsoleNotifier, FileStateStore } from '../adapters/index.js';

export interface RunIo {
  readonly write: (text: string) => void;
  readonly error: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
}

export async function runLocalHunt(args: readonly string[], io: RunIo): Promise<number> {
  const options = parseRunOptions(args);
  const log = stderrLog(io.error);
  const tenant = loadCliTenant(io.env);
  const settings = { ...defaultRunSettings(), queryVariant: options.variant };
  let local: LocalXsiam | undefined;
  try {
    let credentials: CredentialsProvider;
    let window: TimeWindow;
    if (tenant) {
      io.error(`hunting the XSIAM tenant in ${'XSIAM_TENANT'}\n`);
      credentials = new StaticCredentials(tenant);
      window = { from: options.from ?? io.now() - settings.initialLookbackMs, to: options.to ?? io.now() - settings.ingestLagMs };
    } else {
      const { rows, span } = await loadEvents(options, io);
      const key = { keyId: '1', key: randomBytes(32).toString('hex') };
      local = await startLocalXsiam({ events: rows, credentials: key });
      credentials = new StaticCredentials({ tenant: local.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'advanced' });
      window = { from: options.from ?? span.from, to: options.to ?? span.to };
    }
    const notifier = makeNotifier(options, io, settings.stormLimit, log);
    const xql = createXsiamClient({ log });
    // The local XSIAM has every event already: the run's clock is set at least to the end of the
    // events plus the confirmation's follow window, so recent (or future-dated) launches are
    // checked on the target in full rather than coming out `unavailable`.
    const ahead = tenant ? 0 : Math.max(0, window.to + 6 * 60_000 - io.now());
    const clock = { now: (): number => io.now() + ahead };
    const summary = await runHunt({
      clock, log, credentials, xql,
      // The local XSIAM serves the target-side events and get_endpoint too.
      targetEvidence: new XsiamTargetEvidence({ client: xql }),
      detector: createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST }),
      state: new FileStateStore({ dir: options.stateDir }),
      notifier,
    }, {
      // The local XSIAM has every event already: no ingest lag holds back the target-side check.
      hunt: WMIC_REMOTE_EXEC, settings: tenant ? settings : { ...settings, ingestLagMs: 0 }, runId: randomUUID(), deadline: clock.now() + 10 * 60_000, window,
    });
    report(summary, options, io, {
      hunt: WMIC_REMOTE_EXEC, window: summary.window ?? window, runId: summary.runId,
      totals: { findings: summary.findings, newPairs: summary.newPairs, repeats: summary.repeats, suppressed: summary.suppressed },
    });
    return 0;
  } finally {
    await local?.close();
  }
}

/** The events to serve, and the window that covers them. */
async function loadEvents(options: RunOptions, io: RunIo): Promise<{ rows: readonly EventRow[]; span: TimeWindow }> {
  if (options.eventsFile) {
    const { rows, problems } = await loadEventsJsonl(options.eventsFile);
    for (const p of problems.slice(0, 20)) io.error(`${options.eventsFile}:${p.line}: skipped: ${p.problem}\n`);
    if (problems.length > 20) io.error(`... and ${problems.length - 20} more bad lines\n`);
    const times = rows.map((r) => Number(r._time)).filter(Number.isFinite);
    const span = times.length > 0
      ? { from: Math.min(...times), to: Math.max(...times) + 1 }
      : { from: io.now() - SAMPLE_DAY_SPAN_MS, to: io.now() };
    return { rows, span };
  }
  // The sample day is anchored at the first run's time and kept in the state folder, so later
  // runs hunt the very same events and show dedupe at work.
  const anchor = await sampleAnchor(options.stateDir, io.now());
  return { rows: sampleDay(anchor), span: { from: anchor - SAMPLE_DAY_SPAN_MS - SAMPLE_DAY_MIN_AGE_MS, to: anchor } };
}

async function sampleAnchor(stateDir: string, now: number): Promise<number> {
  const path = join(stateDir, 'sample-day.json');
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as { anchor?: unknown };
    if (typeof saved.anchor === 'number' && Number.isFinite(saved.anchor)) return saved.anchor;
  } catch {
    // First run (or an unreadable file): anchor a new sample day at now.
  }
  await mkdir(stateDir, { recursive: true });
  await writeFile(path, `${JSON.stringify({ anchor: now, note: 'sample day anchor for npm run hunt' })}\n`);
  return now;
}

function makeNotifier(options: RunOptions, io: RunIo, stormLimit: number, log: Log): Notifier {
  if (options.snsTopicArn) return new SnsNotifier({ client: new SNSClient({}), topicArn: options.snsTopicArn, stormLimit, log });
  return new ConsoleNotifier({ write: options.output === 'text' ? io.write : () => undefined, stormLimit });
}

function report(summary: RunSummary, options: RunOptions, io: RunIo, ctx: NotificationContext): void {
  if (options.output === 'json') {
    const { notifications, ...rest } = summary;
    io.write(`${JSON.stringify({ ...rest, notifications: notifications.map((f) => toNotificationJson(f, ctx)) }, null, 2)}\n`);
  } else {
    io.write(formatSummary(summary));
  }
}

/** Warnings and errors to stderr, one line each; stdout stays the product's output. */
function stderrLog(error: (text: string) => void): Log {
  const line = (level: string) => (message: string, extra?: Record<string, unknown>): void =>
    error(`[${level}] ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
  return { debug: () => undefined, info: () => undefined, warn: line('warn'), error: line('error') };
}
