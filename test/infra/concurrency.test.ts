/**
 * Reserved concurrency caps every invoke, the backfill Map's included
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html): the Map's
 * concurrency must fit within it with one left for the scheduled run, or the synth stops.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_KEY, ContextError, parseHuntContext } from '../../infra/context.js';
import { synthHunt, type Synthesized } from './synth.js';

const PROBE = new URL('../fixtures/infra/bundle-probe/handler.ts', import.meta.url).pathname;
const parse = (ctx: Record<string, unknown>) => parseHuntContext((k) => ctx[k], Object.keys(ctx));
const problemsOf = (ctx: Record<string, unknown>): readonly string[] => {
  try {
    parse(ctx);
  } catch (err) {
    if (err instanceof ContextError) return err.problems;
    throw err;
  }
  return [];
};

describe('backfill concurrency within reserved concurrency', () => {
  it('true reserves room for the schedule and the backfill; a number is checked against the Map', () => {
    expect(parse({ [CONTEXT_KEY.reservedConcurrency]: 'true' })).toMatchObject({ reservedExecutions: 4, backfillConcurrency: 3 });
    expect(parse({ [CONTEXT_KEY.reservedConcurrency]: 'true', [CONTEXT_KEY.backfillConcurrency]: '1' })).toMatchObject({ reservedExecutions: 2, backfillConcurrency: 1 });
    expect(parse({ [CONTEXT_KEY.reservedConcurrency]: 4 })).toMatchObject({ reservedExecutions: 4, backfillConcurrency: 3 });
    expect(parse({ [CONTEXT_KEY.reservedConcurrency]: '2', [CONTEXT_KEY.backfillConcurrency]: '1' })).toMatchObject({ reservedExecutions: 2 });
  });

  it('refuses a reservation the Map and the schedule do not fit in, giving the reason and the way out', () => {
    const [problem] = problemsOf({ [CONTEXT_KEY.reservedConcurrency]: '3' });
    expect(problem).toMatch(/^hunt:reservedConcurrency=3 leaves no room for the backfill: its Map hunts up to 3 chunks at once \(hunt:backfillConcurrency\) and the scheduled run needs one more/);
    expect(problem).toMatch(/Reserve at least 4, or set hunt:backfillConcurrency=2$/);
    expect(problemsOf({ [CONTEXT_KEY.reservedConcurrency]: '1' })[0]).toMatch(/Reserve at least 4$/);
    expect(problemsOf({ [CONTEXT_KEY.backfillConcurrency]: '4' })[0]).toMatch(/^hunt:backfillConcurrency must be a whole number from 1 to 3/);
  });

  describe('in the template', () => {
    let s: Synthesized;
    beforeAll(() => {
      s = synthHunt({ [CONTEXT_KEY.reservedConcurrency]: '3', [CONTEXT_KEY.backfillConcurrency]: '2' }, { entry: PROBE });
    }, 120_000);

    it('reserves the number asked for and runs the Map at the backfill concurrency', () => {
      const fns = Object.values(s.template.findResources('AWS::Lambda::Function')) as { Properties: { ReservedConcurrentExecutions?: number; Environment?: { Variables?: Record<string, unknown> } } }[];
      const hunt = fns.find((f) => 'HUNT_TABLE_NAME' in (f.Properties.Environment?.Variables ?? {}));
      expect(hunt?.Properties.ReservedConcurrentExecutions).toBe(3);
      const machine = Object.values(s.template.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } } };
      const text = machine.Properties.DefinitionString['Fn::Join'][1].filter((p) => typeof p === 'string').join('');
      expect(text).toContain('"MaxConcurrency":2');
    });
  });
});
