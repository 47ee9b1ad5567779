/** CDK entry (`cdk.json` → `npx tsx infra/app.ts`). Bad context prints every problem and exits 1. */
import { ContextError } from './context.js';
import { createHuntApp } from './hunt-app.js';

try {
  createHuntApp();
} catch (err) {
  if (!(err instanceof ContextError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 1;
}
