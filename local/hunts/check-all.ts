/**
 * Every check of the cards in hunts/, as `npm run hunt -- validate`, `npm test` and the synth run
 * it: the format, the XQL and its fields, the registry (IDs, modules), the embedded copy in the
 * Lambda bundle, and each card's test rows through the local XSIAM. Errors stop; warnings are said.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { formatCardProblem, HuntsError } from '../../lambda/hunts/index.js';
import { huntModules, type HuntModule } from '../../lambda/modules/index.js';
import { parseTestRows, runTestRows } from './card-tests.js';
import { embeddedUpToDate, readCardSources, REPO_ROOT, testFileOf, HUNTS_DIR, EMBEDDED_MODULE } from './sources.js';
import { checkCard } from './validate.js';

export interface CheckReport {
  /** `file:line: message (fix: ...)` each. */
  readonly errors: string[];
  readonly warnings: string[];
  /** Cards checked and test rows run. */
  readonly cards: number;
  readonly testRows: number;
}

/** Checks the cards of `dir` (only those whose file or ID is in `only`, when given). */
export async function checkHunts(options: { readonly dir?: string; readonly only?: string | null } = {}): Promise<CheckReport> {
  const dir = options.dir ?? HUNTS_DIR;
  const errors: string[] = [];
  const warnings: string[] = [];
  const sources = readCardSources(dir);
  const chosen = sources.filter((s) => !options.only || s.file.endsWith(options.only) || s.file.endsWith(`${options.only}.md`));
  if (options.only && chosen.length === 0) errors.push(`no card in ${relative(REPO_ROOT, dir)}/ is "${options.only.slice(0, 100)}": give a card file or an ID`);
  let broken = false;
  for (const s of chosen) {
    const { problems } = checkCard(s.text, s.file);
    errors.push(...problems.map(formatCardProblem));
    broken ||= problems.length > 0;
  }
  if (broken) return { errors, warnings, cards: chosen.length, testRows: 0 };
  let hunts: HuntModule[];
  try {
    hunts = huntModules(sources);
  } catch (err) {
    if (!(err instanceof HuntsError)) throw err;
    return { errors: [...errors, err.message], warnings, cards: chosen.length, testRows: 0 };
  }
  if (dir === HUNTS_DIR && !embeddedUpToDate()) {
    errors.push(`${relative(REPO_ROOT, EMBEDDED_MODULE)}:1: the Lambda bundle's copy of hunts/ is stale (fix: run npm run cards)`);
  }
  let testRows = 0;
  for (const s of chosen) {
    const hunt = hunts.find((h) => h.card.file === s.file)!;
    const testFile = testFileOf(s.file);
    const shown = relative(REPO_ROOT, testFile);
    if (!existsSync(testFile)) {
      warnings.push(`${s.file}:1: the hunt has no test rows (fix: add ${shown}, one xdr_data row per line with "_expect": {"notified": true|false})`);
      continue;
    }
    const { rows, failures } = parseTestRows(readFileSync(testFile, 'utf8'));
    failures.push(...(await runTestRows(hunt, rows)));
    testRows += rows.length;
    if (rows.length === 0 && failures.length === 0) warnings.push(`${shown}:1: no test rows in the file (fix: add one xdr_data row per line)`);
    errors.push(...failures.sort((a, b) => a.line - b.line).map((f) => `${shown}:${f.line}: ${f.message} (fix: correct the hunt or the row's "_expect")`));
  }
  return { errors, warnings, cards: chosen.length, testRows };
}
