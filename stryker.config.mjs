// Mutation testing (`npm run mutate`): StrykerJS over the pure cores and the stages.
// Kept out of `npm test`; run it on the files you touched:  npm run mutate -- --mutate 'lambda/confirm/judge.ts'
// The incremental file is committed, so a run from a fresh clone re-tests only what changed.
// https://stryker-mutator.io/docs/stryker-js/configuration/
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  checkers: ['typescript'],
  // The checker type-checks lambda/ alone: with the tests, infra and CDK's types in the program it
  // held a core to itself and was the slower half of every mutant.
  tsconfigFile: 'tsconfig.mutate.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Every mutator is on. StringLiteral mutants include log and error wording, which no test
  // should pin; where such a mutant survives it is marked in the code with
  // `// Stryker disable next-line StringLiteral: message wording` rather than excluded globally,
  // because the same mutator also hits item keys and enum-like strings that do matter.
  dryRunTimeoutMinutes: 45,
  // Stryker gives half to TypeScript checkers: two checkers and two test runners, four runners
  // once checking is done. The tests wait on DynamoDB Local and loopback servers, so with 2 (one
  // checker, one runner) or 3 (two checkers, one runner) a 2-core machine sat half idle.
  concurrency: 4,
  // On top of the test's own time: a mutant that loops forever costs 10 s, not 30. With 5 s a
  // loaded 2-core machine timed out 12 of one run's first 104 mutants (2 with 10 s), and a timeout
  // counts as killed, so a false one would raise the score.
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 85, break: null },
  ignoreStatic: true,
  mutate: [
    'lambda/confirm/**/*.ts',
    'lambda/incidents/**/*.ts',
    'lambda/history/**/*.ts',
    'lambda/state/{dedupe,awaiting,history,incidents,progress,limit,time,validate,keys}.ts',
    'lambda/notify/{pacer,slack-fit,limits,sanitize,email,chatbot,incident,incident-groups,confirmation,message,payload,publish-plan,digest*,xql}.ts',
    'lambda/detect/{analyze,target-name,redact,secret-forms,secret-words,secret-archive,secret-mysql,secret-powershell,risk,risk-reasons,reason-table,decoded-script,caps}.ts',
    'lambda/run/**/*.ts',
    'lambda/windows.ts',
    'lambda/backfill-plan.ts',
    'lambda/action-handlers.ts',
    'lambda/slack-forwarder/{post,forward,render,blocks,from-payload}.ts',
    '!**/index.ts',
    '!**/types.ts',
  ],
};
