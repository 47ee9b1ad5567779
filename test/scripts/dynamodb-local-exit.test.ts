import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The suite's DynamoDB Local must end with the process that started it, however that process
// ends. Stryker kills a timed-out test runner with SIGKILL (no teardown runs); before the guard,
// every such kill left a JVM behind (eight after one run), and the load timed out more mutants.
const root = resolve(import.meta.dirname, '..', '..');
const guard = join(root, 'test', 'support', 'exit-with-parent.mjs');

function listening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => { sock.destroy(); ok(true); });
    sock.once('error', () => { sock.destroy(); ok(false); });
  });
}

async function until(what: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Starts `script` in a child node (with tsx) and resolves with the first line it prints. */
function startParent(script: string): Promise<{ kill: () => void; line: string }> {
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    let out = '';
    parent.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) ok({ kill: () => parent.kill('SIGKILL'), line: out.slice(0, nl) });
    });
    parent.once('exit', (code) => fail(new Error(`parent exited (${code}) before printing: ${out}`)));
  });
}

describe('DynamoDB Local ends with its parent', () => {
  it('stops listening after the process that started it is killed with SIGKILL', async () => {
    const parent = await startParent(`
      import { startDynamoDbLocal } from './test/support/dynamodb-local.ts';
      const ddb = await startDynamoDbLocal();
      console.log(ddb.endpoint);
      setInterval(() => {}, 1000);`);
    const port = Number(new URL(parent.line).port);
    expect(await listening(port)).toBe(true);
    parent.kill();
    expect(await until(async () => !(await listening(port)), 15_000)).toBe(true);
  }, 90_000);

  it('the guard ends its command when the parent dies, and passes on the exit code otherwise', async () => {
    const parent = await startParent(`
      import { spawn } from 'node:child_process';
      const child = spawn(process.execPath, [${JSON.stringify(guard)}, process.execPath, '-e', 'console.log(process.pid); setInterval(() => {}, 1000)'], { stdio: ['pipe', 'inherit', 'inherit'] });
      setInterval(() => {}, 1000);`);
    const pid = Number(parent.line);
    expect(alive(pid)).toBe(true);
    parent.kill();
    expect(await until(async () => !alive(pid), 10_000)).toBe(true);

    const done = spawn(process.execPath, [guard, process.execPath, '-e', 'process.exit(7)'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const code = await new Promise((ok) => done.once('exit', ok));
    expect(code).toBe(7);
  }, 30_000);

  it('asked to stop, the guard kills its command at once, even one that ignores SIGTERM', async () => {
    // A loaded JVM did not act on SIGTERM within the old 3 s grace, the caller then killed the guard,
    // and the JVM stayed behind. SIGKILL from the guard leaves nothing to wait for.
    const guarded = spawn(process.execPath, [guard, process.execPath, '-e', "process.on('SIGTERM', () => {}); console.log(process.pid); setInterval(() => {}, 1000)"],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((ok) => guarded.stdout.once('data', (d: Buffer) => ok(Number(String(d).trim()))));
    expect(alive(pid)).toBe(true);
    const asked = Date.now();
    guarded.kill('SIGTERM');
    expect(await until(async () => !alive(pid), 10_000)).toBe(true);
    // the old guard waited 3 s before its SIGKILL
    expect(Date.now() - asked).toBeLessThan(2_900);
  }, 30_000);
});
