/**
 * The deployment's shared send budget in the hunt table: one item (`PACE#sns`) holding the sends
 * of the last pacing window, drawn from by every publisher before each batch, whatever runs at
 * once. Read, find the slot (earliestSlot, the same rule as the in-process pacer), then a write
 * conditional on the revision read: of two publishers taking the same slot one write lands, the
 * other re-reads and waits its turn. No second ever carries more than `maxMessages`.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { earliestSlot, type PacedSend } from '../notify/index.js';
import type { SendBudget } from '../ports.js';
import { guarded, isConditionalCheckFailed } from './dynamo-errors.js';
import { StateInputError } from './errors.js';
import { epochSeconds } from './time.js';
import { DEFAULT_TENANT, tenantPrefix, tenantProblems } from './keys.js';

/** Partition key of the budget item: one per table, so per deployment. */
export const PACE_KEY = 'PACE#sns';

export interface DynamoSendBudgetOptions {
  /** A DynamoDBClient (wrapped in a Document client here) or a ready DynamoDBDocumentClient. */
  readonly client: DynamoDBClient | DynamoDBDocumentClient;
  readonly tableName: string;
  /** Most messages in any window. @default 10 */
  readonly maxMessages?: number;
  /** The pacing window (the in-process pacer's, 1100 ms by default). */
  readonly windowMs: number;
  /**
   * Added to the window for stamps from other hosts: a host whose clock is behind stamps its sends
   * early, so they would leave the window early. Lambda hosts keep time with the Amazon Time Sync
   * Service (well under a millisecond apart); 200 ms is far above it. A host ahead only makes
   * others wait longer. @default 200
   */
  readonly skewToleranceMs?: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Lost conditional writes in a row before a SendBudgetContentionError. @default 50 */
  readonly maxConflicts?: number;
  /**
   * The tenant whose budget item this is (`T#<tenant>#PACE#sns`; lambda/state/keys.ts). SNS's limit
   * is per subscription, so tenants that share topics must share one budget: give them the same
   * (e.g. the default) here. @default DEFAULT_TENANT: `PACE#sns`, as before tenants
   */
  readonly tenant?: string;
}

/** The budget lost more races than allowed: the publishers contend far beyond the product's design. */
export class SendBudgetContentionError extends Error {
  override readonly name = 'SendBudgetContentionError';
}

function readSends(raw: Record<string, unknown> | undefined): { rev: number | null; sends: PacedSend[] } {
  if (raw === undefined) return { rev: null, sends: [] };
  const list = Array.isArray(raw['sends']) ? raw['sends'] : [];
  const sends = list.flatMap((s: unknown) => {
    const at = (s as { at?: unknown })?.at;
    const count = (s as { count?: unknown })?.count;
    return typeof at === 'number' && typeof count === 'number' && Number.isFinite(at) && Number.isFinite(count) ? [{ at, count }] : [];
  });
  return { rev: typeof raw['rev'] === 'number' ? raw['rev'] : 0, sends };
}

/** SendBudget over one DynamoDB item. */
export class DynamoSendBudget implements SendBudget {
  private readonly maxMessages: number;
  private readonly windowMs: number;
  private readonly maxConflicts: number;
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly opts: DynamoSendBudgetOptions) {
    this.doc = opts.client instanceof DynamoDBDocumentClient ? opts.client : DynamoDBDocumentClient.from(opts.client);
    this.maxMessages = opts.maxMessages ?? 10;
    this.windowMs = opts.windowMs + (opts.skewToleranceMs ?? 200);
    this.maxConflicts = opts.maxConflicts ?? 50;
    const problems: string[] = [];
    if (!Number.isInteger(this.maxMessages) || this.maxMessages < 1) problems.push('maxMessages must be a whole number of at least 1');
    if (!Number.isFinite(this.windowMs) || opts.windowMs < 1000) problems.push('windowMs must be at least 1000');
    problems.push(...tenantProblems(opts.tenant ?? DEFAULT_TENANT));
    if (problems.length > 0) throw new StateInputError('DynamoSendBudget', problems);
  }

  async acquire(count: number, deadline?: number): Promise<boolean> {
    if (!Number.isInteger(count) || count < 1 || count > this.maxMessages) throw new StateInputError('acquire', [`count must be a whole number from 1 to ${this.maxMessages}`]);
    for (let conflicts = 0; ;) {
      const res = await guarded('acquireSendBudget', () =>
        this.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: { pk: tenantPrefix(this.opts.tenant) + PACE_KEY }, ConsistentRead: true })));
      const { rev, sends } = readSends(res.Item);
      const now = this.opts.now();
      const slot = earliestSlot(sends, count, now, this.maxMessages, this.windowMs);
      if (deadline !== undefined && slot > deadline) return false;
      if (slot > now) {
        // Someone else's sends fill the window: wait for the slot, then read again (it may be taken).
        await this.opts.sleep(slot - now);
        continue;
      }
      if (await this.reserve(rev, [...sends.filter((s) => s.at + this.windowMs > now), { at: now, count }], now)) return true;
      conflicts += 1;
      if (conflicts >= this.maxConflicts) throw new SendBudgetContentionError(`send budget: ${conflicts} lost races in a row`);
      // Lost the race for this slot: a short jittered pause spreads the contenders out.
      await this.opts.sleep(5 + Math.floor(Math.random() * 20));
    }
  }

  /** Writes the new window if nobody wrote since `rev` was read; false when somebody did. */
  private async reserve(rev: number | null, sends: PacedSend[], now: number): Promise<boolean> {
    try {
      await guarded('acquireSendBudget', () => this.doc.send(new PutCommand({
        TableName: this.opts.tableName,
        // expiresAt lets TTL remove the item once idle; nothing reads it for that.
        Item: { pk: tenantPrefix(this.opts.tenant) + PACE_KEY, rev: (rev ?? 0) + 1, sends, expiresAt: epochSeconds(now) + 3600 },
        ...(rev === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: '#rev = :rev', ExpressionAttributeNames: { '#rev': 'rev' }, ExpressionAttributeValues: { ':rev': rev } }),
      })));
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}
