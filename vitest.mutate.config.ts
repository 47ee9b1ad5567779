import { defineConfig } from 'vitest/config';
import { splitTests } from './test/support/projects.js';

/**
 * The tests `npm run mutate` runs against each mutant: the `pure` project's files (no DynamoDB
 * Local, no bundle, no synth; see vitest.config.ts) and, of the integration files, the stores'
 * and stages' own tests over DynamoDB Local (test/state, test/run), which must kill the mutants
 * of lambda/state and lambda/run. Left out: the CLI in child processes, the check of the cards'
 * bundled copy (it reads files Stryker's sandbox rewrites), CDK synth and bundling (Stryker's
 * runner executes tests in worker threads, where esbuild's child-process bundling fails), and the
 * end-to-end runs of the whole handler: each covers nearly every core, so with them every mutant
 * re-ran minutes of tests (5 mutants in 8 minutes).
 */
const { pure, integration } = splitTests(import.meta.dirname);
const stores = integration.filter((f) => /^test\/(state|run)\//.test(f.replaceAll('\\', '/')));

export default defineConfig({
  test: {
    include: [...pure, ...stores],
    exclude: ['test/infra/**', 'test/cli/**', 'test/integration/**', 'test/concurrency/**', 'test/proof/**', 'test/sample-day/**',
      'test/confirm/sample-day.test.ts', 'test/hunts/cards.test.ts', 'test/**/cli.test.ts', 'test/**/*-cli.test.ts', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
