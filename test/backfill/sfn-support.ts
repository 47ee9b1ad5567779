/**
 * What the state-machine tests share: the synthesized definition as Step Functions would read it,
 * the built hunt handler imported once over loopback stand-ins, and the ASL interpreter's
 * Promise.withResolvers on Node 20.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Template } from 'aws-cdk-lib/assertions';

/** aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22); Node 20 lacks it. */
export function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  if (P.withResolvers !== undefined) return;
  P.withResolvers = () => {
    let resolve: (v: unknown) => void = () => {};
    let reject: (e: unknown) => void = () => {};
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:hunt';

/** The state machine's definition from the template, its Fn::Join tokens (the function's ARN) filled in. */
export function stateMachineDefinition(template: Template): Record<string, unknown> {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as { Properties: { DefinitionString: unknown } }[];
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const raw = machines[0]!.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] } | string;
  const text = typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : FUNCTION_ARN)).join(raw['Fn::Join'][0]);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The hunt function's environment in the template, literal values only (resource names are tokens). */
export function literalEnvironment(template: Template): Record<string, string> {
  const fns = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }[];
  const vars = fns.map((f) => f.Properties.Environment?.Variables ?? {}).find((v) => 'HUNT_TABLE_NAME' in v) ?? {};
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export type BuiltHandler = (event: unknown, context: { awsRequestId: string; getRemainingTimeInMillis: () => number }) => Promise<unknown>;

/**
 * Imports the bundle (index.mjs) once, as Lambda would at a cold start, after setting `env`
 * (process-wide: each vitest file runs in its own process).
 */
export async function importBuiltHandler(bundleDir: string, env: Record<string, string>): Promise<BuiltHandler> {
  Object.assign(process.env, env);
  const mod = (await import(pathToFileURL(join(bundleDir, 'index.mjs')).href)) as { handler: BuiltHandler };
  return mod.handler;
}

/** A Lambda context with five minutes left (the function's timeout). */
export const lambdaContext = (): { awsRequestId: string; getRemainingTimeInMillis: () => number } => ({
  awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 300_000,
});
