/**
 * What a shadow run writes to the day's shadow log (stages/shadow.ts), the lines the daily shadow
 * report lists: a WMIC pair by its remote command, a card-only hunt's finding (no remote command)
 * by its command line, redacted as notifications are.
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { ShadowEntry, StateStore } from '../../lambda/ports.js';
import type { RunContext } from '../../lambda/run/context.js';
import { logShadow } from '../../lambda/run/stages/shadow.js';
import { makeFinding, T0 } from '../fixtures/notify/findings.js';

const NOW = T0 + 5 * 60_000;

/** Runs the stage over a store that keeps what it is given. */
async function shadowLog(...findings: Parameters<typeof logShadow>[1]): Promise<{ counts: object; entries: ShadowEntry[] }> {
  const entries: ShadowEntry[] = [];
  const state = { recordShadow: async (_huntId: string, given: readonly ShadowEntry[]) => { entries.push(...given); } } as unknown as StateStore;
  const ctx: RunContext = {
    ports: { clock: { now: () => NOW }, log: { debug() {}, info() {}, warn() {}, error() {} }, state } as unknown as RunContext['ports'],
    request: { hunt: WMIC_REMOTE_EXEC, settings: defaultRunSettings(), runId: 'run-1', deadline: NOW + 60_000, shadow: true },
    flags: { window: null, advancesCheckpoint: true, publish: false },
  };
  return { counts: await logShadow(ctx, findings), entries };
}

describe('the shadow log entry', () => {
  it('shows a WMIC pair by its remote command, not by the whole wmic line', async () => {
    const pair = makeFinding();
    const { counts, entries } = await shadowLog(pair);
    expect(counts).toEqual({ wouldNotify: 1 });
    expect(entries).toEqual([{
      fingerprint: pair.fingerprint, sourceHost: 'WKS-FIN-042', targetHost: 'srv-file-01', severity: 'critical', riskScore: 95,
      reasons: ['payload.powershell', 'line.credentials'], remoteCommand: pair.remoteCommand, seenAt: NOW,
    }]);
  });

  it('shows a card-only finding by its command line with the password redacted, and one with neither as none', async () => {
    // Atomic Red Team T1490 test 2 (wmic shadowcopy delete), run against a file server with explicit credentials.
    const line = 'wmic.exe /node:"FS01" /user:"CORP\\svc-backup" /password:"Hunter2!" shadowcopy delete';
    const card = makeFinding({ huntId: 'HuntQuery-Windows-ShadowCopy-Delete', sourceHost: 'FS01', targetHost: 'fs01', remoteCommand: null, commandLine: line });
    const bare = makeFinding({ remoteCommand: null, commandLine: '' });
    const { entries } = await shadowLog(card, bare);
    expect(entries.map((e) => e.remoteCommand)).toEqual(['wmic.exe /node:"FS01" /user:"CORP\\svc-backup" /password:*** shadowcopy delete', null]);
  });
});
