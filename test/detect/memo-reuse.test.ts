import { describe, expect, it, vi } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import * as analysis from '../../lambda/detect/analyze.js';
import { createDetector, loadAllowlist } from '../../lambda/detect/index.js';

// The built-in analysis, counted: the reuse DetectorOptions.analyze documents is only visible in how
// often it runs (the findings are the same either way). vi.mock patches the module for the whole
// file, so vitest.mutate.config.ts runs this file isolated.
vi.mock('../../lambda/detect/analyze.js', async (importOriginal) => {
  const real = await importOriginal<typeof analysis>();
  return { ...real, analyzeCommandLine: vi.fn(real.analyzeCommandLine) };
});

/** A process start as the WMIC hunt's `fields` stage returns it (hunts/HuntQuery-Windows-WMIC-RemoteExec.md). */
const started = (eventId: string, time: number, line: string): Record<string, unknown> => ({
  _time: time, event_id: eventId, agent_id: 'a7', agent_hostname: 'WKS-12', actor_effective_username: 'CORP\\carol',
  action_process_image_name: 'WMIC.exe', action_process_image_path: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
  action_process_image_command_line: line, actor_process_image_name: 'cmd.exe', actor_process_image_path: 'C:\\Windows\\System32\\cmd.exe',
  actor_process_command_line: 'cmd.exe', causality_actor_primary_username: 'CORP\\carol', causality_actor_process_image_sha256: 'c'.repeat(64),
});

describe('createDetector with the built-in analysis', () => {
  it('analyses each distinct row content once, remote or dismissed, and folds every repeat', () => {
    const counted = vi.mocked(analysis.analyzeCommandLine);
    counted.mockClear();
    const remote = 'wmic /node:FS01 process call create "cmd.exe /c whoami"';
    const local = 'wmic process call create notepad.exe';
    const rows = [
      started('e1', 1000, remote), started('e2', 2000, remote), started('l1', 2500, local),
      started('e3', 3000, remote), started('l2', 3500, local),
    ];
    const result = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: loadAllowlist({ schemaVersion: 1, entries: [] }) })(rows, 9000);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ targetHost: 'fs01', eventIds: ['e1', 'e2', 'e3'], firstSeen: 1000, lastSeen: 3000 });
    expect(result.dismissed).toBe(2);
    expect(counted).toHaveBeenCalledTimes(2);
  });
});
