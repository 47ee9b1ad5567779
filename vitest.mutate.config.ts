import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests `npm run mutate` runs against each mutant: the suite less what cannot speak to the
 * mutated cores (CDK synth and bundling, the CLI in child processes, the check of the cards' bundled copy, which reads files Stryker's sandbox rewrites).
 * Stryker's runner executes tests in worker threads, where esbuild's child-process bundling fails.
 * Also left out: the end-to-end runs of the whole handler (integration, concurrency, the state
 * machine, the proof suites, the sample day). Each covers nearly every core, so with them every
 * mutant re-ran minutes of tests (5 mutants in 8 minutes); the cores' own tests and the stores'
 * tests over DynamoDB Local are what must kill a mutant, and they run in seconds.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/infra/**', 'test/integration/**', 'test/concurrency/**', 'test/backfill/state-machine.test.ts', 'test/proof/**', 'test/sample-day/**', 'test/confirm/sample-day.test.ts', 'test/cli/**', 'test/hunts/cards.test.ts', 'test/**/cli.test.ts', 'test/**/*-cli.test.ts', '**/node_modules/**'],
    },
  }),
);
