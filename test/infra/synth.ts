/** Builds the real app (cdk-nag on) once per configuration; tests share the result. */
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createHuntApp } from '../../infra/hunt-app.js';
import type { HuntStack } from '../../infra/hunt-stack.js';

export interface Synthesized {
  readonly app: App;
  readonly stack: HuntStack;
  readonly template: Template;
  /** The cloud assembly directory. */
  readonly outdir: string;
  /** The bundled Lambda asset directory (holds index.mjs). */
  readonly bundleDir: string;
}

/** Options of {@link synthHunt}. */
export interface SynthOptions {
  /** Lambda entry; the real handler when omitted. */
  readonly entry?: string;
  /**
   * Run CDK's built-in CloudFormation schema validation too. It is slow (tens of seconds on a
   * busy machine), so only one synth of the suite turns it on; cdk-nag always runs.
   */
  readonly cfnValidation?: boolean;
}

/** Synthesizes the app with the nag plugin; throws ValidationFailed on any unacknowledged finding. */
export function synthHunt(context: Record<string, unknown>, options: SynthOptions = {}): Synthesized {
  const { entry, cfnValidation = false } = options;
  const outdir = mkdtempSync(join(tmpdir(), 'hunt-cdk-'));
  // Path metadata (on under the CLI) lets tests find resources by construct path.
  const { app, stack } = createHuntApp({ context: { 'aws:cdk:enable-path-metadata': true, ...context }, outdir, builtinCloudFormationValidation: cfnValidation, ...(entry === undefined ? {} : { entry }) });
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  const bundles = readdirSync(assembly.directory)
    .filter((d) => d.startsWith('asset.'))
    .map((d) => join(assembly.directory, d))
    .filter((d) => existsSync(join(d, 'index.mjs')));
  // The hunt function's bundle (the Slack forwarder, when configured, has its own).
  const huntFn = template.findResources('AWS::Lambda::Function')[logicalId(template, 'AWS::Lambda::Function', '/Hunt/Function/')] as { Properties: { Code: { S3Key: string } } };
  const hunt = bundles.filter((d) => d.endsWith(`asset.${huntFn.Properties.Code.S3Key.replace(/\.zip$/, '')}`));
  if (hunt.length !== 1) throw new Error(`expected one bundled hunt Lambda asset, found ${hunt.length} of ${bundles.length}`);
  return { app, stack, template, outdir: assembly.directory, bundleDir: hunt[0] as string };
}

/** The logical id of the only resource of `type` whose path contains `pathPart`. */
export function logicalId(template: Template, type: string, pathPart: string): string {
  const ids = Object.entries(template.findResources(type))
    .filter(([, r]) => String((r as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'] ?? '').includes(pathPart))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} at *${pathPart}*, found ${ids.length}`);
  return ids[0] as string;
}
