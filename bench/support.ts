/** Small helpers the benchmarks share: statistics, child processes, paths. */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
/** Git-ignored scratch folder (bundles, payload files, CPU profiles). */
export const TMP = join(ROOT, 'bench', '.tmp');

export function tmpDir(...parts: string[]): string {
  const dir = join(TMP, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `args` with this Node binary; bounded by `timeoutMs` (the child is killed past it). */
export function runNode(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<ChildResult> {
  return new Promise((ok, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Marker before the one JSON line a benchmark child prints as its result. */
export const RESULT_MARK = '@@bench-result ';

export function emitResult(value: unknown): void {
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(value)}\n`);
}

/** Runs a TypeScript child (through tsx) and returns the JSON it emitted with emitResult. */
export async function runTsChild<T>(file: string, nodeFlags: readonly string[] = [], args: readonly string[] = [], timeoutMs = 300_000): Promise<{ result: T; child: ChildResult }> {
  const child = await runNode([...nodeFlags, '--import', 'tsx', join(ROOT, 'bench', file), ...args], { timeoutMs });
  const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (child.code !== 0 || line === undefined) {
    throw new Error(`bench/${file} failed (exit ${String(child.code)}):\n${child.stderr.slice(-3000)}`);
  }
  return { result: JSON.parse(line.slice(RESULT_MARK.length)) as T, child };
}
