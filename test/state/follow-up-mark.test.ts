/**
 * The late-evidence follow-up mark as the run reads it (readSentNotice, via recordFindings'
 * repeats) must agree with what the store lets a run claim (claimFollowUps): a pair the run
 * reads as "no follow-up yet" is re-checked against the target and takes one of the storm
 * limit's follow-up slots, so a mark the claim refuses must not read as "none".
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpDue } from '../../lambda/run/stages/confirm.js';
import { findingKey } from '../../lambda/state/keys.js';
import { readSentNotice } from '../../lambda/state/dedupe.js';
import { FileStateStore } from '../../local/adapters/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding } from '../fixtures/state/findings.js';

const WINDOW = 7 * DAY;
const HORIZON = 60 * MINUTE;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hunt-follow-up-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A pair notified `not-seen` at T0 in a fresh file store; `edit` then changes its stored item by hand. */
async function notifiedPair(edit: (item: Record<string, unknown>) => void): Promise<{ store: FileStateStore; hunt: string; fp: string }> {
  const store = new FileStateStore({ dir: await mkdtemp(join(root, 'case-')) });
  const hunt = freshHuntId();
  const f = makeFinding(hunt, 1);
  await store.recordFindings([f], T0, WINDOW, { runId: 'run-a', maxRunMs: 6 * MINUTE });
  await store.markNotified(hunt, [f.fingerprint], T0, new Map([[f.fingerprint, 'not-seen']]));
  const doc = JSON.parse(await readFile(store.path, 'utf8')) as { items: Record<string, Record<string, unknown>> };
  edit(doc.items[findingKey(hunt, f.fingerprint)] ?? {});
  await writeFile(store.path, JSON.stringify(doc));
  return { store, hunt, fp: f.fingerprint };
}

async function dueAndClaimed(edit: (item: Record<string, unknown>) => void): Promise<{ due: boolean; claimed: string[] }> {
  const { store, hunt, fp } = await notifiedPair(edit);
  const later = await store.recordFindings([makeFinding(hunt, 1)], T0 + MINUTE, WINDOW, { runId: 'run-b', maxRunMs: 6 * MINUTE });
  const repeat = later.repeats[0];
  if (repeat === undefined) throw new Error('the pair did not come back as a repeat');
  return { due: followUpDue(repeat, T0 + MINUTE, HORIZON), claimed: await store.claimFollowUps(hunt, [fp], T0 + MINUTE) };
}

describe('the follow-up mark: what the run reads agrees with what the store lets it claim', () => {
  it('a pair with no mark is due and its follow-up can be claimed', async () => {
    const { due, claimed } = await dueAndClaimed(() => undefined);
    expect(due).toBe(true);
    expect(claimed).toHaveLength(1);
  });

  it('a mark set to null by hand reads as sent: the claim refuses it, so the run does not re-check it either', async () => {
    expect(readSentNotice({ notifiedAt: T0, confirmation: 'not-seen', followUpSent: null })).toEqual({ notifiedAt: T0, confirmation: 'not-seen', followUpSent: 0 });
    const { due, claimed } = await dueAndClaimed((item) => {
      item['followUpSent'] = null;
    });
    expect(claimed).toEqual([]);
    expect(due).toBe(false);
  });
});
