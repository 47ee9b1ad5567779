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
import { defaultRunSettings } from '../../lambda/config.js';
import { huntById, type HuntModule } from '../../lambda/modules/index.js';
import { SnsNotifier } from '../../lambda/notify/index.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import type { CredentialsProvider, Log, NotificationContext, Notifier, RunSettings } from '../../lambda/ports.js';
import { runHunt, type RunSummary } from '../../lambda/run/index.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { withQuerySlots } from '../../lambda/query-slots/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import { startLocalXsiam, type LocalXsiam } from '../xsiam/index.js';
import { seedSampleHistory } from './sample-history.js';
import { StaticCredentials, ConsoleNotifier, FileStateStore, MemoryQuerySlots } from '../adapters/index.js';
import { errorDocument, runDocument } from './run-json.js';
import { formatSummary } from './run-output.js';
import { parseRunOptions, type RunOptions } from './run-options.js';
import { classifyPairs, type RunFacts } from './run-report.js';
import { formatTriage } from './run-text.js';
import { ObservedStore, ProgressXql } from './observe.js';
import { checkQueryCount, loadAllowlistOption, localEvents } from './run-inputs.js';
import { chooseSource, dataSourceJson, noRowsMessage, type EventsSource } from './tenant-source.js';
import { markSampleMessages } from './sample-mark.js';
import { describeError, RunRefusedError } from './errors.js';
import { publishCause } from './publish-errors.js';
import { localHunts } from '../hunts/index.js';
import { manyHuntsDocument, type HuntRun } from './run-many.js';

export interface RunIo {
  readonly write: (text: string) => void;
  readonly error: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
}

export async function runLocalHunt(args: readonly string[], io: RunIo): Promise<number> {
  const options = parseRunOptions(args, io.now());
  const all = localHunts();
  const hunts: HuntModule[] = options.hunt === null ? all : [huntById(all, options.hunt)];
  const log = stderrLog(io.error);
  const { tenant, source } = await chooseSource(options, io.env, io.error);
  const allowlist = await loadAllowlistOption(options.allowlistFile, io.now());
  const settings: RunSettings = {
    ...defaultRunSettings(), queryVariant: options.variant, ...(options.minSeverity !== null && { minSeverity: options.minSeverity }),
  };
  let local: LocalXsiam | undefined;
  let facts: RunFacts = {
    variant: settings.queryVariant, minSeverity: settings.minSeverity, allowlistSource: allowlist.source,
    allowlistEntries: allowlist.allowlist.entries.length, events: null,
    shadow: options.shadow,
    sink: options.snsTopicArn === null ? 'the console' : `${options.snsTopicArn}${source.kind === 'sample-day' ? ' (marked SAMPLE)' : ''}`,
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
      if (events.facts === null) {
        for (const h of hunts) await seedSampleHistory(store, h.card, settings, events.span.to, io.now(), h.detector(DEFAULT_ALLOWLIST));
      }
      const key = { keyId: '1', key: randomBytes(32).toString('hex') };
      local = await startLocalXsiam({ events: events.rows, credentials: key });
      credentials = new StaticCredentials({ tenant: local.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'advanced' });
      window = { from: options.from ?? events.span.from, to: options.to ?? events.span.to };
    }
    const queries = checkQueryCount(window, settings.maxWindowMs, options.yes);
    const runId = randomUUID();
    // The same query slots as on AWS, in memory: a run against a real tenant holds at most three.
    const client = withQuerySlots(createXsiamClient({ log, allowLoopback: true }), {
      slots: new MemoryQuerySlots(), now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), log,
    });
    const runs: HuntRun[] = [];
    for (const hunt of hunts) {
      // Progress counts each hunt's own queries (query 1/5 … per hunt).
      const progress = new ProgressXql(client, queries, io.error);
      const ctx = (w: TimeWindow, s?: RunSummary): NotificationContext => ({
      hunt: hunt.card, window: w, runId,
      totals: { findings: s?.findings ?? 0, newPairs: s?.newPairs ?? 0, repeats: s?.repeats ?? 0, suppressed: s?.suppressed ?? 0 },
    });
    // The local XSIAM has every event already: the run's clock is set at least to the end of the
    // events plus the confirmation's follow window, and no ingest lag holds the target-side check
    // back, so recent (or future-dated) launches are checked on the target in full rather than
    // coming out `unavailable`.
    const ahead = tenant ? 0 : Math.max(0, window.to + 6 * 60_000 - io.now());
    const clock = { now: (): number => io.now() + ahead };
    const ports = {
      clock, log, credentials, xql: progress,
      // The local XSIAM serves the target-side events and get_endpoint too.
      ...(hunt.evidence && { targetEvidence: hunt.evidence(client, log) }),
      detector: hunt.detector(allowlist.allowlist),
      ...(hunt.pairJoin && { pairJoin: hunt.pairJoin }),
      state: observed.store,
      notifier: makeNotifier(options, source, settings.stormLimit, log, (text) => consoleMessages.push(text)),
    };
    const runSettings = tenant ? settings : { ...settings, ingestLagMs: 0 };
    const request = { hunt: hunt.card, settings: runSettings, runId, deadline: clock.now() + 10 * 60_000, shadow: options.shadow };
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
      const pairs = classifyPairs(dueOf(observed, hunt), observed.notifiedPairs().filter((f) => f.huntId === hunt.card.id), settings.minSeverity);
      if (options.output === 'json') {
        io.write(`${JSON.stringify(errorDocument(describeError(err), facts, pairs, ctx(window)), null, 2)}\n`);
      } else {
        io.write(formatTriage(pairs, options.show, settings.minSeverity));
      }
      io.error(`hunt: ${pairs.unsent.length} notification(s) were not sent: ${cause}. They stay PENDING; the next run sends them.\n`);
      return 1;
    }
    if (summary.status === 'lease-held') throw new RunRefusedError(await leaseHeldMessage(store, hunt.card.id));
    // due pairs as the target check left them: the same score whatever the minimum severity
    for (const f of summary.checked) observed.due.set(f.fingerprint, f);
    const pairs = classifyPairs(dueOf(observed, hunt), summary.notifications, settings.minSeverity);
    runs.push({ summary, pairs, ctx: ctx(summary.window ?? window, summary), messages: consoleMessages.splice(0) });
    }
    report(runs, facts, options, io, source, window);
    return 0;
  } finally {
    await local?.close();
  }
}

