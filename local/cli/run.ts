/**
 * `npm run hunt`: the whole hunt on this machine. By default the embedded XSIAM serves the
 * bundled sample day, the embedded state store dedupes across runs, and the run ends with a
 * triage table (most urgent pair first) and a summary that is true about what was held back.
 * Run it twice: the second run reports the same pairs as repeats.
 * Everything is printed after the run committed, so a reader that stops early (`| head`) never
 * leaves pairs half-done.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { defaultRunSettings, loadCliTenant } from '../../lambda/config.js';
import { createDetector } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import type { CredentialsProvider, Log, NotificationContext, Notifier, RunSettings } from '../../lambda/ports.js';
import { runHunt, type RunSummary } from '../../lambda/run/index.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { XsiamTargetEvidence } from '../../lambda/confirm/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import { startLocalXsiam, type LocalXsiam } from '../xsiam/index.js';
import { seedSampleHistory } from './sample-history.js';
import { StaticCredentials, ConsoleNotifier, FileStateStore } from '../adapters/index.js';
import { errorDocument, runDocument } from './run-json.js';
import { formatSummary } from './run-output.js';
import { parseRunOptions, type RunOptions } from './run-options.js';
import { classifyPairs, type RunFacts, type RunPairs } from './run-report.js';
import { formatTriage } from './run-text.js';
import { ObservedStore, ProgressXql } from './observe.js';
import { checkQueryCount, loadAllowlistOption, localEvents, tenantEnv } from './run-inputs.js';
import { describeError, RunRefusedError } from './errors.js';
import { publishCause } from './publish-errors.js';

export interface RunIo {
  readonly write: (text: string) => void;
  readonly error: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
}

export async function runLocalHunt(args: readonly string[], io: RunIo): Promise<number> {
  const options = parseRunOptions(args, io.now());
  const log = stderrLog(io.error);
  const tenant = loadCliTenant(await tenantEnv(io.env));
  const allowlist = await loadAllowlistOption(options.allowlistFile, io.now());
  const settings: RunSettings = {
    ...defaultRunSettings(), queryVariant: options.variant, ...(options.minSeverity !== null && { minSeverity: options.minSeverity }),
  };
  let local: LocalXsiam | undefined;
  let facts: RunFacts = {
    variant: settings.queryVariant, minSeverity: settings.minSeverity, allowlistSource: allowlist.source,
    allowlistEntries: allowlist.allowlist.entries.length, events: null, sink: options.snsTopicArn ?? 'the console',
  };
  const store = new FileStateStore({ dir: options.stateDir, onTakeover: (note) => io.error(`hunt: ${note}\n`) });
  const observed = new ObservedStore(store);
  const consoleMessages: string[] = [];
  try {
    let credentials: CredentialsProvider;
    let window: TimeWindow;
    if (tenant) {
      io.error(`hunting the XSIAM tenant in ${'XSIAM_TENANT'}\n`);
      credentials = new StaticCredentials(tenant);
      window = { from: options.from ?? io.now() - settings.initialLookbackMs, to: options.to ?? io.now() - settings.ingestLagMs };
    } else {
      const events = await localEvents(options, io);
      facts = { ...facts, events: events.facts };
      // The default sample day comes with two weeks of the admins' routine as history (local/cli/sample-history.ts).
      if (events.facts === null) await seedSampleHistory(store, WMIC_REMOTE_EXEC, settings, events.span.to, io.now());
      const key = { keyId: '1', key: randomBytes(32).toString('hex') };
      local = await startLocalXsiam({ events: events.rows, credentials: key });
      credentials = new StaticCredentials({ tenant: local.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'advanced' });
      window = { from: options.from ?? events.span.from, to: options.to ?? events.span.to };
    }
    const queries = checkQueryCount(window, settings.maxWindowMs, options.yes);
    const runId = randomUUID();
    const ctx = (w: TimeWindow, s?: RunSummary): NotificationContext => ({
      hunt: WMIC_REMOTE_EXEC, window: w, runId,
      totals: { findings: s?.findings ?? 0, newPairs: s?.newPairs ?? 0, repeats: s?.repeats ?? 0, suppressed: s?.suppressed ?? 0 },
    });
    const client = createXsiamClient({ log });
    const progress = new ProgressXql(client, queries, io.error);
    // The local XSIAM has every event already: the run's clock is set at least to the end of the
    // events plus the confirmation's follow window, and no ingest lag holds the target-side check
    // back, so recent (or future-dated) launches are checked on the target in full rather than
    // coming out `unavailable`.
    const ahead = tenant ? 0 : Math.max(0, window.to + 6 * 60_000 - io.now());
    const clock = { now: (): number => io.now() + ahead };
    const ports = {
      clock, log, credentials, xql: progress,
      // The local XSIAM serves the target-side events and get_endpoint too.
      targetEvidence: new XsiamTargetEvidence({ client }),
      detector: createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: allowlist.allowlist }),
      state: observed.store,
      notifier: makeNotifier(options, settings.stormLimit, log, (text) => consoleMessages.push(text)),
    };
    const runSettings = tenant ? settings : { ...settings, ingestLagMs: 0 };
    const request = { hunt: WMIC_REMOTE_EXEC, settings: runSettings, runId, deadline: clock.now() + 10 * 60_000, shadow: options.shadow };
    let summary: RunSummary;
    try {
      summary = await runHunt(ports, { ...request, window });
    } catch (err) {
      const cause = publishCause(err);
      if (cause === null) throw err;
      // A refused publish stops a run at its chunk. The local run goes on with the rest of the
      // window (a window run moves no checkpoint; refused pairs stay PENDING), so the user
      // sees every finding, not just those before the first refusal.
      for (let cursor = progress.lastWindow?.to ?? window.to; cursor < window.to;) {
        try {
          await runHunt(ports, { ...request, window: { from: cursor, to: window.to } });
          break;
        } catch (again) {
          if (publishCause(again) === null) throw again;
          const next = progress.lastWindow?.to ?? window.to;
          if (next <= cursor) break;
          cursor = next;
        }
      }
      const pairs = classifyPairs(observed.due.values(), observed.notifiedPairs(), settings.minSeverity);
      if (options.output === 'json') {
        io.write(`${JSON.stringify(errorDocument(describeError(err), facts, pairs, ctx(window)), null, 2)}\n`);
      } else {
        io.write(formatTriage(pairs, options.show, settings.minSeverity));
      }
      io.error(`hunt: ${pairs.unsent.length} notification(s) were not sent: ${cause}. They stay PENDING; the next run sends them.\n`);
      return 1;
    }
    if (summary.status === 'lease-held') throw new RunRefusedError(await leaseHeldMessage(store));
    const pairs = classifyPairs(observed.due.values(), summary.notifications, settings.minSeverity);
    report(summary, pairs, facts, options, io, ctx(summary.window ?? window, summary), consoleMessages);
    return 0;
  } finally {
    await local?.close();
  }
}

async function leaseHeldMessage(store: FileStateStore): Promise<string> {
  const lease = await store.describeLease(WMIC_REMOTE_EXEC.id).catch(() => null);
  const who = lease?.pid ? `process ${lease.pid}${lease.host ? ` on ${lease.host}` : ''}` : 'another run';
  const until = lease ? ` until ${new Date(lease.until).toISOString()}` : '';
  return `another local run (${who}) holds the run lease of ${store.path}${until}: wait for it to finish, or use another --state folder`;
}

function makeNotifier(options: RunOptions, stormLimit: number, log: Log, keep: (text: string) => void): Notifier {
  if (options.snsTopicArn) return new SnsNotifier({ client: new SNSClient({}), topicArn: options.snsTopicArn, stormLimit, log });
  return new ConsoleNotifier({ write: keep, stormLimit });
}

function report(summary: RunSummary, pairs: RunPairs, facts: RunFacts, options: RunOptions, io: RunIo,
  ctx: NotificationContext, messages: readonly string[]): void {
  if (options.output === 'json') {
    io.write(`${JSON.stringify(runDocument(summary, pairs, facts, ctx), null, 2)}\n`);
    return;
  }
  io.write(formatTriage(pairs, options.show, facts.minSeverity));
  if (options.details && messages.length > 0) io.write(`\n${messages.join('')}`);
  else if (messages.length > 0) io.write('\nEach notification in full (what ran, response actions, drill-down XQL): add --details\n');
  io.write(formatSummary(summary, pairs, facts));
}

/** Warnings and errors to stderr, one line each; stdout stays the product's output. */
function stderrLog(error: (text: string) => void): Log {
  const line = (level: string) => (message: string, extra?: Record<string, unknown>): void =>
    error(`[${level}] ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
  return { debug: () => undefined, info: () => undefined, warn: line('warn'), error: line('error') };
}
