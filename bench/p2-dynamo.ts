/**
 * P2: DynamoDB requests per 1,000 findings that are all repeats, on DynamoDB Local (AWS's engine).
 *
 * A fresh table; the real DynamoStateStore records 1,000 distinct findings (claims), marks them
 * NOTIFIED, then records the same 1,000 again. Requests are counted by a middleware in the
 * client's deserialize step, so each wire attempt counts (SDK retries included), per operation.
 * Two repeat cases: the same event ids (an overlap re-read: nothing changed) and a new event id
 * on every finding (a changed repeat: count and lastSeen must be written).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Finding } from '../lambda/finding.js';
import { DynamoStateStore, createHuntTable } from '../lambda/state/index.js';
import { startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { generateRows } from './payload.js';
import { detectStage, SETTINGS } from './pipeline.js';

export interface P2Result {
  findings: number;
  requestsPer1000Repeats: number;
  byOperation: Record<string, number>;
  changedRepeats: { requests: number; byOperation: Record<string, number> };
  firstRecord: { requests: number; byOperation: Record<string, number> };
  markNotified: { requests: number };
  outcome: { repeats: number; created: number; pending: number };
  engine: string;
}

function counter(client: DynamoDBClient): { snapshot(): Record<string, number>; total(): number; reset(): void } {
  const byOp = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      byOp.set(op, (byOp.get(op) ?? 0) + 1);
      return next(args);
    },
    { step: 'deserialize', name: 'benchRequestCounter' },
  );
  return {
    snapshot: () => Object.fromEntries(byOp),
    total: () => [...byOp.values()].reduce((a, b) => a + b, 0),
    reset: () => byOp.clear(),
  };
}

/** 1,000 distinct, realistic findings (from the detector over generated rows). */
function thousandFindings(): Finding[] {
  const findings = detectStage(generateRows(16_000)).findings;
  if (findings.length < 1000) throw new Error(`expected at least 1000 findings from the payload, got ${findings.length}`);
  return findings.slice(0, 1000);
}

export async function runP2(): Promise<P2Result> {
  const findings = thousandFindings();
  const ddb = await startDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const tableName = `bench-${randomUUID().slice(0, 8)}`;
    await createHuntTable(client, tableName);
    const count = counter(client);
    const store = new DynamoStateStore({ client, tableName });
    // Real clock: DynamoDB Local deletes items whose TTL is past by its own clock.
    const now = Date.now();

    count.reset();
    const first = await store.recordFindings(findings, now, SETTINGS.dedupeWindowMs);
    const firstRecord = { requests: count.total(), byOperation: count.snapshot() };
    if (first.created.length !== findings.length) throw new Error(`first record created ${first.created.length} of ${findings.length}`);

    count.reset();
    await store.markNotified(findings[0]?.huntId ?? '', findings.map((f) => f.fingerprint), now + 1_000);
    const markNotified = { requests: count.total() };

    count.reset();
    const again = await store.recordFindings(findings, now + 60_000, SETTINGS.dedupeWindowMs);
    const requests = count.total();
    const byOperation = count.snapshot();

    const changed = findings.map((f, i) => ({ ...f, eventIds: [`bench-new-${i}`], lastSeen: f.lastSeen + 120_000 }));
    count.reset();
    await store.recordFindings(changed, now + 120_000, SETTINGS.dedupeWindowMs);
    const changedRepeats = { requests: count.total(), byOperation: count.snapshot() };

    return {
      findings: findings.length,
      requestsPer1000Repeats: (requests * 1000) / findings.length,
      byOperation,
      changedRepeats,
      firstRecord,
      markNotified,
      outcome: { repeats: again.repeats.length, created: again.created.length, pending: again.pending.length },
      engine: 'DynamoDB Local 1.25 (in-memory), real DynamoStateStore',
    };
  } finally {
    client.destroy();
    await ddb.stop();
  }
}
