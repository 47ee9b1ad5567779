/** CDK entry (`cdk.json` → `npx tsx infra/app.ts`). Bad context or a bad allowlist prints every problem and exits 1. */
import { AllowlistFileError } from './allowlist-check.js';
import { ContextError } from './context.js';
import { createHuntApp } from './hunt-app.js';

try {
  createHuntApp();
} catch (err) {
  if (!(err instanceof ContextError) && !(err instanceof AllowlistFileError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
}
