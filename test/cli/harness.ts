/** Drives the command line's entry point (local/cli/main.ts) with captured streams, or spawns the real process. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../local/cli/index.js';

export const root = resolve(import.meta.dirname, '../..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function tempDir(prefix = 'hunt-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `npm run hunt -- <args>` in this process through main(), with its stdout, stderr and exit code. */
export async function hunt(args: readonly string[], options: { env?: Record<string, string>; stdin?: Readable; now?: () => number } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdin: options.stdin ?? Readable.from([]),
    write: (t) => { stdout += t; },
    error: (t) => { stderr += t; },
    env: options.env ?? {},
    now: options.now ?? Date.now,
  });
  return { code, stdout, stderr };
}

/** Spawns a real command in the repository; `shell` lets a test pipe (`| head`). */
export function spawnCli(command: string, options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, { cwd: root, shell: '/bin/bash', env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
