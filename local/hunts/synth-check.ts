/**
 * Run by `cdk synth` before the app (cdk.json "app"): every card of hunts/ must pass validate
 * (format, XQL, fields, test rows through the local XSIAM). A broken card or a failing test row
 * stops the synth, naming the card's line; a card without tests is a warning. infra/ cannot use
 * the local engine, so this step runs beside it.
 */
import { checkHunts } from './check-all.js';

const report = await checkHunts();
for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
for (const e of report.errors) process.stderr.write(`error: ${e}\n`);
if (report.errors.length > 0) {
  process.stderr.write(`synth stopped: ${report.errors.length} problem(s) in hunts/ (npm run hunt -- validate shows them again)\n`);
  process.exitCode = 1;
}
