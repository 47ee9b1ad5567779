import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests `npm run mutate` runs against each mutant: the suite less what cannot speak to the
 * mutated cores (CDK synth and bundling, the CLI in child processes, the check of the cards' bundled copy, which reads files Stryker's sandbox rewrites).
 * Stryker's runner executes tests in worker threads, where esbuild's child-process bundling fails.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/infra/**', 'test/cli/**', 'test/hunts/cards.test.ts', 'test/**/cli.test.ts', 'test/**/*-cli.test.ts', '**/node_modules/**'],
    },
  }),
);
