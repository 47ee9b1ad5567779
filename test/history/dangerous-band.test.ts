/**
 * A credential dump, defence impairment or log clearing launched from a routine admin host keeps its
 * severity band (issue 21's survivor: without the guard an ntdsutil dump drops from 75 to 55 and is held).
 */
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../lambda/config.js';
import { DEFAULT_ALLOWLIST, createDetector } from '../../lambda/detect/index.js';
import { severityAtLeast } from '../../lambda/finding.js';
import { applyHistory, dayOf, type HuntHistory } from '../../lambda/history/index.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { T0, wmicRow } from '../integration/harness.js';

const settings = defaultRunSettings();
const TODAY = dayOf(T0);
const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const WARM: HuntHistory = {
  coveredDays: days(TODAY - 28, TODAY - 1),
  hosts: new Map([['it-adm-01', { kind: 'host', name: 'it-adm-01', days: days(TODAY - 20, TODAY - 11), targets: [], targetCount: 3 }]]),
  users: new Map(),
};
// launched through the management agent (-25), as a routine admin host's jobs are
const VIA_AGENT = { actor_process_image_name: 'CcmExec.exe', actor_process_image_path: 'C:\\Windows\\CCM\\CcmExec.exe' };

function judged(cmd: string) {
  const [f] = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST })([wmicRow(T0, 'IT-ADM-01', cmd, VIA_AGENT)], T0).findings;
  const { findings: [after] } = applyHistory([f!], WARM, settings, TODAY);
  return { before: f!, after: after! };
}

describe('dangerous payloads keep their band on a routine source', () => {
  it('an ntdsutil dump at 75 stays high (70, notified at the default minimum), not 55', () => {
    // ntdsutil's IFM dump as the DFIR Report's intrusions show it: 85 − 25 + 5 (cmd /c) + 10 = 75
    const { before, after } = judged('wmic /node:DC01 process call create "cmd /c ntdsutil \\"ac i ntds\\" ifm \\"create full c:\\x\\" q q"');
    expect(before).toMatchObject({ riskScore: 75, severity: 'high' });
    expect(after).toMatchObject({ riskScore: 70, severity: 'high' });
    expect(after.riskScore).not.toBe(55);
    expect(severityAtLeast(after.severity, settings.minSeverity)).toBe(true);
    expect(after.reasons.at(-1)!.detail).toContain('payload.credential-access keeps its high band');
  });

  it('an lsass dump through comsvcs.dll, defence impairment and log clearing keep their band too', () => {
    for (const payload of [
      'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\x\\l.dmp full',
      'cmd /c sc stop WinDefend',
      'cmd /c wevtutil cl Security',
    ]) {
      const { before, after } = judged(`wmic /node:DC01 process call create "${payload}"`);
      expect(after.severity, payload).toBe(before.severity);
      expect(after.reasons.map((r) => r.code), payload).toContain('history.routine-source');
    }
  });

  it('a routine source running gpupdate through the same agent is lowered by the full 20 points', () => {
    const { before, after } = judged('wmic /node:WS1 process call create "gpupdate.exe /force"');
    expect(after.riskScore).toBe(before.riskScore - 20);
  });

  it('a dangerous payload the full 20 points leave in its band is lowered by all 20, its reason not claiming a limit', () => {
    // 65 − 20 = 45: still medium (40–69), so the guard has nothing to keep.
    const f = { sourceHost: 'IT-ADM-01', user: null, riskScore: 65, severity: 'medium' as const, reasons: [{ code: 'payload.credential-access', points: 20, detail: 'credential dump' }] };
    const { findings: [after] } = applyHistory([f], WARM, settings, TODAY);
    expect(after).toMatchObject({ riskScore: 45, severity: 'medium' });
    expect(after!.reasons.at(-1)).toMatchObject({ code: 'history.routine-source', points: -20 });
    expect(after!.reasons.at(-1)!.detail).not.toContain('limited');
  });
});
