/**
 * A hunt's test rows (`hunts/<ID>.test.jsonl`), run like rule tests: every row is an xdr_data
 * row with `_expect` (`{ "notified": true|false, "pairs"?: ["source → target", ...] }`), and the
 * whole file goes through the local XSIAM and the real run (query, detect, history, dedupe,
 * select, confirm, publish) in a scratch state. A row passes when it ends up in a notified
 * finding exactly when it should, and for pair hunts in exactly the pairs it names.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST } from '../../lambda/detect/index.js';
import type { HuntModule } from '../../lambda/modules/index.js';
import type { Log } from '../../lambda/ports.js';
import { runHunt } from '../../lambda/run/index.js';
import { createXsiamClient } from '../../lambda/xsiam/index.js';
import { ConsoleNotifier, FileStateStore, StaticCredentials } from '../adapters/index.js';
import { startLocalXsiam, type EventRow } from '../xsiam/index.js';

/** One test row's expectation. */
export interface RowExpectation {
  readonly notified: boolean;
  /** Pair hunts: the pairs (`source → target`, lower case) the row must be notified in. */
  readonly pairs?: readonly string[];
}

export interface TestRow {
  /** 1-based line of the test file. */
  readonly line: number;
  readonly row: EventRow;
  readonly expect: RowExpectation;
}

/** A failing row or an unreadable line: where, and what. */
export interface TestFailure {
  readonly line: number;
  readonly message: string;
}

/** Reads a test file; unreadable lines come back as failures (the others still run). */
export function parseTestRows(text: string): { readonly rows: TestRow[]; readonly failures: TestFailure[] } {
  const rows: TestRow[] = [];
  const failures: TestFailure[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      failures.push({ line, message: 'not valid JSON (one xdr_data row per line)' });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      failures.push({ line, message: 'not a JSON object (one xdr_data row per line)' });
      return;
    }
    const { _expect: expect, _source: _cited, ...fields } = value as Record<string, unknown>;
    const e = expect as Partial<RowExpectation> | undefined;
    if (e === null || typeof e !== 'object' || typeof e.notified !== 'boolean' || (e.pairs !== undefined && !(Array.isArray(e.pairs) && e.pairs.every((p) => typeof p === 'string')))) {
      failures.push({ line, message: '"_expect" must be { "notified": true|false, "pairs"?: ["source → target"] }' });
      return;
    }
    const time = rowTime(fields['_time']);
    if (time === null) {
      failures.push({ line, message: '"_time" must be epoch ms or an ISO 8601 time' });
      return;
    }
    if (typeof fields['event_id'] !== 'string' || fields['event_id'] === '') {
      failures.push({ line, message: '"event_id" must be a non-empty string (the verdict is read by event)' });
      return;
    }
    rows.push({ line, row: { ...fields, _time: time }, expect: { notified: e.notified, ...(e.pairs && { pairs: e.pairs.map((p) => p.toLowerCase()) }) } });
  });
  return { rows, failures };
}

/** `_time` of a test row: epoch ms, or an ISO 8601 time with its zone. */
function rowTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value)) return Date.parse(value);
  return null;
}

const QUIET: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Runs the rows through the local XSIAM and the hunt; the failures, each with its line. */
export async function runTestRows(hunt: HuntModule, rows: readonly TestRow[]): Promise<TestFailure[]> {
  if (rows.length === 0) return [];
  const times = rows.map((r) => r.row['_time'] as number);
  const window = { from: Math.min(...times), to: Math.max(...times) + 1 };
  const key = { keyId: '1', key: randomBytes(32).toString('hex') };
  const local = await startLocalXsiam({ events: rows.map((r) => r.row), credentials: key });
  const dir = mkdtempSync(join(tmpdir(), 'hunt-test-'));
  try {
    const client = createXsiamClient({ log: QUIET, allowLoopback: true });
    // The clock stands at least just past the rows (as the CLI's), so target-side confirmation sees all of them.
    const ahead = Math.max(0, window.to + 6 * 60_000 - Date.now());
    const clock = { now: () => Date.now() + ahead };
    const settings = { ...defaultRunSettings(), ingestLagMs: 0 };
    const summary = await runHunt({
      clock, log: QUIET, credentials: new StaticCredentials({ tenant: local.url, apiKeyId: key.keyId, apiKey: key.key, keyType: 'advanced' }),
      xql: client, detector: hunt.detector(DEFAULT_ALLOWLIST), state: new FileStateStore({ dir }),
      notifier: new ConsoleNotifier({ write: () => undefined, stormLimit: settings.stormLimit }),
      ...(hunt.evidence && { targetEvidence: hunt.evidence(client, QUIET) }),
    }, { hunt: hunt.card, settings, runId: 'card-test', deadline: clock.now() + 10 * 60_000, window });
    const pairsOf = new Map<string, Set<string>>();
    for (const f of summary.notifications) {
      for (const id of f.eventIds) {
        const set = pairsOf.get(id) ?? new Set<string>();
        set.add(`${f.sourceHost} → ${f.targetHost}`.toLowerCase());
        pairsOf.set(id, set);
      }
    }
    return rows.flatMap(({ line, row, expect }) => verdict(line, pairsOf.get(String(row['event_id'])), expect));
  } finally {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function verdict(line: number, pairs: Set<string> | undefined, expect: RowExpectation): TestFailure[] {
  const notified = pairs !== undefined;
  if (notified !== expect.notified) {
    return [{ line, message: expect.notified ? 'expected a notification, the hunt stayed quiet' : `expected no notification, the hunt notified ${[...pairs!].join(', ')}` }];
  }
  if (expect.pairs && notified) {
    const got = [...pairs!].sort();
    const want = [...expect.pairs].sort();
    if (got.join('\n') !== want.join('\n')) return [{ line, message: `expected the pairs ${want.join(', ')}, got ${got.join(', ')}` }];
  }
  return [];
}
