import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DAY_INTRUSION, SAMPLE_DAY_PASSWORD } from '../../local/sample-day/index.js';
import { hunt, tempDir } from './harness.js';

describe('npm run hunt: the triage table a new user sees first', () => {
  it('starts with the triage table, the intrusion on top, and ends with a summary that is true about what was held', async () => {
    const state = tempDir();
    const { code, stdout, stderr } = await hunt(['--state', state]);
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toMatch(/^Notified host pairs \(\d+\), most urgent first/);
    // the first pair row is the intruder's workstation, at critical severity; the admin's gpupdate is not first
    expect(lines[2]).toMatch(/CRITICAL\s+\d+\s+WS-FIN-023 → /);
    // the sample day's shipped history makes the admin's gpupdate routine: held below the minimum, not in the table
    const notifiedTable = stdout.split('\n\n')[0] ?? '';
    expect(notifiedTable).toContain('WS-FIN-023 →');
    expect(notifiedTable).not.toContain('IT-ADM-01 →');
    for (const pair of SAMPLE_DAY_INTRUSION.pairs) expect(stdout.toLowerCase()).toContain(`${pair.source.toLowerCase()} → ${pair.target.toLowerCase()}`);
    // the full emails stay behind --details: the output fits a screen or two
    expect(stdout).not.toContain('RESPONSE ACTIONS');
    expect(lines.length).toBeLessThan(60);
    // the closing line names what was held below the minimum, never "No new host pairs"
    expect(stdout).toMatch(/query variant seed/);
    expect(lines.at(-1)).toMatch(/^\d+ host pair\(s\) found: \d+ notified; 22 held below the minimum severity high \(list them: --show all\)\.$/);
    expect(stdout).not.toContain('No new host pairs');
    expect(stdout).not.toContain(SAMPLE_DAY_PASSWORD);
    // the sample day's late laptop: its row, and under it how late its events reached XSIAM
    expect(stdout).toMatch(/LT-SLS-07 → fs01 .*\n\s+↳ arrived 6 h after it happened \(its events reached XSIAM late\)\n/);
    expect(stdout.match(/after it happened/g)).toHaveLength(1);
    // progress per query on stderr for a multi-chunk run
    expect(stderr).toMatch(/^query 1\/5: /m);
    expect(stderr).toMatch(/^query 5\/5: /m);
  });

  it('--details prints every notification in full after the table; --show all lists held pairs', async () => {
    const { code, stdout } = await hunt(['--state', tempDir(), '--details', '--show', 'all']);
    expect(code).toBe(0);
    expect(stdout.indexOf('Notified host pairs')).toBeLessThan(stdout.indexOf('RESPONSE ACTIONS'));
    expect(stdout).toContain('Held below the minimum severity high (22):');
    expect(stdout.indexOf('RESPONSE ACTIONS')).toBeLessThan(stdout.indexOf('── Run summary'));
  });

  it('a second run says the pairs were already notified', async () => {
    const state = tempDir();
    await hunt(['--state', state]);
    const { code, stdout } = await hunt(['--state', state]);
    expect(code).toBe(0);
    expect(stdout).toContain('No host pair was notified in this run.');
    expect(stdout).toMatch(/found: 0 notified; 22 held below the minimum severity high \(list them: --show all\); 11 already notified earlier \(repeats\)\./);
  });
});

describe('tuning without editing bundled code', () => {
  it('--min-severity medium sends the pairs that high held back', async () => {
    const { code, stdout } = await hunt(['--state', tempDir(), '--min-severity', 'medium']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/MEDIUM\s+\d+\s+SCCM/i);
    expect(stdout).toMatch(/below min\s+0\s+\(under the minimum severity medium\)/);
  });

  it('--allowlist FILE suppresses what it matches, and --show all names the entry', async () => {
    const dir = tempDir();
    const file = join(dir, 'allowlist.json');
    writeFileSync(file, JSON.stringify({
      schemaVersion: 1,
      entries: [{ id: 'gpupdate-by-it', owner: 'it@corp.example', reason: 'IT refreshes policy', expires: '2099-12-31', sourceHost: 'IT-ADM-0?', commandGlob: 'gpupdate.exe *' }],
    }));
    const { code, stdout } = await hunt(['--state', join(dir, 's'), '--allowlist', file, '--show', 'all']);
    expect(code).toBe(0);
    const section = stdout.slice(stdout.indexOf('Suppressed by the allowlist'));
    expect(section).toMatch(/IT-ADM-01 → ws-eng-004 .*\[allowlist: gpupdate-by-it\]/);
    expect(stdout.slice(0, stdout.indexOf('Suppressed by the allowlist'))).not.toContain('gpupdate');
    expect(stdout).toMatch(/suppressed\s+2\s+\(allowlisted: .*allowlist\.json allowlist, 1 entry\)/);
    expect(stdout).toMatch(/2 suppressed by the allowlist/);
  });

  it('--allowlist FILE is validated exactly like the bundled one', async () => {
    const dir = tempDir();
    const file = join(dir, 'allowlist.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, entries: [{ id: 'x', reason: 'r', expires: '2099-12-31', sourceHost: 'A' }] }));
    const { code, stdout, stderr } = await hunt(['--state', join(dir, 's'), '--allowlist', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('invalid allowlist: entry "x": missing owner');
  });

  it('refuses a bad --min-severity and --show with the values they accept', async () => {
    const a = await hunt(['--min-severity', 'urgent']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--min-severity must be one of low, medium, high, critical (got "urgent")');
    const b = await hunt(['--show', 'some']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--show must be notified or all');
  });
});
