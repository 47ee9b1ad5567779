/** Drives the command line's entry point (local/cli/main.ts) with captured streams, or spawns the real process. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

/**
 * One wmic process start as XSIAM exports it (xdr_data field names, enum names as strings),
 * from WS-01 under cmd.exe; `over` replaces any field.
 */
export function wmicRow(time: number, commandLine: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _time: time, event_id: 'e1', agent_hostname: 'WS-01', agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START',
    action_process_image_name: 'wmic.exe', action_process_image_command_line: commandLine, actor_process_image_name: 'cmd.exe', ...over,
  };
}

/** Writes rows as JSONL into a new temporary folder: the folder and the file. */
export function eventsFile(rows: readonly Record<string, unknown>[]): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return { dir, file };
}
