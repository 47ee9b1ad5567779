/**
 * `npm run mutate:scores`: the mutation score of every file in `npm run mutate`'s scope, read
 * from the committed incremental file, without running Stryker. Per folder and per file: killed
 * (timeouts count as killed), survived, not covered, ignored; files changed since they were
 * measured are marked, and files never measured are listed.
 * https://stryker-mutator.io/docs/mutation-testing-elements/mutant-states-and-metrics/
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface MutantLike { readonly status: string }
export interface FileScore {
  readonly file: string;
  readonly killed: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly ignored: number;
  /** Killed ÷ (killed + survived + not covered), in %; null with nothing to score. */
  readonly score: number | null;
  /** The file's text differs from the text that was measured. */
  readonly stale: boolean;
}

/** Stryker's mutation score: detected ÷ valid, where compile errors and ignored mutants are not valid. */
export function scoreOf(file: string, mutants: readonly MutantLike[], stale: boolean): FileScore {
  const count = (...states: string[]): number => mutants.filter((m) => states.includes(m.status)).length;
  const killed = count('Killed', 'Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + survived + noCoverage;
  return { file, killed, survived, noCoverage, ignored: count('Ignored'), score: valid === 0 ? null : (100 * killed) / valid, stale };
}

/** The sum of several files' counts, scored. */
export function total(name: string, scores: readonly FileScore[]): FileScore {
  const sum = (k: 'killed' | 'survived' | 'noCoverage' | 'ignored'): number => scores.reduce((n, s) => n + s[k], 0);
  const killed = sum('killed');
  const valid = killed + sum('survived') + sum('noCoverage');
  return {
    file: name, killed, survived: sum('survived'), noCoverage: sum('noCoverage'), ignored: sum('ignored'),
    score: valid === 0 ? null : (100 * killed) / valid, stale: scores.some((s) => s.stale),
  };
}

/** The files (paths relative to the root) that the mutate patterns select; `!` patterns exclude. */
export function inScope(files: readonly string[], patterns: readonly string[]): string[] {
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return files.filter((f) => include.some((p) => matchesGlob(f, p)) && !exclude.some((p) => matchesGlob(f, p))).sort();
}

function walk(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(root, join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

const pct = (s: number | null): string => (s === null ? 'n/a' : `${s.toFixed(1)} %`);
const row = (s: FileScore, mark = ''): string =>
  `| ${s.file}${s.stale ? ' (changed since measured)' : ''} | ${pct(s.score)}${mark} | ${s.killed} | ${s.survived} | ${s.noCoverage} | ${s.ignored} |`;

async function main(): Promise<void> {
  const root = process.cwd();
  const config = (await import(pathToFileURL(join(root, 'stryker.config.mjs')).href)).default as { mutate: string[]; incrementalFile: string };
  // `--report <file>`: another report of the same schema, e.g. reports/mutation/mutation.json
  const at = process.argv.indexOf('--report');
  const reportFile = at > 0 ? (process.argv[at + 1] ?? '') : join(root, config.incrementalFile);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    files: Record<string, { source: string; mutants: MutantLike[] }>;
  };
  const scope = inScope(walk(root, 'lambda').map((f) => relative(root, join(root, f))), config.mutate);
  const measured: FileScore[] = [];
  const unmeasured: string[] = [];
  for (const file of scope) {
    const entry = report.files[file];
    if (entry === undefined) unmeasured.push(file);
    else measured.push(scoreOf(file, entry.mutants, entry.source !== readFileSync(join(root, file), 'utf8')));
  }
  const folders = new Map<string, FileScore[]>();
  for (const s of measured) {
    const folder = s.file.split('/').slice(0, -1).join('/');
    folders.set(folder, [...(folders.get(folder) ?? []), s]);
  }
  const lines = ['| file | score | killed | survived | not covered | ignored |', '| --- | --- | --- | --- | --- | --- |'];
  for (const [folder, scores] of folders) {
    lines.push(row(total(`**${folder}/**`, scores)));
    for (const s of scores) lines.push(row(s, s.score !== null && s.score < 75 ? ' (under 75 %)' : ''));
  }
  lines.push(row(total(`**all ${measured.length} measured files**`, measured)));
  console.log(lines.join('\n'));
  console.log(`\n${measured.length} of ${scope.length} files in scope measured.`);
  if (unmeasured.length > 0) console.log(`Not in the incremental file: not yet measured, or without mutants (run \`npm run mutate -- --mutate <files>\`):\n  ${unmeasured.join('\n  ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
