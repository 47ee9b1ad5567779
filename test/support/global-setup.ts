import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';

/**
 * One DynamoDB Local per process, however many projects name this setup: in the mutate config
 * both projects inherit it, and each project runs its own global setup, so a per-call start
 * meant one JVM per project in every Stryker test runner. Kept on globalThis because each
 * project may load this module afresh.
 */
const SHARED = Symbol.for('wmic-hunt.dynamoDbLocal');
interface Shared { readonly started: Promise<DynamoDbLocal>; users: number }
const holder = globalThis as { [SHARED]?: Shared };

/** Starts the real DynamoDB engine once for the whole suite; tests read its endpoint with inject(). */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (holder[SHARED] ??= { started: startDynamoDbLocal(), users: 0 });
  shared.users++;
  project.provide('dynamoDbEndpoint', (await shared.started).endpoint);
  return async () => {
    shared.users--;
    if (shared.users > 0) return;
    delete holder[SHARED];
    await (await shared.started).stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}
