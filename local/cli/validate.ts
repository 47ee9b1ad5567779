/** `npm run hunt -- validate [CARD]`: checks the cards of hunts/ and runs their test rows (local/hunts/check-all.ts). */
import { checkHunts } from '../hunts/index.js';
import { UsageError } from './run-options.js';

export const VALIDATE_USAGE = `usage: npm run hunt -- validate [CARD]
  checks every card in hunts/ (or CARD: a card file or a hunt ID): the sections, the XQL (parsed by
  the local engine), its xdr_data fields, the Lambda bundle's copy, and runs hunts/<ID>.test.jsonl
  through the local XSIAM. Exit code 1 when anything is wrong; a card without tests is a warning.`;

export async function runValidateCommand(args: readonly string[], io: { readonly write: (t: string) => void; readonly error: (t: string) => void }): Promise<number> {
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) throw new UsageError(`validate takes at most one card (got ${args.join(' ').slice(0, 80)})`);
  const report = await checkHunts({ only: args[0] ?? null });
  for (const w of report.warnings) io.error(`warning: ${w}\n`);
  for (const e of report.errors) io.error(`error: ${e}\n`);
  io.write(`${report.cards} card(s) checked, ${report.testRows} test row(s) run: ${report.errors.length === 0 ? 'ok' : `${report.errors.length} problem(s)`}` +
    `${report.warnings.length > 0 ? `, ${report.warnings.length} warning(s)` : ''}\n`);
  return report.errors.length === 0 ? 0 : 1;
}
