/**
 * A hunt id's length limit in the store's keys (lambda/state/keys.ts), as the operator reads it in
 * the StateInputError a store throws: 200 characters are accepted, 201 are refused, saying why.
 * The local tool's file store checks its input as the DynamoDB store does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStateStore } from '../../local/adapters/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keys-surv-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('a hunt id in a key', () => {
  it('is accepted at 200 characters', async () => {
    expect(await new FileStateStore({ dir }).readCheckpoint('h'.repeat(200))).toBeNull();
  });

  it('is refused at 201 characters, with the limit in the message', async () => {
    const err = await new FileStateStore({ dir }).readCheckpoint('h'.repeat(201)).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ name: 'StateInputError', message: 'readCheckpoint: invalid input: huntId is longer than 200 characters' });
  });
});
