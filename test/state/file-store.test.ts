import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateBackendError, StateCorruptError, checkpointKey } from '../../lambda/state/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding, makeFindings } from '../fixtures/state/findings.js';
import { stateStoreContract } from './contract.js';
import { progressContract } from './progress-contract.js';
import { FileStateStore } from '../../local/adapters/index.js';

const WINDOW = 7 * DAY;
let root: string;
let shared: FileStateStore;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hunt-state-'));
  shared = new FileStateStore({ dir: join(root, 'shared') });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('FileStateStore contract', () => {
  stateStoreContract(() => shared);
  progressContract(() => shared);
});

describe('FileStateStore', () => {
  const freshDir = async (): Promise<string> => mkdtemp(join(root, 'case-'));

  it('dedupes across store instances (runs of the local CLI)', async () => {
    const dir = await freshDir();
    const hunt = freshHuntId();
    const f = makeFinding(hunt, 1);
    await new FileStateStore({ dir }).recordFindings([f], T0, WINDOW);
    await new FileStateStore({ dir }).markNotified(hunt, [f.fingerprint], T0);
    const next = await new FileStateStore({ dir }).recordFindings([f], T0 + MINUTE, WINDOW);
    expect(next.repeats.map((r) => r.fingerprint)).toEqual([f.fingerprint]);
  });

  it('does not rewrite the file when a re-record changes nothing', async () => {
    const dir = await freshDir();
    const store = new FileStateStore({ dir });
    const findings = makeFindings(freshHuntId(), 5);
    await store.recordFindings(findings, T0, WINDOW);
    const before = await stat(store.path);
    const again = await store.recordFindings(findings, T0 + MINUTE, WINDOW);
    const after = await stat(store.path);
    expect(again.pending).toHaveLength(5);
    // The atomic write replaces the file (a new inode); the same inode means no write happened.
    expect(after.ino).toBe(before.ino);
    await store.recordFindings([{ ...findings[0]!, eventIds: ['another'] }], T0 + 2 * MINUTE, WINDOW);
    expect((await stat(store.path)).ino).not.toBe(before.ino);
  });

  it('leaves no temp or lock file behind', async () => {
    const dir = await freshDir();
    const store = new FileStateStore({ dir });
    await store.recordFindings(makeFindings(freshHuntId(), 3), T0, WINDOW);
    await store.acquireLease('h', 'run', T0, MINUTE);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('lets two stores on one directory claim a new pair exactly once', async () => {
    const dir = await freshDir();
    const f = makeFinding(freshHuntId(), 1);
    const [a, b] = await Promise.all([
      new FileStateStore({ dir }).recordFindings([f], T0, WINDOW),
      new FileStateStore({ dir }).recordFindings([f], T0, WINDOW),
    ]);
    expect(a.created.length + b.created.length).toBe(1);
    expect(a.pending.length + b.pending.length).toBe(1);
  });

  it('reports a state file that is not JSON', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'state.json'), '{"format": "hunt-state/1", "items": {');
    const err = await new FileStateStore({ dir }).readCheckpoint('h').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateCorruptError);
    expect((err as StateCorruptError).cause).toBeInstanceOf(SyntaxError);
  });

  it('reports a JSON file that is not a state file, and leaves it untouched', async () => {
    const dir = await freshDir();
    const foreign = JSON.stringify({ hello: 'world' });
    await writeFile(join(dir, 'state.json'), foreign);
    const store = new FileStateStore({ dir });
    await expect(store.recordFindings([makeFinding('h', 1)], T0, WINDOW)).rejects.toThrow(/not a hunt-state\/1 state file/);
    await writeFile(join(dir, 'state.json'), JSON.stringify({ format: 'hunt-state/1', items: { x: 3 } }));
    await expect(store.acquireLease('h', 'run', T0, MINUTE)).rejects.toThrow(StateCorruptError);
    await writeFile(join(dir, 'state.json'), foreign);
    await expect(store.markNotified('h', ['x'], T0)).rejects.toThrow(StateCorruptError);
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe(foreign);
  });

  it('reports a checkpoint item without numeric version instead of treating it as absent', async () => {
    const dir = await freshDir();
    const items = { [checkpointKey('h')]: { pk: checkpointKey('h'), coveredUntil: 'yesterday', version: 1 } };
    await writeFile(join(dir, 'state.json'), JSON.stringify({ format: 'hunt-state/1', items }));
    await expect(new FileStateStore({ dir }).readCheckpoint('h')).rejects.toThrow(StateCorruptError);
  });

  it('turns a directory it cannot create into a StateBackendError', async () => {
    const file = join(root, 'plain-file');
    await writeFile(file, 'x');
    const err = await new FileStateStore({ dir: join(file, 'sub') }).readCheckpoint('h').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateBackendError);
    expect((err as StateBackendError).code).toBe('ENOTDIR');
    expect((err as StateBackendError).cause).toBeDefined();
  });

  it('rejects an empty directory option', () => {
    expect(() => new FileStateStore({ dir: '' })).toThrow(/dir/);
  });

  it('keeps working after a failed call on the same instance', async () => {
    const dir = await freshDir();
    const store = new FileStateStore({ dir });
    await writeFile(join(dir, 'state.json'), 'garbage');
    await expect(store.readCheckpoint('h')).rejects.toThrow(StateCorruptError);
    await rm(join(dir, 'state.json'));
    expect(await store.acquireLease('h', 'run', T0, MINUTE)).toBe(true);
  });
});
