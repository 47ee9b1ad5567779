/** The stdout table of a benchmark run: one line per goal, with PASS or MISSED. */

export interface Line {
  readonly id: string;
  readonly what: string;
  readonly value: string;
  readonly goal: string;
  /** null: informational, no goal. */
  readonly pass: boolean | null;
}

export function verdict(pass: boolean | null): string {
  if (pass === null) return '';
  return pass ? 'PASS' : 'MISSED';
}

export function table(lines: readonly Line[]): string {
  const rows = [['', 'measure', 'value', 'goal', 'result'], ...lines.map((l) => [l.id, l.what, l.value, l.goal, verdict(l.pass)])];
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const fmt = (r: readonly string[]): string => r.map((cell, c) => (c === 2 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [fmt(rows[0] ?? []), rule, ...rows.slice(1).map(fmt)].join('\n');
}

export const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ms`;
export const x = (n: number): string => `${n.toFixed(2)}x`;
export const kb = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
