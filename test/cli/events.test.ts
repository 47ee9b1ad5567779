import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED_XQL } from '../../lambda/hunts/wmic-remote-exec.js';
import { SAMPLE_DAY_MIN_AGE_MS, SAMPLE_DAY_SPAN_MS, sampleDay } from '../../local/sample-day/index.js';
import { parseXql, runXql } from '../../local/xql/index.js';
import { hunt, tempDir } from './harness.js';

const ANCHOR = Date.UTC(2026, 10, 20, 12);
const WINDOW = ['--from', String(ANCHOR - SAMPLE_DAY_SPAN_MS - SAMPLE_DAY_MIN_AGE_MS), '--to', String(ANCHOR)];
const rows = sampleDay(ANCHOR) as Record<string, unknown>[];

/** XSIAM's own time text: "2026-11-20 11:59:59.123 UTC". */
const xsiamTime = (ms: number): string => `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
const withTime = (r: Record<string, unknown>, f: (ms: number) => unknown) => ({ ...r, _time: f(r['_time'] as number) });

interface Doc { notifications: { source: string; target: string; severity: string; riskScore: number; eventIds: string[]; confirmation?: { status: string } | null }[]; rows: number; events: { fieldsShaped: number; format: string } }

async function huntFile(name: string, text: string): Promise<{ doc: Doc; stdout: string; stderr: string; code: number }> {
  const dir = tempDir('hunt-events-');
  const file = join(dir, name);
  writeFileSync(file, text);
  const json = await hunt(['--events', file, '--state', join(dir, 'state'), '--output', 'json', ...WINDOW]);
  const textRun = await hunt(['--events', file, '--state', join(dir, 'state2'), ...WINDOW]);
  return { doc: JSON.parse(json.stdout) as Doc, stdout: textRun.stdout, stderr: json.stderr, code: json.code };
}

const pairsOf = (doc: Doc) => doc.notifications
  .map((n) => `${n.source}→${n.target} ${n.severity} ${n.riskScore} ${[...n.eventIds].sort().join(',')}`).sort();

describe('--events: the shapes XSIAM exports', () => {
  // Ten CLI runs of the whole sample day in child processes: about 50 s on 2 busy cores.
  it('JSON array with ISO _time, XSIAM "… UTC" times and the hunt\'s fields shape all find what JSONL finds', async () => {
    const base = await huntFile('rows.jsonl', rows.map((r) => JSON.stringify(r)).join('\n'));
    expect(base.code).toBe(0);
    const expected = pairsOf(base.doc);
    expect(expected.length).toBeGreaterThan(5);

    const array = await huntFile('rows.json', JSON.stringify(rows.map((r) => withTime(r, (ms) => new Date(ms).toISOString()))));
    expect(array.doc.events.format).toBe('json-array');
    expect(pairsOf(array.doc)).toEqual(expected);

    const utc = await huntFile('utc.jsonl', rows.map((r) => JSON.stringify(withTime(r, xsiamTime))).join('\n'));
    expect(pairsOf(utc.doc)).toEqual(expected);

    // What the hunt's own query returns (its `fields` stage drops event_type, event_sub_type, agent_os_type)
    const hits = runXql(parseXql(SEED_XQL), rows).map((r) => withTime(r, xsiamTime));
    expect(hits[0]).not.toHaveProperty('event_type');
    const fields = await huntFile('fields.jsonl', hits.map((r) => JSON.stringify(r)).join('\n'));
    // The same rows in JSONL: the hunt's hits only (an export of them carries no target-side events,
    // so both runs judge the targets alike: the comparison is of the same rows, as the issue asks).
    const sameRows = await huntFile('hits.jsonl', hits.map((r) => JSON.stringify({
      ...r, event_type: 'PROCESS', event_sub_type: 'PROCESS_START', agent_os_type: 'AGENT_OS_WINDOWS',
    })).join('\n'));
    expect(pairsOf(fields.doc)).toEqual(pairsOf(sameRows.doc));
    // …and the same host pairs and events as the full export, except where the full export's
    // target-side evidence confirmed a pair (target.confirmed, +10) and so lifted it over the minimum.
    const pairOnly = (doc: Doc) => pairsOf(doc).map((p) => p.replace(/ \S+ \d+ /, ' '));
    expect(pairOnly(base.doc)).toEqual(expect.arrayContaining(pairOnly(fields.doc)));
    const lifted = base.doc.notifications.filter((n) => !fields.doc.notifications.some((f) => f.source === n.source && f.target === n.target));
    for (const n of lifted) expect(n.confirmation?.status, `${n.source}→${n.target}`).toBe('confirmed');
    expect(fields.doc.events.fieldsShaped).toBe(hits.length);
    expect(fields.stdout).toContain(`${hits.length} row(s) in the hunt's own fields shape: taken as already filtered by the hunt's query`);
  }, 180_000);

  it('reports bad lines with control characters made visible, and keeps the good rows', async () => {
    const good = rows.slice(0, 50).map((r) => JSON.stringify(r));
    const run = await huntFile('mixed.jsonl', [...good, '{"event_id": "x\u001b[31mRED\u0007', ...good.slice(0, 1)].join('\n'));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('mixed.jsonl:51: skipped: not valid JSON: {"event_id": "x[U+001B][31mRED[U+0007]');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.doc.rows).toBeGreaterThanOrEqual(0);
  });

  it('exits non-zero when no line could be read', async () => {
    const dir = tempDir('hunt-events-');
    const file = join(dir, 'export.csv');
    writeFileSync(file, '_time,agent_hostname\n1,WS-01\n');
    const { code, stdout, stderr } = await hunt(['--events', file, '--state', join(dir, 's')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/export\.csv:1: skipped: not valid JSON/);
    expect(stderr).toContain('no line of');
    expect(stderr).toContain('could be read as an xdr_data row (2 bad line(s))');
  });
});
