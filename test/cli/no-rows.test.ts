/**
 * Issue 18 §8: a run or backfill that read no rows says so, and where the data was (the source
 * and the range queried), in text and in `--output json` (`noRows`, `dataSource`).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsFile, hunt, tempDir, wmicRow } from './harness.js';

const T = Date.UTC(2026, 0, 5, 10);

/** One events file with a single wmic launch at T. */
const oneLaunch = (): { dir: string; file: string } => eventsFile([wmicRow(T, 'wmic /node:db01 process call create calc.exe')]);

/** A day before the only event: nothing to read there. */
const EMPTY = ['--from', new Date(T - 86_400_000).toISOString(), '--to', new Date(T - 82_800_000).toISOString()];

describe('a run that read no rows', () => {
  it('says so in text, naming the events file and the range queried', async () => {
    const { dir, file } = oneLaunch();
    const r = await hunt(['--events', file, '--state', join(dir, 's'), ...EMPTY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`No rows were read: the events file ${file} returned nothing for 2026-01-04T10:00:00.000Z → 2026-01-04T11:00:00.000Z; check --from/--to`);
  });

  it('says so in JSON: noRows and dataSource, and once on stderr', async () => {
    const { dir, file } = oneLaunch();
    const r = await hunt(['--events', file, '--state', join(dir, 's'), '--output', 'json', ...EMPTY]);
    const doc = JSON.parse(r.stdout) as { rows: number; noRows: boolean; dataSource: unknown };
    expect(doc).toMatchObject({ rows: 0, noRows: true, dataSource: { kind: 'events-file', location: file, queried: { from: '2026-01-04T10:00:00.000Z', to: '2026-01-04T11:00:00.000Z' } } });
    expect(r.stderr.match(/No rows were read/g)).toHaveLength(1);
  });

  it('a run that read rows says noRows false and where they came from', async () => {
    const r = await hunt(['--state', tempDir(), '--output', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ noRows: false, dataSource: { kind: 'sample-day', location: 'bundled' } });
    expect(r.stderr).not.toContain('No rows were read');
  });
});

describe('a backfill that read no rows', () => {
  it('says so in text and JSON', async () => {
    const { dir, file } = oneLaunch();
    const text = await hunt(['backfill', '--events', file, '--state', join(dir, 'a'), ...EMPTY]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`No rows were read: the events file ${file} returned nothing for 2026-01-04T10:00:00.000Z → 2026-01-04T11:00:00.000Z`);
    const json = await hunt(['backfill', '--events', file, '--state', join(dir, 'b'), '--output', 'json', ...EMPTY]);
    expect(JSON.parse(json.stdout)).toMatchObject({ rows: 0, noRows: true, dataSource: { kind: 'events-file', location: file } });
  });
});
