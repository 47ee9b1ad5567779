/**
 * The late sweep's mark in the DynamoDB table (rules in sweep.ts): a consistent GetItem to read,
 * a Put guarded by the version to write (as the checkpoint).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SweepMark, SweepMarkUpdate } from '../ports.js';
import { decodeItem } from './dynamo-codec.js';
import { guarded, isConditionalCheckFailed } from './dynamo-errors.js';
import type { ProgressTable } from './dynamo-progress.js';
import { CheckpointConflictError } from './errors.js';
import { sweepKey } from './keys.js';
import { nextSweepMark, readSweepMarkRecord } from './sweep.js';

export async function readSweepMarkInTable(t: ProgressTable, huntId: string, sweep: string): Promise<SweepMark | null> {
  const res = await guarded('readSweepMark', () =>
    t.client.send(new GetCommand({ TableName: t.tableName, Key: { pk: sweepKey(huntId, sweep, t.tenant) }, ConsistentRead: true })));
  return readSweepMarkRecord(res.Item);
}

export async function writeSweepMarkInTable(
  t: ProgressTable, huntId: string, sweep: string, next: SweepMarkUpdate, expectedVersion: number | null, now: number,
): Promise<SweepMark> {
  const mark = nextSweepMark(next, expectedVersion, now);
  try {
    await guarded('writeSweepMark', () => t.client.send(new PutCommand({
      TableName: t.tableName,
      Item: { pk: sweepKey(huntId, sweep, t.tenant), ...mark },
      ...(expectedVersion === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })));
    return mark;
  } catch (err) {
    if (!isConditionalCheckFailed(err)) throw err;
    const actual = decodeItem(err.Item)?.['version'];
    throw new CheckpointConflictError(`${huntId} (sweep ${sweep})`, expectedVersion, typeof actual === 'number' ? actual : undefined, { cause: err });
  }
}
