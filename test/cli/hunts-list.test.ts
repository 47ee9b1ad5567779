/** `npm run hunt -- hunts`: each hunt's schedule, mode, minimum severity and routing from the deployment's context (cdk.json). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt, tempDir } from './harness.js';

const WMIC = 'HuntQuery-Windows-WMIC-RemoteExec';
const WMI = 'HuntQuery-Windows-WMI-RemoteExec-TargetSide';
const VSS = 'HuntQuery-Windows-ShadowCopy-Delete';

function cdkJson(context: Record<string, unknown>): string {
  const file = join(tempDir('hunts-list-'), 'cdk.json');
  writeFileSync(file, JSON.stringify({ app: 'npx tsx infra/app.ts', context }));
  return file;
}

/** The table's cells by hunt ID. */
function table(stdout: string): Map<string, string[]> {
  const [header, ...lines] = stdout.trim().split('\n');
  expect(header!.split(/\s{2,}/)).toEqual(['id', 'schedule', 'mode', 'min severity', 'routing', 'last run']);
  return new Map(lines.map((l) => l.split(/\s{2,}/)).map((cells) => [cells[0]!, cells.slice(1)]));
}

describe('npm run hunt -- hunts', () => {
  it('shows each hunt\'s own settings over the stack-wide ones', async () => {
    const file = cdkJson({
      'hunt:schedule': 'rate(15 minutes)', 'hunt:mode': 'live', 'hunt:minSeverity': 'high',
      'hunt:hunts': {
        [WMIC]: { mode: 'shadow' },
        [WMI]: { schedule: 'rate(30 minutes)', minSeverity: 'critical', routing: 'own' },
      },
    });
    const { code, stdout } = await hunt(['hunts', '--cdk-json', file, '--state', tempDir()]);
    expect(code).toBe(0);
    const rows = table(stdout);
    expect(rows.get(WMIC)?.slice(0, 4)).toEqual(['rate(15 minutes)', 'shadow', 'high', 'shared']);
    expect(rows.get(WMI)?.slice(0, 4)).toEqual(['rate(30 minutes)', 'live', 'critical', 'own']);
    expect(rows.get(VSS)).toEqual(['rate(15 minutes)', 'live', 'high', 'shared', 'never (scheduled runs)']);
  });

  it('reads the repository\'s cdk.json by default', async () => {
    const { code, stdout } = await hunt(['hunts', '--state', tempDir()]);
    expect(code).toBe(0);
    expect([...table(stdout).keys()].sort()).toEqual([VSS, WMI, WMIC]);
  });

  it('refuses a context the synth would refuse, naming the key', async () => {
    const file = cdkJson({ 'hunt:hunts': { [VSS]: { minSeverity: 'severe' } } });
    const { code, stderr } = await hunt(['hunts', '--cdk-json', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`hunt:hunts.${VSS}.minSeverity must be one of low, medium, high, critical`);
  });
});
