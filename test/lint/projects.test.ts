/**
 * The split of vitest.config.ts: files that need DynamoDB Local, a bundle or a synth run in the
 * `integration` project (the only one that starts DynamoDB Local); the rest in `pure`.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitTests } from '../support/projects.js';

const { pure, integration } = splitTests(resolve(import.meta.dirname, '..', '..'));

describe('vitest projects', () => {
  it('puts every test file in exactly one project', () => {
    expect(pure.filter((f) => integration.includes(f))).toEqual([]);
    expect(pure.length).toBeGreaterThan(0);
    expect(integration.length).toBeGreaterThan(0);
  });

  it('sends files that inject DynamoDB Local, directly or through a helper, to integration', () => {
    // injects the endpoint itself
    expect(integration).toContain('test/state/dynamo-store.test.ts');
    // through test/integration/harness.ts
    expect(integration).toContain('test/run/stages.test.ts');
  });

  it('sends files that bundle the handler or synthesize the stack to integration', () => {
    expect(integration).toContain('test/infra/shipped.test.ts');
    expect(integration).toContain('test/infra/stack.test.ts');
  });

  it('keeps the pure cores, the file store and template-free infra parsing in pure', () => {
    expect(pure).toEqual(expect.arrayContaining(['test/detect/risk.test.ts', 'test/state/file-store.test.ts', 'test/infra/context.test.ts', 'test/lint/projects.test.ts']));
  });
});
