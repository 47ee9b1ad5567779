import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';

let ddb: DynamoDbLocal | undefined;

/** Starts the real DynamoDB engine once for the whole suite; tests read its endpoint with inject(). */
export async function setup(project: TestProject): Promise<void> {
  ddb = await startDynamoDbLocal();
  project.provide('dynamoDbEndpoint', ddb.endpoint);
}

export async function teardown(): Promise<void> {
  await ddb?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}
