import { describe, expect, it } from 'vitest';
import { inScope, scoreOf, total } from '../../scripts/mutation-scores.js';

const mutants = (states: Record<string, number>): { status: string }[] =>
  Object.entries(states).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status })));

describe('npm run mutate:scores', () => {
  it('scores killed and timed-out mutants over all valid ones; compile errors and ignored mutants are not valid', () => {
    const s = scoreOf('lambda/x.ts', mutants({ Killed: 6, Timeout: 2, Survived: 1, NoCoverage: 1, CompileError: 9, Ignored: 3 }), false);
    expect(s).toEqual({ file: 'lambda/x.ts', killed: 8, survived: 1, noCoverage: 1, ignored: 3, score: 80, stale: false });
    expect(scoreOf('lambda/y.ts', mutants({ Ignored: 4 }), false).score).toBeNull();
  });

  it('sums a folder from its files, stale when one file is', () => {
    const a = scoreOf('a.ts', mutants({ Killed: 9, Survived: 1 }), false);
    const b = scoreOf('b.ts', mutants({ Killed: 1, NoCoverage: 1 }), true);
    expect(total('both', [a, b])).toMatchObject({ killed: 10, survived: 1, noCoverage: 1, score: (100 * 10) / 12, stale: true });
  });

  it('selects files as the mutate patterns do, `!` patterns excluding', () => {
    const files = ['lambda/run/a.ts', 'lambda/run/stages/b.ts', 'lambda/run/index.ts', 'lambda/state/dedupe.ts', 'lambda/state/dynamo.ts'];
    expect(inScope(files, ['lambda/run/**/*.ts', 'lambda/state/{dedupe,keys}.ts', '!**/index.ts']))
      .toEqual(['lambda/run/a.ts', 'lambda/run/stages/b.ts', 'lambda/state/dedupe.ts']);
  });
});
