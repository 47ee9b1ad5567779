/**
 * DynamoDB Local helpers for the state tests: a client with dummy credentials, a fresh table,
 * a request counter and a hook that runs after a chosen command (to stage races).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { createHuntTable, DynamoStateStore } from '../../lambda/state/index.js';

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function freshTable(client: DynamoDBClient, label: string): Promise<string> {
  const name = `hunt-${label}-${randomUUID().slice(0, 8)}`;
  await createHuntTable(client, name);
  return name;
}

/** Counts wire requests (each attempt, after the SDK's retry step) by operation. */
export function countRequests(client: DynamoDBClient): { readonly byOperation: Map<string, number>; total(): number; reset(): void } {
  const byOperation = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      byOperation.set(op, (byOperation.get(op) ?? 0) + 1);
      return next(args);
    },
    { step: 'deserialize', name: 'countStateRequests' },
  );
  return {
    byOperation,
    total: () => [...byOperation.values()].reduce((a, b) => a + b, 0),
    reset: () => byOperation.clear(),
  };
}

/** Runs `hook` once, right after the first successful `operation` (e.g. 'BatchGetItem') on `client`. */
export function afterFirst(client: DynamoDBClient, operation: string, hook: () => Promise<void>): void {
  let fired = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (!fired && String(context.commandName).replace(/Command$/, '') === operation) {
        fired = true;
        await hook();
      }
      return result;
    },
    { step: 'initialize', name: `after-${operation}-${randomUUID()}` },
  );
}

/** A store on its own client to `endpoint`, so counters and hooks see only one test's requests. */
export function isolatedStore(endpoint: string, tableName: string): { store: DynamoStateStore; client: DynamoDBClient; requests: ReturnType<typeof countRequests> } {
  const own = localClient(endpoint);
  return { store: new DynamoStateStore({ client: own, tableName }), client: own, requests: countRequests(own) };
}
