/**
 * Caps with counts: one row makes pairs of at most MAX_TARGETS_PER_ROW targets, one source at most
 * MAX_PAIRS_PER_SOURCE pairs per detection (the most severe kept); what is left out is counted on
 * the kept findings (`omittedPairs`, in the `default` JSON) and in the detection's total.
 * The lines follow wmic's documented /node list syntax ("/node:"host1","host2"",
 * https://learn.microsoft.com/windows/win32/wmisdk/wmic); the longest is the 32,767-character
 * CreateProcess limit (https://learn.microsoft.com/windows/win32/api/processthreadsapi/nf-processthreadsapi-createprocessw).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDetector, loadAllowlist, MAX_PAIRS_PER_SOURCE, MAX_TARGETS_PER_ROW } from '../../lambda/detect/index.js';
import { capPairsPerSource } from '../../lambda/detect/caps.js';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { omittedPairsLine, renderDefault } from '../../lambda/notify/index.js';
import { hunt, tempDir } from '../cli/harness.js';

const detect = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: loadAllowlist({ schemaVersion: 1, entries: [] }) });
const row = (id: string, line: string, source = 'WKS-SRC-01') => ({
  event_id: id, _time: 1_764_324_000_000, agent_hostname: source, agent_id: 'agent-1',
  action_process_image_name: 'wmic.exe', action_process_image_command_line: line,
  actor_process_image_name: 'cmd.exe', actor_effective_username: 'CORP\\alice',
});
const hosts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const fanOut = (targets: readonly string[], command = 'cmd /c whoami') => `wmic /node:${targets.join(',')} process call create "${command}"`;

describe('targets per row', () => {
  it('keeps an ordinary fan-out whole: 24 decoys and dc01 make 25 pairs', () => {
    const { findings, omittedPairs } = detect([row('e1', fanOut([...hosts('decoy', 24), 'dc01'], 'cmd /c vssadmin delete shadows /all /quiet'))], 0);
    expect(MAX_TARGETS_PER_ROW).toBeGreaterThanOrEqual(100);
    expect(findings.map((f) => f.targetHost)).toContain('dc01');
    expect(findings).toHaveLength(25);
    expect(omittedPairs).toBe(0);
    expect(findings.every((f) => f.omittedPairs === undefined)).toBe(true);
  });

  it('makes pairs of the first 100 targets of a 150-target row and counts the other 50', () => {
    const { findings, omittedPairs } = detect([row('e1', fanOut(hosts('h', 150)))], 0);
    expect(findings.map((f) => f.targetHost)).toEqual(hosts('h', 100));
    expect(omittedPairs).toBe(50);
    expect(findings.every((f) => f.omittedPairs === 50)).toBe(true);
  });

  it('a 100,000-target row makes 100 pairs and counts 99,900', () => {
    const { findings, omittedPairs } = detect([row('e1', fanOut(hosts('srv', 100_000)))], 0);
    expect(findings).toHaveLength(MAX_TARGETS_PER_ROW);
    expect(omittedPairs).toBe(99_900);
  });

  it('a 32,745-character line of 4-character targets makes 100 pairs and counts the rest', () => {
    const prefix = 'wmic /node:';
    const suffix = ' process call create "cmd /c whoami"';
    const names: string[] = [];
    // `t0,t1,…` up to the length of the line (each name adds itself and a comma)
    for (let length = prefix.length + suffix.length - 1; length + `t${names.length},`.length <= 32_745;) {
      length += `t${names.length},`.length;
      names.push(`t${names.length}`);
    }
    const line = prefix + names.join(',') + suffix;
    expect(line.length).toBeGreaterThan(32_730);
    expect(line.length).toBeLessThanOrEqual(32_745);
    const { findings, omittedPairs } = detect([row('e1', line)], 0);
    const distinct = new Set(names).size;
    expect(distinct).toBeGreaterThan(3_000);
    expect(findings).toHaveLength(MAX_TARGETS_PER_ROW);
    expect(omittedPairs).toBe(distinct - MAX_TARGETS_PER_ROW);
  });
});

describe('pairs per source', () => {
  it('keeps the most severe 500 pairs of one source and counts the others on the kept ones', () => {
    const rows = [
      ...Array.from({ length: 5 }, (_, r) => row(`low-${r}`, fanOut(hosts(`r${r}x`, 100), 'notepad.exe'))),
      row('crit', fanOut(hosts('dc', 100), 'cmd /c vssadmin delete shadows /all /quiet')),
      row('other', fanOut(['fs01']), 'WKS-OTHER'),
    ];
    const { findings, omittedPairs } = detect(rows, 0);
    const mine = findings.filter((f) => f.sourceHost === 'WKS-SRC-01');
    expect(mine).toHaveLength(MAX_PAIRS_PER_SOURCE);
    expect(omittedPairs).toBe(100);
    // Every pair of the riskiest row survives the cap; 100 of the 500 lesser ones do not.
    const riskiest = mine.filter((f) => /^dc\d+$/.test(f.targetHost));
    expect(riskiest).toHaveLength(100);
    expect(Math.min(...riskiest.map((f) => f.riskScore))).toBeGreaterThan(Math.max(...mine.filter((f) => !riskiest.includes(f)).map((f) => f.riskScore)));
    expect(mine.every((f) => f.omittedPairs === 100)).toBe(true);
    // Another source is not touched by this one's cap.
    expect(findings.find((f) => f.sourceHost === 'WKS-OTHER')).toMatchObject({ targetHost: 'fs01' });
    expect(findings.find((f) => f.sourceHost === 'WKS-OTHER')?.omittedPairs).toBeUndefined();
  });
});

describe('the count in the message', () => {
  const ctx = { hunt: WMIC_REMOTE_EXEC, window: { from: 0, to: 1 }, runId: 'run-1', totals: { findings: 1, newPairs: 1, repeats: 0, suppressed: 0 } };

  it('the default JSON carries omittedPairs (0 when nothing was left out), and a line renderers can show', () => {
    const [capped] = detect([row('e1', fanOut(hosts('h', 130)))], 0).findings;
    const [whole] = detect([row('e2', fanOut(['fs01']))], 0).findings;
    const doc = (f: typeof capped) => renderDefault({ ...f!, count: 1, firstSeen: 0, lastSeen: 0, status: 'PENDING' }, ctx) as Record<string, unknown>;
    expect(doc(capped).omittedPairs).toBe(30);
    expect(doc(whole).omittedPairs).toBe(0);
    expect(omittedPairsLine(capped!)).toBe('+30 more pair(s) of this source left out by the caps (counted in the run summary)');
    expect(omittedPairsLine(whole!)).toBeNull();
  });
});

describe('the local run over a 100,000-target row', () => {
  it('completes (the file store holds its pairs), notifies 100 + the good row, and counts the rest in the summary', async () => {
    const dir = tempDir('hunt-caps-');
    const file = join(dir, 'rows.jsonl');
    const base = { agent_os_type: 'AGENT_OS_WINDOWS', event_type: 'PROCESS', event_sub_type: 'PROCESS_START' };
    writeFileSync(file, [
      { ...row('big', fanOut(hosts('srv', 100_000))), ...base, _time: '2026-11-28T10:00:00.000Z' },
      { ...row('ok', fanOut(['dc01'])), ...base, _time: '2026-11-28T10:01:00.000Z' },
    ].map((r) => JSON.stringify(r)).join('\n'));
    const run = await hunt(['--events', file, '--state', join(dir, 'state'), '--output', 'json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { notifications: { target: string }[]; pairsOverCap: number };
    expect(doc.notifications).toHaveLength(MAX_TARGETS_PER_ROW + 1);
    expect(doc.notifications.map((n) => n.target)).toContain('dc01');
    expect(doc.pairsOverCap).toBe(99_900);
  });
});

describe('capPairsPerSource at its edges', () => {
  // Direct calls on the cap core: which pair is kept when severity and score tie, and that a
  // source at exactly the cap loses nothing.
  const base = detect([row('e1', fanOut(['fs01']))], 0).findings[0]!;
  const pair = (target: string, over: Partial<typeof base> = {}) => ({ ...base, targetHost: target, fingerprint: `fp-${target}`, ...over });

  it('a source with exactly the cap keeps every pair and counts none', () => {
    const list = [pair('a'), pair('b'), pair('c')];
    const { findings, omitted } = capPairsPerSource(list, 3);
    expect(findings.map((f) => f.targetHost)).toEqual(['a', 'b', 'c']);
    expect(omitted).toBe(0);
    expect(findings.every((f) => f.omittedPairs === undefined)).toBe(true);
  });

  it('one over the cap leaves out one pair and counts it on the kept ones', () => {
    const { findings, omitted } = capPairsPerSource([pair('a'), pair('b'), pair('c'), pair('d')], 3);
    expect(omitted).toBe(1);
    expect(findings).toHaveLength(3);
    expect(findings.every((f) => f.omittedPairs === 1)).toBe(true);
  });

  it('on equal severity and score the earlier pair is kept', () => {
    const later = pair('later', { firstSeen: base.firstSeen + 60_000, fingerprint: 'fp-0' });
    const earlier = pair('earlier', { firstSeen: base.firstSeen, fingerprint: 'fp-9' });
    expect(capPairsPerSource([later, earlier], 1).findings.map((f) => f.targetHost)).toEqual(['earlier']);
    expect(capPairsPerSource([earlier, later], 1).findings.map((f) => f.targetHost)).toEqual(['earlier']);
  });

  it('on equal severity, score and time the smaller fingerprint is kept, whatever the order given', () => {
    const x = pair('x', { fingerprint: 'fp-b' });
    const y = pair('y', { fingerprint: 'fp-a' });
    expect(capPairsPerSource([x, y], 1).findings.map((f) => f.targetHost)).toEqual(['y']);
    expect(capPairsPerSource([y, x], 1).findings.map((f) => f.targetHost)).toEqual(['y']);
  });

  it('a riskier pair beats an earlier one', () => {
    const early = pair('early', { riskScore: 70, firstSeen: base.firstSeen });
    const risky = pair('risky', { riskScore: 80, firstSeen: base.firstSeen + 1 });
    expect(capPairsPerSource([early, risky], 1).findings.map((f) => f.targetHost)).toEqual(['risky']);
  });
});
