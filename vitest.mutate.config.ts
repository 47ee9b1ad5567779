import { readFileSync } from 'node:fs';
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
 *
 * Most files run in one module graph (`isolate: false`): re-importing every file's graph per
 * mutant was half of each mutant's time. Files that patch a module for the whole process
 * (aws-sdk-client-mock's `mockClient`, vitest's `vi.mock`) or that read module state another file leaves behind run
 * isolated, as in `npm test`.
 */
const { pure, integration } = splitTests(import.meta.dirname);

const EXCLUDE = ['test/infra/**', 'test/cli/**', 'test/integration/**', 'test/concurrency/**', 'test/proof/**', 'test/sample-day/**',
  'test/confirm/sample-day.test.ts', 'test/backfill/state-machine.test.ts', 'test/hunts/cards.test.ts', 'test/**/cli.test.ts', 'test/**/*-cli.test.ts', '**/node_modules/**'];

/** Files that fail when they share a module graph: they stub SDK clients, or expect a fresh stand-in config. */
const SHARE_NOTHING = ['test/credentials/secrets-manager-wire.test.ts', 'test/notify/sns-standin.test.ts', 'test/notify/spoofing.test.ts',
  'test/slack-forwarder/retry-after.test.ts', 'test/notify/sns-wire.test.ts'];
const isolated = [...pure, ...integration].filter((f) => SHARE_NOTHING.includes(f) || /\bmockClient\b|\bvi\.mock\(/.test(readFileSync(f, 'utf8')));
const shared = [...pure, ...integration].filter((f) => !isolated.includes(f));

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'mutate-shared', include: shared, exclude: EXCLUDE, isolate: false } },
      { extends: true, test: { name: 'mutate-isolated', include: isolated, exclude: EXCLUDE, isolate: true } },
    ],
  },
});
