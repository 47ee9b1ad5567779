import { describe, expect, it } from 'vitest';
import { NotifyConfigError } from '../../lambda/notify/index.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';
import { ConsoleNotifier } from '../../local/adapters/index.js';

const ctx = makeContext();

describe('ConsoleNotifier', () => {
  it('prints the email an analyst would read and records what it sent', async () => {
    const out: string[] = [];
    const console = new ConsoleNotifier({ write: (t) => out.push(t), stormLimit: 10 });
    const f = makeFinding({ remoteCommand: 'notepad.exe\u202E\r\nfake' });

    const outcome = await console.publish([f], ctx);

    expect(outcome).toEqual({ delivered: [f.fingerprint], failed: [], messages: 1, digest: false });
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('Subject: [CRITICAL] WMIC remote exec "WKS-FIN-042" -> "srv-file-01" (risk 95)');
    expect(out[0]).toContain('notepad.exe[U+202E][U+000D][U+000A]fake');
    expect(out[0]).toContain('RESPONSE ACTIONS');
    expect(console.sent).toEqual([
      expect.objectContaining({
        via: 'pair',
        fingerprint: f.fingerprint,
        source: 'WKS-FIN-042',
        target: 'srv-file-01',
        severity: 'critical',
        riskScore: 95,
        remoteCommand: 'notepad.exe\u202E\r\nfake',
        count: 3,
      }),
    ]);
  });

  it('prints the default JSON one line per message in json format', async () => {
    const out: string[] = [];
    const console = new ConsoleNotifier({ write: (t) => out.push(t), stormLimit: 10, format: 'json' });

    await console.publish([makeFinding(), makeFinding()], ctx);

    expect(out).toHaveLength(2);
    for (const line of out) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.trimEnd()).not.toContain('\n');
      expect(JSON.parse(line)).toMatchObject({ kind: 'finding', schema: 'wmic-remote-exec.finding/1' });
    }
  });

  it('prints one digest beyond the storm limit and records every pair it covers', async () => {
    const out: string[] = [];
    const console = new ConsoleNotifier({ write: (t) => out.push(t), stormLimit: 2 });
    const fs = [makeFinding(), makeFinding({ sourceHost: 'B' }), makeFinding({ sourceHost: 'C' })];

    const outcome = await console.publish(fs, ctx);

    expect(outcome).toMatchObject({ digest: true, messages: 1, delivered: fs.map((f) => f.fingerprint) });
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('this digest replaces the 3 per-pair messages');
    expect(console.sent.map((s) => [s.via, s.source])).toEqual([
      ['digest', 'WKS-FIN-042'],
      ['digest', 'B'],
      ['digest', 'C'],
    ]);
  });

  it('reports a failing sink as failed, not delivered', async () => {
    const console = new ConsoleNotifier({
      write: () => {
        throw new Error('EPIPE: broken pipe');
      },
      stormLimit: 10,
    });
    const f = makeFinding();

    const outcome = await console.publish([f], ctx);

    expect(outcome.delivered).toEqual([]);
    expect(outcome.failed).toEqual([{ fingerprint: f.fingerprint, code: 'WriteError', message: 'EPIPE: broken pipe' }]);
    expect(console.sent).toEqual([]);
  });

  it('rejects a bad storm limit or format', () => {
    expect(() => new ConsoleNotifier({ write: () => {}, stormLimit: -1 })).toThrow(NotifyConfigError);
    expect(() => new ConsoleNotifier({ write: () => {}, stormLimit: 3, format: 'xml' as never })).toThrow(/format must be 'text' or 'json'/);
  });
});
