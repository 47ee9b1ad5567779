import { defineConfig } from 'vitest/config';
import { splitTests } from './test/support/projects.js';

// Two projects (https://vitest.dev/guide/projects): `pure` starts nothing; `integration` holds
// the files that use DynamoDB Local, bundle the handler or synthesize the stack, and starts
// DynamoDB Local once for them. `npm test` runs both; `npm run test:pure` is the fast loop.
const { pure, integration } = splitTests(import.meta.dirname);

export default defineConfig({
  test: {
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'pure', include: pure } },
      { extends: true, test: { name: 'integration', include: integration, globalSetup: ['test/support/global-setup.ts'] } },
    ],
  },
});
