import { defineConfig } from 'vitest/config';
import { splitTests } from './test/support/projects.js';

/**
 * The tests `npm run mutate` runs against each mutant: the `pure` project's files (no DynamoDB
 * Local, no bundle, no synth; see vitest.config.ts) less what cannot speak to the mutated cores
 * (the CLI in child processes, the check of the cards' bundled copy, which reads files Stryker's
 * sandbox rewrites). Stryker's runner executes tests in worker threads, where esbuild's
 * child-process bundling fails.
 */
const { pure } = splitTests(import.meta.dirname);

export default defineConfig({
  test: {
    include: pure,
    exclude: ['test/infra/**', 'test/cli/**', 'test/hunts/cards.test.ts', 'test/**/cli.test.ts', 'test/**/*-cli.test.ts', '**/node_modules/**'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
