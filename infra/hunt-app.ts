import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ALLOWLIST_FILE, checkAllowlistFile } from './allowlist-check.js';
import { ContextError, CONTEXT_KEY, DEFAULT_STACK_NAME, parseHuntContext } from './context.js';
import { embeddedCardProblems, huntAllowlistWarnings, parseHuntSettings } from './hunt-settings.js';
import { HuntStack } from './hunt-stack.js';

/** The stack's default id, also its CloudFormation name; `-c hunt:stackName=<name>` deploys a second copy. */
export const STACK_NAME = DEFAULT_STACK_NAME;

/** Options of {@link createHuntApp}. */
export interface HuntAppOptions extends AppProps {
  /**
   * Lambda entry file exporting `handler`.
   * @default - lambda/handler.ts
   */
  readonly entry?: string;
  /**
   * Allowlist file validated before anything is built (tests point it at a broken copy).
   * @default - lambda/hunts/allowlist.json, the file the Lambda bundles
   */
  readonly allowlistFile?: string;
}

/**
 * Builds the app: validates the `hunt:` context (throws ContextError listing every problem, a
 * misspelt `hunt:` key included) and the allowlist (throws AllowlistFileError naming each bad
 * entry), adds the stack and runs cdk-nag's AWS Solutions checks on synth, where an unacknowledged
 * finding fails the synth.
 */
export function createHuntApp(options: HuntAppOptions = {}): { app: App; stack: HuntStack } {
  const { entry, allowlistFile = ALLOWLIST_FILE, ...appProps } = options;
  const app = new App(appProps);
  const settings = parseHuntContext((key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext() as object));
  // Every card of hunts/ runs; a stale bundle copy or a bad per-hunt setting stops the synth.
  const deployed = parseHuntSettings(app.node.tryGetContext(CONTEXT_KEY.hunts));
  const huntProblems = [...embeddedCardProblems(), ...deployed.problems];
  if (huntProblems.length > 0) throw new ContextError(huntProblems);
  const allowlistWarnings = [...checkAllowlistFile(allowlistFile), ...huntAllowlistWarnings(deployed.hunts)];
  const stack = new HuntStack(app, settings.stackName, {
    settings: { ...settings, warnings: [...settings.warnings, ...allowlistWarnings] },
    description: 'Scheduled Cortex XSIAM hunt for wmic /node: process call create (T1047)',
    ...(entry === undefined ? {} : { entry }),
    hunts: deployed.hunts,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
