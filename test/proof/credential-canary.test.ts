/**
 * The credential canary: every form of test/fixtures/detect/credential-forms.ts is planted, with its
 * own canary value, in the remote command, the parent command line, the remote command's encoded
 * script and the parent's encoded script (an Empire-style `powershell -noP -sta -w 1 -enc` stager),
 * and in the target's WmiPrvSE.exe child. Then every output is searched for every canary and for
 * the base64 that carries one: the detector's findings, email, Chatbot, the SNS `default` JSON, the
 * Slack webhook forwarder's blocks, the whole run through DynamoDB Local and the local XSIAM (SNS
 * entries and every log line), `--output json`, the CLI's text, and `explain` (JSONL and text).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWLIST, createDetector } from '../../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { composeFinding } from '../../lambda/notify/index.js';
import type { Log } from '../../lambda/ports.js';
import { renderSnsMessage } from '../../lambda/slack-forwarder/index.js';
import { hunt, tempDir } from '../cli/harness.js';
import { encodePs } from '../detect/helpers.js';
import { CREDENTIAL_FORMS } from '../fixtures/detect/credential-forms.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { MIN, snsAcceptsAll, snsMock, startHarness, wmicRow, type Harness } from '../integration/harness.js';

const PLACES = ['remote', 'parent', 'remote-enc', 'parent-enc'] as const;
interface Planted { readonly canary: string; readonly base64: string | null; readonly where: string }

const planted: Planted[] = [];
const rowsAt = (t: number): Record<string, unknown>[] => {
  planted.length = 0;
  const rows: Record<string, unknown>[] = [];
  CREDENTIAL_FORMS.forEach((form, i) => {
    PLACES.forEach((place, j) => {
      const canary = `Cn${i}x${j}q${Math.random().toString(36).slice(2, 10)}!`;
      const text = form.plant(canary);
      const target = `tgt${i}x${j}`; // no dash: wmic rejects an unquoted /node value holding one
      const b64 = place.endsWith('enc') ? encodePs(`${text}; Write-Output done`) : null;
      planted.push({ canary, base64: b64, where: `${form.name} (${place})` });
      const remote = place === 'remote' ? `cmd /c ${text}` : place === 'remote-enc' ? `powershell -nop -w hidden -enc ${b64}` : 'calc.exe';
      const extra = place === 'parent' ? { actor_process_command_line: `cmd.exe /c ${text} & wmic /node:${target} process call create calc.exe` }
        : place === 'parent-enc' ? { actor_process_image_name: 'powershell.exe', actor_process_command_line: `powershell -noP -sta -w 1 -enc ${b64}` } : {};
      rows.push(wmicRow(t, `ws-${i}-${j}`, `wmic /node:${target} process call create "${remote}"`, extra));
      // the target shows WmiPrvSE.exe starting the command (Sysmon of an Empire run: ~150 ms later)
      if (place === 'remote') {
        rows.push({ ...wmicRow(t + 150, target, remote), action_process_image_name: 'cmd.exe', actor_process_image_name: 'WmiPrvSE.exe', agent_ip_addresses: [`10.9.${i}.${j + 1}`] });
      }
    });
  });
  return rows;
};

/** Every canary and every base64 that carries one, absent from `text` (named by where it was planted). */
function assertNoCanary(output: string, text: string): void {
  for (const p of planted) {
    expect(text.includes(p.canary), `${p.where}: canary found in ${output}`).toBe(false);
    expect(text.includes(p.canary.slice(0, -1)), `${p.where}: canary found in ${output}`).toBe(false);
    if (p.base64 !== null) expect(text.includes(p.base64.slice(0, 48)), `${p.where}: its base64 found in ${output}`).toBe(false);
  }
}

describe('no credential form reaches any output', () => {
  it('the detector, email, Chatbot, SNS default JSON and the Slack forwarder\'s blocks', () => {
    const rows = rowsAt(Date.now() - 10 * MIN);
    const { findings } = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST })(rows, Date.now());
    expect(findings.length).toBe(CREDENTIAL_FORMS.length * PLACES.length);
    assertNoCanary('findings', JSON.stringify(findings));
    const ctx = makeContext();
    for (const f of findings) {
      const message = composeFinding(makeFinding({ ...f, count: 1, status: 'PENDING' }), ctx);
      const parts = JSON.parse(message.message) as Record<string, string>;
      assertNoCanary('email', parts['email']!);
      assertNoCanary('Chatbot', parts['https'] ?? JSON.stringify(parts));
      assertNoCanary('SNS default JSON', parts['default']!);
      assertNoCanary('Slack forwarder blocks', JSON.stringify(renderSnsMessage('m-1', parts['default']!)));
      assertNoCanary('subject', message.subject);
    }
  });

  it('--output json, the text run and explain (JSONL and one line)', async () => {
    const now = Date.now();
    const rows = rowsAt(now - 30 * MIN);
    const dir = tempDir('hunt-canary-');
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const window = ['--from', String(now - 2 * 60 * MIN), '--to', String(now), '--min-severity', 'low', '--show', 'all'];
    const json = await hunt(['--events', file, '--state', join(dir, 's1'), '--output', 'json', ...window]);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { notifications: unknown[] }).notifications.length).toBeGreaterThan(0);
    assertNoCanary('--output json', json.stdout + json.stderr);
    const text = await hunt(['--events', file, '--state', join(dir, 's2'), ...window]);
    assertNoCanary('the CLI text', text.stdout + text.stderr);
    const explained = await hunt(['explain'], { stdin: Readable.from([rows.map((r) => JSON.stringify(r)).join('\n')]) });
    assertNoCanary('explain (JSONL)', explained.stdout + explained.stderr);
    for (const r of rows) {
      const one = await hunt(['explain', String(r['action_process_image_command_line'])]);
      assertNoCanary('explain (text)', one.stdout + one.stderr);
    }
  }, 120_000);

  describe('a whole run through DynamoDB Local and the local XSIAM', () => {
    let h: Harness;
    beforeAll(async () => { h = await startHarness({ minSeverity: 'low' }); });
    afterAll(async () => h.close());

    it('no canary in any SNS entry (and the Slack blocks made from it) or any log line', async () => {
      snsMock.reset();
      snsAcceptsAll();
      h.events.push(...(rowsAt(h.clock.now - 20 * MIN) as never[]));
      const lines: string[] = [];
      const record = (level: string) => (message: string, extra?: Record<string, unknown>) => { lines.push(`${level} ${message} ${JSON.stringify(extra ?? {})}`); };
      const log: Log = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
      const summary = await h.run({ log });
      expect(summary.status).toBe('completed');
      const entries = snsMock.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
      expect(entries.length).toBeGreaterThan(0);
      assertNoCanary('SNS entries', JSON.stringify(entries));
      for (const e of entries) {
        const body = JSON.parse(e.Message ?? '{}') as { default: string };
        assertNoCanary('Slack forwarder blocks', JSON.stringify(renderSnsMessage(e.Id ?? 'm', body.default)));
      }
      assertNoCanary('log lines', lines.join('\n'));
      assertNoCanary('run summary', JSON.stringify(summary));
    }, 120_000);
  });

  it('the checks can fail: a canary in an output is caught', () => {
    rowsAt(0);
    expect(() => assertNoCanary('x', `a ${planted[5]!.canary} b`)).toThrow(/canary found in x/);
  });
});
