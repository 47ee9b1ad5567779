import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SampleDayError, sampleDay, writeSampleDayJsonl } from '../../local/sample-day/index.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
let dir: string | undefined;

afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('writeSampleDayJsonl', () => {
  it('writes one JSON row a line, in a folder it creates, equal to sampleDay', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sample-day-'));
    const path = join(dir, 'nested', 'day.jsonl');
    const written = await writeSampleDayJsonl(path, NOW, { seed: 3 });
    const text = await readFile(path, 'utf8');
    const parsed = text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(written).toBe(parsed.length);
    expect(parsed).toEqual(sampleDay(NOW, { seed: 3 }));
  });

  it('writes nothing when now is invalid', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sample-day-'));
    const path = join(dir, 'day.jsonl');
    await expect(writeSampleDayJsonl(path, Number.NaN)).rejects.toThrow(SampleDayError);
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
