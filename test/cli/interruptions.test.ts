import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { hunt, root, spawnCli, tempDir } from './harness.js';

const LEASE = `LEASE#${WMIC_REMOTE_EXEC.id}`;

/** A state folder whose run lease is held, for 15 more minutes, by `pid` on this host. */
function stateWithLease(pid: number): string {
  const state = tempDir();
  mkdirSync(state, { recursive: true });
  const until = Date.now() + 15 * 60_000;
  writeFileSync(join(state, 'state.json'), JSON.stringify({
    format: 'hunt-state/1',
    items: { [LEASE]: { pk: LEASE, holder: 'run-that-was-interrupted', leaseUntil: until, expiresAt: Math.floor(until / 1000) + 86_400, pid, host: hostname() } },
  }));
  return state;
}

describe('interrupted runs', () => {
  it('takes over a lease whose holder process is gone, with a note', async () => {
    // a process that has certainly ended: its pid is no longer running
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(gone.stdout);
    const state = stateWithLease(pid);
    const { code, stdout, stderr } = await hunt(['--state', state]);
    expect(code).toBe(0);
    expect(stderr).toContain(`took over the run lease of process ${pid} on ${hostname()}, which is no longer running`);
    expect(stdout).toMatch(/found: \d+ notified/);
    // the run released its own lease
    expect(JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')).items[LEASE]).toBeUndefined();
  });

  it('refuses clearly while a live process holds the lease (not a silent "up-to-date")', async () => {
    const state = stateWithLease(process.pid);
    const { code, stdout, stderr } = await hunt(['--state', state]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`another local run (process ${process.pid} on ${hostname()}) holds the run lease`);
    expect(stderr).toContain('use another --state folder');
  });

  it('`| head` ends quietly, with every pair it printed committed and no lease left behind', async () => {
    const state = tempDir();
    const piped = await spawnCli(`npx tsx local/cli.ts --state ${state} --details | head -3`);
    expect(piped.stdout).toContain('Notified host pairs');
    expect(piped.stdout.split('\n').length).toBeLessThanOrEqual(4);
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
    const items = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')).items as Record<string, Record<string, unknown>>;
    expect(items[LEASE]).toBeUndefined();
    const statuses = Object.values(items).filter((i) => i['status'] !== undefined).map((i) => i['status']);
    // notified pairs are NOTIFIED; only the ones held below the minimum stay PENDING (by design)
    expect(statuses.filter((s) => s === 'NOTIFIED')).toHaveLength(11);
    const again = await spawnCli(`npx tsx local/cli.ts --state ${state}`);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/found: 0 notified; .*11 already notified earlier/);
  }, 90_000);
});

describe('windows', () => {
  it('refuses a time in the future and an out-of-range value with a clear error', async () => {
    const far = await hunt(['--to', '99999999999999999999']);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('--to is out of range (got "99999999999999999999")');
    const future = await hunt(['--from', new Date(Date.now() + 3_600_000).toISOString()]);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/--from \S+ is in the future/);
    // a minute of clock skew is fine
    const skew = await hunt(['--state', tempDir(), '--from', new Date(Date.now() - 3_600_000).toISOString(), '--to', new Date(Date.now() + 30_000).toISOString()]);
    expect(skew.code).toBe(0);
  });

  it('asks for --yes before a run of more than 20 queries, then shows progress per chunk', async () => {
    const from = new Date(Date.now() - 365 * 86_400_000).toISOString();
    const refused = await hunt(['--state', tempDir(), '--from', from]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/needs 1,4\d\d queries of at most 6 hours each; add --yes to run them/);
    const to = new Date(Date.now() - 300 * 86_400_000).toISOString();
    const run = await hunt(['--state', tempDir(), '--from', new Date(Date.now() - 306 * 86_400_000).toISOString(), '--to', to, '--yes']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^query 24\/24: /m);
  }, 60_000);
});

describe('Ctrl-C', () => {
  it('a run interrupted by Ctrl-C leaves a lease the next run takes over at once', async () => {
    const state = tempDir();
    // one clock reading: two could differ by a millisecond and make the window 21 queries, not 20
    const now = Date.now();
    const from = new Date(now - 6 * 86_400_000).toISOString();
    const to = new Date(now - 86_400_000).toISOString();
    // Ctrl-C signals the terminal's whole foreground process group: a detached group stands in for it
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/cli.ts', '--state', state, '--from', from, '--to', to, '--yes'],
      { cwd: root, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!interrupted && /query 2\/20/.test(stderr) && child.exitCode === null) {
        process.kill(-child.pid!, 'SIGINT');
        interrupted = true;
      }
    });
    await new Promise((exited) => child.on('close', exited));
    // a run that ended without being interrupted fails here, naming what it printed, not by timing out
    expect(interrupted, stderr).toBe(true);
    const lease = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')).items[LEASE] as { pid: number };
    expect(lease.pid).toBe(child.pid);
    const next = await hunt(['--state', state, '--from', from, '--to', to, '--yes']);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`took over the run lease of process ${child.pid} on ${hostname()}`);
  }, 90_000);
});
