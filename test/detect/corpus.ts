/** Loads the shared labeled wmic corpus (test/fixtures/corpus, a copy kept in the repository) and scores analyses against it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeCommandLine, type WmicAnalysis } from '../../lambda/detect/index.js';

export const CORPUS_PATH = resolve(import.meta.dirname, '../fixtures/corpus/wmic-corpus-dev.jsonl');

export interface CorpusCase {
  readonly id: string;
  readonly command_line: string;
  readonly image_name: string;
  readonly parent_image_name: string;
  readonly label: 'remote_exec' | 'not_remote_exec';
  readonly expected_targets: string[];
  readonly expected_remote_command: string | null;
  readonly notes: string;
}

export function tag(c: CorpusCase, key: string): string | null {
  return new RegExp(`\\[${key}: ([^\\]]+)\\]`).exec(c.notes)?.[1] ?? null;
}

export function loadCorpus(path = CORPUS_PATH): CorpusCase[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CorpusCase);
}

/** The row the pipeline would see for a corpus case (event host from the notes when they name one). */
export function corpusRow(c: CorpusCase): Record<string, unknown> {
  const host = /event host = ([A-Za-z0-9._-]+)\)/.exec(c.notes)?.[1] ?? 'WKS-SRC-01';
  const original = /\[OriginalFileName=([^\]]+)\]/.exec(c.notes)?.[1];
  return {
    event_id: c.id,
    agent_hostname: host,
    action_process_image_name: c.image_name,
    action_process_image_command_line: c.command_line,
    actor_process_image_name: c.parent_image_name,
    ...(original !== undefined && { action_process_file_info: JSON.stringify({ original_name: original }) }),
  };
}

export interface Score {
  readonly group: string;
  readonly cases: number;
  readonly labelOk: number;
  readonly targetsOk: number;
  readonly targetsN: number;
  readonly commandOk: number;
  readonly commandN: number;
  readonly misses: string[];
}

/** Scores a group of cases the way scripts/score-explain.py does. */
export function score(group: string, cases: readonly CorpusCase[], analyse: (c: CorpusCase) => WmicAnalysis = (c) => analyzeCommandLine(corpusRow(c))): Score {
  let labelOk = 0, targetsOk = 0, targetsN = 0, commandOk = 0, commandN = 0;
  const misses: string[] = [];
  for (const c of cases) {
    const a = analyse(c);
    const want = c.label === 'remote_exec';
    if (a.remoteExec === want) labelOk++;
    else misses.push(`${c.id} label: want ${c.label}, got ${a.verdict}`);
    if (!want) continue;
    targetsN++;
    if (JSON.stringify(a.targets) === JSON.stringify(c.expected_targets.map((t) => t.toLowerCase()))) targetsOk++;
    else misses.push(`${c.id} targets: got ${JSON.stringify(a.targets.slice(0, 6))}`);
    if (c.expected_remote_command === null) continue;
    commandN++;
    if (a.remoteCommand === c.expected_remote_command) commandOk++;
    else misses.push(`${c.id} command: got ${JSON.stringify((a.remoteCommand ?? '').slice(0, 80))}`);
  }
  return { group, cases: cases.length, labelOk, targetsOk, targetsN, commandOk, commandN, misses };
}

export function formatScore(s: Score): string {
  const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${a}/${b} = ${((100 * a) / b).toFixed(1)}%`);
  return `${s.group.padEnd(28)} cases ${String(s.cases).padStart(3)}  label ${pct(s.labelOk, s.cases)}  targets ${pct(s.targetsOk, s.targetsN)}  command ${pct(s.commandOk, s.commandN)}`;
}