/** The pairs of one hunt the store judged due in this run. */
function dueOf(observed: ObservedStore, hunt: HuntModule): TrackedFinding[] {
  return [...observed.due.values()].filter((f) => f.huntId === hunt.card.id);
}

async function leaseHeldMessage(store: FileStateStore, huntId: string): Promise<string> {
  const lease = await store.describeLease(huntId).catch(() => null);
  const who = lease?.pid ? `process ${lease.pid}${lease.host ? ` on ${lease.host}` : ''}` : 'another run';
  const until = lease ? ` until ${new Date(lease.until).toISOString()}` : '';
  return `another local run (${who}) holds the run lease of ${store.path}${until}: wait for it to finish, or use another --state folder`;
}

function makeNotifier(options: RunOptions, source: EventsSource, stormLimit: number, log: Log, keep: (text: string) => void): Notifier {
  if (options.snsTopicArn) {
    const client = source.kind === 'sample-day' ? markSampleMessages(new SNSClient({})) : new SNSClient({});
    return new SnsNotifier({ client, topicArn: options.snsTopicArn, stormLimit, log });
  }
  return new ConsoleNotifier({ write: keep, stormLimit });
}

/**
 * Every hunt's triage and summary, or one JSON document for all. The first hunt (the flagship) is
 * printed as a single-hunt run prints it, its summary last; the other hunts come between its
 * triage and its summary, a hunt that found nothing in one line.
 */
function report(runs: readonly HuntRun[], facts: RunFacts, options: RunOptions, io: RunIo, source: EventsSource, queried: TimeWindow): void {
  // A run that queried and read nothing says so, with where the data was: an empty answer is not "all clear".
  const window = runs[0]?.ctx.window ?? queried;
  const noRows = runs.some((r) => r.summary.chunks > 0) && runs.every((r) => r.summary.rows === 0);
  const noRowsText = noRowsMessage(source, window, options.from !== null || options.to !== null);
  if (options.output === 'json') {
    const doc = manyHuntsDocument(runs.map((r) => ({ ...r, document: runDocument(r.summary, r.pairs, facts, r.ctx) })));
    io.write(`${JSON.stringify({ ...doc, noRows, dataSource: dataSourceJson(source, window) }, null, 2)}\n`);
    if (noRows) io.error(`hunt: ${noRowsText}\n`);
    return;
  }
  const [first, ...others] = runs;
  if (first === undefined) return;
  const triage = (run: HuntRun): void => {
    io.write(formatTriage(run.pairs, options.show, facts.minSeverity, options.shadow));
    if (options.details && run.messages.length > 0) io.write(`\n${run.messages.join('')}`);
    else if (run.messages.length > 0) io.write('\nEach notification in full (what ran, response actions, drill-down XQL): add --details\n');
  };
  triage(first);
  const quiet: string[] = [];
  for (const run of others) {
    if (run.summary.findings === 0) {
      quiet.push(run.ctx.hunt.id);
      continue;
    }
    io.write(`\n══ ${run.ctx.hunt.id}: ${run.ctx.hunt.title} ══\n`);
    triage(run);
    io.write(formatSummary(run.summary, run.pairs, facts));
  }
  if (quiet.length > 0) io.write(`\nAlso hunted, nothing found: ${quiet.join(', ')}\n`);
  io.write(formatSummary(first.summary, first.pairs, facts));
  if (noRows) io.write(`${noRowsText}\n`);
}

/** Warnings and errors to stderr, one line each; stdout stays the product's output. */
function stderrLog(error: (text: string) => void): Log {
  const line = (level: string) => (message: string, extra?: Record<string, unknown>): void =>
    error(`[${level}] ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
  return { debug: () => undefined, info: () => undefined, warn: line('warn'), error: line('error') };
}
