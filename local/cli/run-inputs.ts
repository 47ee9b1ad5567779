/** What a local run reads before it starts: the events, the allowlist, the API key file, the query count. */
import { readFile } from 'node:fs/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AllowlistError, DEFAULT_ALLOWLIST, loadAllowlist, type Allowlist } from '../../lambda/detect/index.js';
import type { TimeWindow } from '../../lambda/pipeline-types.js';
import { SAMPLE_DAY_MIN_AGE_MS, SAMPLE_DAY_SPAN_MS, sampleDay } from '../sample-day/index.js';
import type { EventRow } from '../xsiam/index.js';
import { EventsUnreadableError, RunRefusedError } from './errors.js';
import { loadEvents } from './events.js';
import { MAX_QUERIES_WITHOUT_YES, type RunOptions } from './run-options.js';
import type { EventsFacts } from './run-report.js';

/** Bad lines shown one by one; the rest are counted. */
const SHOWN_PROBLEMS = 20;

/** The environment with XSIAM_API_KEY read from XSIAM_API_KEY_FILE, so the key stays out of shell history. */
export async function tenantEnv(env: Readonly<Record<string, string | undefined>>): Promise<Record<string, string | undefined>> {
  const file = env['XSIAM_API_KEY_FILE']?.trim();
  if (!file) return { ...env };
  if (env['XSIAM_API_KEY']) throw new RunRefusedError('set either XSIAM_API_KEY_FILE or XSIAM_API_KEY, not both');
  try {
    return { ...env, XSIAM_API_KEY: (await readFile(file, 'utf8')).trim() };
  } catch (err) {
    // The path is the user's own; the file's content never appears in the message.
    throw new RunRefusedError(`XSIAM_API_KEY_FILE: cannot read ${file} (${(err as { code?: string }).code ?? 'error'})`);
  }
}

/** The bundled allowlist, or --allowlist FILE validated exactly like it (same loader, same messages). */
export async function loadAllowlistOption(file: string | null, now: number): Promise<{ allowlist: Allowlist; source: string }> {
  if (file === null) return { allowlist: DEFAULT_ALLOWLIST, source: 'bundled' };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? 'not valid JSON' : `cannot read it (${(err as { code?: string }).code ?? 'error'})`;
    throw new RunRefusedError(`--allowlist ${file}: ${why}`);
  }
  try {
    return { allowlist: loadAllowlist(json, now), source: file };
  } catch (err) {
    if (err instanceof AllowlistError) throw new RunRefusedError(`--allowlist ${file}: ${err.message}`);
    throw err;
  }
}

/** The number of queries a window takes; above the limit it needs --yes (said before anything runs). */
export function checkQueryCount(window: TimeWindow, maxWindowMs: number, yes: boolean): number {
  const queries = Math.max(1, Math.ceil((window.to - window.from) / maxWindowMs));
  if (queries > MAX_QUERIES_WITHOUT_YES && !yes) {
    throw new RunRefusedError(
      `this window (${new Date(window.from).toISOString()} → ${new Date(window.to).toISOString()}) needs ${queries.toLocaleString('en-US')} queries `
      + `of at most ${maxWindowMs / 3_600_000} hours each; add --yes to run them, or give a shorter --from/--to`);
  }
  return queries;
}

export interface LocalEvents {
  readonly rows: readonly EventRow[];
  readonly span: TimeWindow;
  readonly facts: EventsFacts | null;
}

/** The events to serve, and the window that covers them. */
export async function localEvents(options: RunOptions, io: { error: (text: string) => void; now: () => number }): Promise<LocalEvents> {
  if (options.eventsFile === null) {
    // The sample day is anchored at the first run's time and kept in the state folder, so later
    // runs hunt the very same events and show dedupe at work.
    const anchor = await sampleAnchor(options.stateDir, io.now());
    return { rows: sampleDay(anchor), span: { from: anchor - SAMPLE_DAY_SPAN_MS - SAMPLE_DAY_MIN_AGE_MS, to: anchor }, facts: null };
  }
  const file = options.eventsFile;
  let loaded;
  try {
    loaded = await loadEvents(file);
  } catch (err) {
    throw new RunRefusedError(`--events ${file}: cannot read it (${(err as { code?: string }).code ?? 'error'})`);
  }
  const { rows, problems } = loaded;
  for (const p of problems.slice(0, SHOWN_PROBLEMS)) io.error(`${file}:${p.line}: skipped: ${p.problem}\n`);
  if (problems.length > SHOWN_PROBLEMS) io.error(`... and ${problems.length - SHOWN_PROBLEMS} more bad lines\n`);
  if (rows.length === 0) {
    throw new EventsUnreadableError(problems.length > 0
      ? `no line of ${file} could be read as an xdr_data row (${problems.length} bad line(s)); see the format in README "Your own events"`
      : `${file} holds no events`);
  }
  if (loaded.withoutTime > 0) io.error(`${file}: ${loaded.withoutTime} row(s) have no readable _time (epoch ms, ISO 8601 or "YYYY-MM-DD HH:MM:SS.mmm UTC"): no window contains them\n`);
  const times = rows.map((r) => r['_time']).filter((t): t is number => typeof t === 'number');
  let from = Infinity;
  let to = -Infinity;
  for (const t of times) {
    from = Math.min(from, t);
    to = Math.max(to, t);
  }
  const span = times.length > 0 ? { from, to: to + 1 } : { from: io.now() - SAMPLE_DAY_SPAN_MS, to: io.now() };
  return {
    rows, span,
    facts: { file, format: loaded.format, rows: rows.length, badLines: problems.length, fieldsShaped: loaded.fieldsShaped },
  };
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
