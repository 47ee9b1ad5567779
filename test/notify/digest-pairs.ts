/**
 * Pairs and a run context for the storm digest's renderer tests: four pairs of one run, shaped like
 * the Chaos-style finding of the notify fixtures, each carrying one thing a row must show (a
 * null command, late evidence, a command longer than a row's cap).
 */
import type { TrackedFinding } from '../../lambda/finding.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import type { NotificationContext } from '../../lambda/ports.js';
import { makeContext, makeFinding } from '../fixtures/notify/findings.js';

/** An encoded PowerShell command of 25 + 240 = 265 characters (what `-enc` payloads look like: base64 of UTF-16LE). */
export const LONG_COMMAND = `powershell.exe -nop -enc ${'SQBFAFgAIAAoAE4AZQB3AC0A'.repeat(10)}`;

/** Highest risk first: A 95 critical, B 80 high (no command on the line, 30 h late), C 60 medium (long command), D 40 low. */
export function stormPairs(): TrackedFinding[] {
  return [
    makeFinding({ sourceHost: 'WKS-IT-113', targetHost: 'srv-app-03', riskScore: 60, severity: 'medium', remoteCommand: LONG_COMMAND, count: 1 }),
    makeFinding({ sourceHost: 'WKS-FIN-042', targetHost: 'srv-file-01', riskScore: 95, severity: 'critical' }),
    makeFinding({ sourceHost: 'WKS-LAB-900', targetHost: 'srv-test-09', riskScore: 40, severity: 'low', remoteCommand: 'calc.exe' }),
    makeFinding({ sourceHost: 'WKS-HR-007', targetHost: 'srv-db-02', riskScore: 80, severity: 'high', remoteCommand: null, arrivedLateMs: 30 * 3_600_000 }),
  ];
}

/** The run: its totals agree with four new pairs; two of the hunt's response actions keep the text short. */
export const stormContext: NotificationContext = makeContext({
  hunt: { ...WMIC_REMOTE_EXEC, responseActions: WMIC_REMOTE_EXEC.responseActions.slice(0, 2) },
  totals: { findings: 6, newPairs: 4, repeats: 1, suppressed: 1 },
});
