import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC, SEED_XQL } from '../../lambda/hunts/index.js';

const specPath = resolve(import.meta.dirname, '../../hunts/HuntQuery-Windows-WMIC-RemoteExec.md');
const spec = readFileSync(specPath, 'utf8');

describe('the hunt definition', () => {
  it('runs the specification XQL byte for byte', () => {
    const block = /```xql\n([\s\S]*?)```/.exec(spec)?.[1];
    expect(block).toBeDefined();
    expect(SEED_XQL).toBe(block);
  });

  it('carries the specification risk score, severity, ID and ATT&CK mapping', () => {
    expect(spec).toContain(`**Risk Score:** ${WMIC_REMOTE_EXEC.riskScore}`);
    expect(spec).toContain(`**ID:** ${WMIC_REMOTE_EXEC.id}`);
    expect(WMIC_REMOTE_EXEC.severity).toBe('high');
    expect(WMIC_REMOTE_EXEC.attack.map((a) => `${a.tacticId}/${a.techniqueId}`)).toEqual(['TA0008/T1047', 'TA0002/T1047']);
  });

  it('carries all five response actions of the specification', () => {
    const section = spec.split('## Recommended Response Actions')[1]?.split('---')[0] ?? '';
    const titles = [...section.matchAll(/\*\*(.+?):\*\*/g)].map((m) => m[1]!.toLowerCase());
    expect(titles).toHaveLength(5);
    for (const title of titles) {
      expect(WMIC_REMOTE_EXEC.responseActions.some((a) => a.toLowerCase().startsWith(title))).toBe(true);
    }
  });
});
