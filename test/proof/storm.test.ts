/**
 * Storm: one run meets 10,000 new host pairs. On a real clock and the pipeline's own deadline
 * (5 minutes), it completes, sends a bounded digest instead of 10,000 messages, and records every
 * finding NOTIFIED in DynamoDB Local. The duration is printed, never asserted (benchmarks time things).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOUR, MIN, T0, wmicRow } from '../integration/harness.js';
import { ScriptedSns, startRig, type Rig } from './rig.js';

const PAIRS = 10_000;
let rig: Rig;
const sns = new ScriptedSns();

beforeAll(async () => {
  // A real clock (moving with wall time) set so the run starts at T0.
  const offset = T0 - Date.now();
  let shift = 0;
  const clock = { get now() { return Date.now() + offset + shift; }, set now(v: number) { shift += v - (Date.now() + offset + shift); } };
  rig = await startRig({ clock, client: { pollInitialMs: 50, pollMaxMs: 200, headersTimeoutMs: 20_000, bodyTimeoutMs: 30_000 } });
  sns.install();
  const start = T0 - 90 * MIN;
  for (let i = 0; i < PAIRS; i++) {
    rig.events.push(wmicRow(start + i * 300, `WS${i % 200}`, `wmic /node:"tgt${i}" /user:"CORP\\svc" process call create "powershell.exe -enc SQBFAFgA"`));
  }
}, 60_000);
afterAll(async () => rig.close());

it('a run with 10,000 new pairs completes within its deadline, sends one digest and records all 10,000 NOTIFIED', async () => {
  const started = Date.now();
  const summary = await rig.run({}, { deadline: rig.clock.now + 5 * MIN, settings: { initialLookbackMs: 2 * HOUR } });
  const runMs = Date.now() - started;

  expect(summary).toMatchObject({ status: 'completed', rows: PAIRS, findings: PAIRS, newPairs: PAIRS, notified: PAIRS, digests: 1 });
  // Bounded: a digest per window chunk, not one message per pair.
  expect(summary.messages).toBeLessThanOrEqual(summary.chunks);
  const entries = sns.entries();
  expect(entries.length).toBeLessThanOrEqual(summary.chunks);
  expect(entries[0]?.doc).toMatchObject({ kind: 'digest', pairCount: PAIRS });

  const items = await rig.findingItems();
  expect(items).toHaveLength(PAIRS);
  expect(items.filter((i) => i.status === 'NOTIFIED')).toHaveLength(PAIRS);

  // Recording the same findings again finds every one of them already notified.
  const again = rig.ports.detector(rig.events, rig.clock.now);
  const recorded = await rig.ports.state.recordFindings(again.findings, rig.clock.now, rig.settings.dedupeWindowMs);
  expect({ created: recorded.created.length, pending: recorded.pending.length, repeats: recorded.repeats.length }).toEqual({ created: 0, pending: 0, repeats: PAIRS });
  console.log(`storm: ${PAIRS} new pairs → ${summary.messages} message(s), ${summary.httpCalls} XSIAM calls, run took ${runMs} ms (deadline 300000 ms)`);
}, 280_000);
