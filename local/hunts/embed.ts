/** `npm run cards`: writes lambda/hunts/cards.generated.ts from hunts/*.md (`--check`: only say whether it is stale). */
import { embeddedUpToDate, EMBEDDED_MODULE } from './sources.js';

const check = process.argv.includes('--check');
const fresh = embeddedUpToDate({ write: !check });
if (fresh) process.stdout.write(`${EMBEDDED_MODULE} is up to date\n`);
else if (check) {
  process.stderr.write(`${EMBEDDED_MODULE} is stale: run npm run cards\n`);
  process.exitCode = 1;
} else process.stdout.write(`wrote ${EMBEDDED_MODULE}\n`);
