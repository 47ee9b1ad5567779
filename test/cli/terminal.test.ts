/**
 * Issue 18 §8, for the person at the terminal: every command prints its usage with --help, error
 * messages speak in words (no class names) and give each cause once, and exit codes are
 * consistent: 0 done, 1 a failed run, 2 a usage error or a refused run.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { errorLine } from '../../local/cli/errors.js';
import { hunt, tempDir } from './harness.js';

/** Class names as error messages print them (`XsiamNetworkError: …`). */
const CLASS_NAME = /\b[A-Z][A-Za-z]+(Error|Exception)\b/;

describe('--help', () => {
  it.each([
    ['run', /^usage: npm run hunt \[-- run\]/],
    ['backfill', /^usage: npm run hunt -- backfill/],
    ['explain', /^usage: npm run hunt -- explain/],
    ['xql', /^usage: npm run hunt -- xql/],
  ])('%s --help prints its usage and exits 0', async (command, usage) => {
    for (const flag of ['--help', '-h']) {
      const r = await hunt([command, '--events', 'x.jsonl', flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(usage);
      expect(r.stderr).toBe('');
    }
  });
});

describe('exit codes', () => {
  it.each([
    [['--bogus']], [['backfill', '--bogus']], [['xql', '--bogus']], [['xql', '--events', 'x.jsonl']],
    [['backfill', '--from', '2026-01-01T00:00:00Z']], [['frobnicate']], [['explain', '--host']],
  ])('a usage error exits 2: %j', async (args) => {
    const r = await hunt(args);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(CLASS_NAME);
  });

  it('a file that cannot be read is named with the option, in words, and exits 2', async () => {
    const missing = `${tempDir()}/nope.jsonl`;
    for (const args of [['xql', '--events', missing, '--query', 'dataset = xdr_data'], ['xql', '--events', missing, '--query-file', missing],
      ['backfill', '--events', missing, '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T01:00:00Z']]) {
      const r = await hunt(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^hunt: --(events|query-file) ${missing}: cannot read it \\(ENOENT\\)$`, 'm'));
    }
  });

  it('backfill --output json answers a refusal with a JSON document too, like run', async () => {
    const r = await hunt(['backfill', '--events', `${tempDir()}/nope.jsonl`, '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T01:00:00Z', '--output', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('cannot read it (ENOENT)') } });
  });

  it('a run that fails exits 1 with the cause in words, once', async () => {
    // A tenant whose port refuses connections: every query fails with ECONNREFUSED.
    const server = createServer();
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((closed) => server.close(() => closed()));
    const r = await hunt(['--state', tempDir(), '--from', new Date(Date.now() - 3_600_000).toISOString()], {
      env: { XSIAM_TENANT: `http://127.0.0.1:${port}`, XSIAM_API_KEY_ID: '1', XSIAM_API_KEY: 'a'.repeat(40) },
    });
    expect(r.code).toBe(1);
    const line = r.stderr.split('\n').find((l) => l.startsWith('hunt: ')) ?? '';
    expect(line).toContain('ECONNREFUSED');
    expect(line).not.toMatch(CLASS_NAME);
    expect(line).not.toContain('(cause:');
    expect(line.match(/network error ECONNREFUSED/g)).toHaveLength(1);
  });
});

describe('errorLine', () => {
  it('drops class names and a cause the message already tells', () => {
    const inner = new Error('connect ECONNREFUSED 127.0.0.1:9');
    const mid = Object.assign(new Error('start_xql_query: network error talking to 127.0.0.1:9', { cause: inner }), { name: 'XsiamNetworkError' });
    const outer = new Error(`query failed for A – B: XsiamNetworkError: ${mid.message}`, { cause: mid });
    expect(errorLine(outer)).toBe('query failed for A – B: start_xql_query: network error talking to 127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9');
  });
});
