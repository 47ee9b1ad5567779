/**
 * Issue 20: the command line escapes the control characters an intruder types, in every output:
 * run (text and JSON), backfill, explain (report and JSONL), xql (rows and a parse error) and
 * XSIAM's error text. Text shows `[U+XXXX]`; JSON carries `\uXXXX`, so the data is unchanged
 * after JSON.parse. The sequences are what terminals act on (xterm's ctlseqs: CSI, OSC 8 links,
 * OSC 0 titles; C1 CSI U+009B) and Trojan Source's bidi override U+202E (CVE-2021-42574).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalJson, terminalText } from '../../local/cli/terminal-safe.js';
import { eventsFile, hunt, tempDir, wmicRow } from './harness.js';

/** CSI colour, an OSC 8 hyperlink, an OSC 0 window title, C1 CSI, a bidi override and isolate, a line separator. */
const HOSTILE = '\u001b[31mred\u001b[0m \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 \u001b]0;pwned\u0007 \u009b2J \u202eexe.clac\u202c \u2066x\u2069 \u2028';
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const LINE = `wmic /node:db01 process call create "cmd /c echo ${HOSTILE}"`;
const T = Date.UTC(2026, 0, 5, 10);

/** The intruder's bytes in the command line and the user of a process start. */
const hostileEvents = (): { dir: string; file: string } => eventsFile([wmicRow(T, LINE, { actor_effective_username: 'CORP\\adm\u001b[8m\u202e' })]);

function clean(r: { stdout: string; stderr: string }): void {
  expect(r.stdout).not.toMatch(RAW);
  expect(r.stderr).not.toMatch(RAW);
}

describe('the helpers', () => {
  it('text shows each control as [U+XXXX], keeping tabs and line breaks', () => {
    expect(terminalText('a\u001b[2Jb\u009b\u202e\tc\n')).toBe('a[U+001B][2Jb[U+009B][U+202E]\tc\n');
    expect(terminalText('\r[###] 1/2')).toBe('\r[###] 1/2');
    expect(terminalText('x\ry')).toBe('x[U+000D]y');
  });

  it('JSON escapes survive JSON.parse unchanged', () => {
    const doc = { s: HOSTILE, t: 'tab\there' };
    const text = terminalJson(JSON.stringify(doc, null, 2));
    expect(text).not.toMatch(RAW);
    expect(JSON.parse(text)).toEqual(doc);
  });
});

describe('every output of the command line', () => {
  it('run, text with --details and --show all', async () => {
    const { dir, file } = hostileEvents();
    const r = await hunt(['--events', file, '--state', join(dir, 's'), '--details', '--show', 'all']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('db01');
    clean(r);
  });

  it('run --output json: escaped, and the same command line after parsing', async () => {
    const { dir, file } = hostileEvents();
    const r = await hunt(['--events', file, '--state', join(dir, 's'), '--output', 'json']);
    clean(r);
    const doc = JSON.parse(r.stdout) as { notifications: { commandLine: string; user: string }[] };
    expect(doc.notifications[0]?.commandLine).toContain(HOSTILE);
    expect(r.stdout).toContain('\\u009b2J');
    expect(r.stdout).toContain('\\u202eexe.clac');
  });

  it('backfill, text and JSON', async () => {
    const { dir, file } = hostileEvents();
    const range = ['--from', new Date(T - 3_600_000).toISOString(), '--to', new Date(T + 3_600_000).toISOString()];
    const text = await hunt(['backfill', '--events', file, '--state', join(dir, 'a'), ...range]);
    expect(text.code).toBe(0);
    clean(text);
    const json = await hunt(['backfill', '--events', file, '--state', join(dir, 'b'), '--shadow', '--output', 'json', ...range]);
    clean(json);
    expect((JSON.parse(json.stdout) as { wouldNotifyPairs: { commandLine: string }[] }).wouldNotifyPairs[0]?.commandLine).toContain(HOSTILE);
  });

  it('explain, the readable report', async () => {
    const r = await hunt(['explain', '--host', 'WS\u001b[2J-01', LINE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[U+001B]]0;pwned[U+0007]');
    clean(r);
  });

  it('explain, JSONL from stdin', async () => {
    const row = JSON.stringify({ event_id: 'e\u009b1', agent_hostname: 'WS-01', action_process_image_command_line: LINE });
    const r = await hunt(['explain'], { stdin: Readable.from([`${row}\n{not json \u001b[2J\n`]) });
    clean(r);
    const [first] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event_id: string; wmicCommandLine: string | null; remoteCommand: string });
    expect(first?.event_id).toBe('e\u009b1');
    expect(first?.remoteCommand).toContain(HOSTILE);
  });

  it('xql, the result rows and a parse error', async () => {
    const { file } = hostileEvents();
    const rows = await hunt(['xql', '--events', file, '--query', 'dataset = xdr_data | fields action_process_image_command_line']);
    expect(rows.code).toBe(0);
    clean(rows);
    expect((JSON.parse(rows.stdout.trim()) as { action_process_image_command_line: string }).action_process_image_command_line).toBe(LINE);
    const bad = await hunt(['xql', '--events', file, '--query', `dataset = xdr_data | filter \u001b]0;pwned\u0007 \u202e`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('parse error');
    clean(bad);
  });

  it("XSIAM's error text, on stderr and in the JSON error document", async () => {
    // XSIAM's error envelope, {reply: {err_code, err_msg, err_extra}} (docs/reference/xsiam-xql-api.md §7), with the intruder's bytes echoed.
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ reply: { err_code: 401, err_msg: `bad key ${HOSTILE}`, err_extra: '\u009b6n' } }));
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const env = { XSIAM_TENANT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, XSIAM_API_KEY_ID: '1', XSIAM_API_KEY: 'a'.repeat(40) };
      const from = ['--from', new Date(Date.now() - 3_600_000).toISOString()];
      const text = await hunt(['--state', tempDir(), ...from], { env });
      expect(text.code).toBe(1);
      expect(text.stderr).toContain('bad key [U+001B][31mred');
      clean(text);
      const json = await hunt(['--state', tempDir(), '--output', 'json', ...from], { env });
      clean(json);
      expect((JSON.parse(json.stdout) as { error: { message: string } }).error.message).toContain('\u009b2J');
    } finally {
      server.close();
    }
  });
});
