import { defineConfig } from 'vitest/config';
import { splitTests } from './test/support/projects.js';

/**
 * The tests `npm run mutate` runs against each mutant: the unit tests of both projects (a unit
 * test that borrows a helper from test/integration counts as integration in vitest.config.ts, and
 * the stores' tests run over DynamoDB Local; both must kill mutants). Left out: the CLI in child
 * processes, the check of the cards' bundled copy (it reads files Stryker's sandbox rewrites), CDK synth and bundling (Stryker's
 * runner executes tests in worker threads, where esbuild's child-process bundling fails), and the
 * end-to-end runs of the whole handler: each covers nearly every core, so with them every mutant
 * re-ran minutes of tests (5 mutants in 8 minutes).
 */
const { pure, integration } = splitTests(import.meta.dirname);

export default defineConfig({
  test: {
    include: [...pure, ...integration],
    exclude: ['test/infra/**', 'test/cli/**', 'test/integration/**', 'test/concurrency/**', 'test/proof/**', 'test/sample-day/**',
      'test/confirm/sample-day.test.ts', 'test/backfill/state-machine.test.ts', 'test/hunts/cards.test.ts', 'test/**/cli.test.ts', 'test/**/*-cli.test.ts', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
