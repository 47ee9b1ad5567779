import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const emulator = join(root, '.cache', 'dynamodb-local');
const guard = join(import.meta.dirname, 'exit-with-parent.mjs');

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((ok, fail) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return fail(new Error(`DynamoDB Local exited with code ${child.exitCode}`));
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => { sock.destroy(); ok(); });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) fail(new Error(`DynamoDB Local did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Starts DynamoDB Local in memory on a free loopback port (fetching the jar first if needed). */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  execFileSync(process.execPath, [join(root, 'scripts', 'ensure-dynamodb-local.mjs')], { stdio: 'inherit' });
  const port = await freePort();
  // Through a guard that ends the JVM when this process dies, even by SIGKILL (see the guard).
  const child = spawn(
    process.execPath,
    [guard, 'java', `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`, '-jar', join(emulator, 'DynamoDBLocal.jar'),
      '-inMemory', '-port', String(port)],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  try {
    await waitForPort(port, child, 30_000);
  } catch (err) {
    // SIGTERM: the guard then kills the JVM (a SIGKILL here would end the guard alone and leave the JVM)
    child.kill('SIGTERM');
    throw new Error(`${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once('exit', () => ok());
      // the guard kills the JVM at once and exits with it; closing its stdin asks the same
      child.kill('SIGTERM');
      child.stdin?.end();
    }),
  };
}
