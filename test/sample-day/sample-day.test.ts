import { describe, expect, it } from 'vitest';
import {
  LAPTOP_UPLOAD_DELAY_MS,
  LATE_LAPTOP_LAUNCH,
  OFFLINE_LAPTOP,
  SAMPLE_DAY_INTRUSION,
  SAMPLE_DAY_PASSWORD,
  SAMPLE_DAY_STORY,
  SampleDayError,
  sampleDay,
} from '../../local/sample-day/index.js';
import type { XdrRow } from '../../local/sample-day/index.js';
import { matchesSeed, nodeTargets, seedConditions } from './seed-filter.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const HOUR = 3_600_000;
const rows = sampleDay(NOW);
const str = (row: XdrRow, field: string): string => String(row[field] ?? '');
const lines = (filter: (r: XdrRow) => boolean): string[] => rows.filter(filter).map((r) => str(r, 'action_process_image_command_line'));
const isWmic = (r: XdrRow): boolean => str(r, 'action_process_image_name').toLowerCase() === 'wmic.exe' && r.event_sub_type === 'PROCESS_START';
const hits = rows.filter((r) => matchesSeed(r));
const attack = hits.filter((r) => SAMPLE_DAY_INTRUSION.pairs.some((p) => p.source === r.agent_hostname) && r.actor_process_image_name !== 'CcmExec.exe' && !str(r, 'action_process_image_command_line').includes('localhost'));

describe('sampleDay', () => {
  it('returns the same rows for the same now and seed', () => {
    expect(sampleDay(NOW)).toEqual(rows);
    expect(sampleDay(NOW, { seed: 7 })).toEqual(sampleDay(NOW, { seed: 7 }));
  });

  it('changes the jitter but keeps the story when the seed changes', () => {
    const other = sampleDay(NOW, { seed: 7 });
    expect(other.map((r) => r._time)).not.toEqual(rows.map((r) => r._time));
    const story = (rs: XdrRow[]): string[] => rs.filter((r) => matchesSeed(r)).map((r) => `${str(r, 'agent_hostname')} ${str(r, 'action_process_image_command_line')}`).sort();
    expect(story(other)).toEqual(story(rows));
  });

  it('shifts every event with now', () => {
    const later = sampleDay(NOW + HOUR);
    expect(later.map((r) => (r._time as number) - HOUR)).toEqual(rows.map((r) => r._time));
  });

  it.each([undefined, 1, 2, 99, 0xffffffff])('places every event in the 24 hours before now, at least 10 minutes old (seed %s)', (seed) => {
    const day = seed === undefined ? rows : sampleDay(NOW, { seed });
    expect(new Set(day.map((r) => r.event_id)).size).toBe(day.length);
    for (const row of day) {
      const time = row._time as number;
      expect(Number.isInteger(time)).toBe(true);
      expect(time).toBeGreaterThanOrEqual(NOW - 24 * HOUR);
      expect(time).toBeLessThanOrEqual(NOW - 10 * 60_000);
      expect(row.insert_timestamp as number).toBeGreaterThan(time);
    }
  });

  it('gives every event a unique base64 id that starts with its time', () => {
    const ids = rows.map((r) => str(r, 'event_id'));
    expect(new Set(ids).size).toBe(rows.length);
    for (const row of rows.slice(0, 50)) {
      const bytes = Buffer.from(str(row, 'event_id'), 'base64');
      expect(bytes).toHaveLength(16);
      expect(Number(bytes.readBigUInt64BE(0))).toBe(row._time);
    }
  });

  it('shapes rows like xdr_data', () => {
    for (const row of rows) {
      expect(row._vendor).toBe('PANW');
      expect(row._product).toBe('XDR agent');
      expect(str(row, 'agent_id')).toMatch(/^[0-9a-f]{32}$/);
      expect(str(row, 'causality_actor_process_image_sha256')).toMatch(/^[0-9a-f]{64}$/);
      expect(['AGENT_OS_WINDOWS', 'AGENT_OS_LINUX']).toContain(row.agent_os_type);
      expect(['PROCESS', 'FILE', 'NETWORK']).toContain(row.event_type);
      expect(str(row, 'event_sub_type').startsWith(str(row, 'event_type'))).toBe(true);
      for (const field of ['agent_hostname', 'actor_process_image_name', 'actor_process_image_path', 'actor_process_command_line', 'actor_effective_username', 'causality_actor_process_command_line', 'causality_actor_primary_username']) {
        expect(typeof row[field], field).toBe('string');
      }
      if (row.event_type === 'PROCESS') expect(typeof row.action_process_image_command_line).toBe('string');
      else expect(row.action_process_image_command_line).toBeNull();
    }
  });

  it('stays small enough for a quick local run, over about 40 hosts', () => {
    expect(rows.length).toBeGreaterThan(1_000);
    expect(rows.length).toBeLessThanOrEqual(5_000);
    const hosts = new Set(rows.map((r) => r.agent_hostname));
    expect(hosts.size).toBeGreaterThanOrEqual(38);
    expect(rows.filter((r) => r.agent_os_type === 'AGENT_OS_LINUX').length).toBeGreaterThan(50);
    expect(rows.filter((r) => r.event_type !== 'PROCESS').length).toBeGreaterThan(200);
  });

  it('rejects a now that is not epoch milliseconds', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -5, '2026-11-28' as unknown as number]) {
      expect(() => sampleDay(bad)).toThrow(SampleDayError);
    }
    expect(() => sampleDay(Number.NaN)).toThrow(/now must be epoch milliseconds.*NaN/);
  });

  it('rejects a seed that is not an integer', () => {
    const attempt = (): XdrRow[] => sampleDay(NOW, { seed: 1.5 });
    expect(attempt).toThrow(SampleDayError);
    expect(attempt).toThrow(/seed must be an integer, got 1.5/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).name).toBe('SampleDayError');
    }
  });
});

describe('the intrusion in the sample day', () => {
  it('reads eight and-ed conditions from the seed query', () => {
    expect(seedConditions().map((c) => `${c.field} ${c.op} ${c.value}`)).toEqual([
      'event_type = PROCESS',
      'event_sub_type = PROCESS_START',
      'agent_os_type = AGENT_OS_WINDOWS',
      'action_process_image_name = wmic.exe',
      'action_process_image_command_line contains /node:',
      'action_process_image_command_line contains process',
      'action_process_image_command_line contains call',
      'action_process_image_command_line contains create',
    ]);
  });

  it('has wmic remote launches that satisfy the seed query, in several image-name spellings', () => {
    expect(attack.length).toBeGreaterThanOrEqual(6);
    expect(new Set(attack.map((r) => r.action_process_image_name))).toEqual(new Set(['wmic.exe', 'WMIC.exe', 'WMIC.EXE']));
    for (const row of attack) {
      expect(['cmd.exe', 'powershell.exe']).toContain(row.actor_process_image_name);
    }
  });

  it('reaches at least four distinct host pairs, the ones SAMPLE_DAY_INTRUSION lists', () => {
    const pairs = new Set(attack.flatMap((r) => nodeTargets(str(r, 'action_process_image_command_line')).map((t) => `${str(r, 'agent_hostname')} -> ${t}`)));
    expect(pairs.size).toBeGreaterThanOrEqual(4);
    expect(pairs).toEqual(new Set(SAMPLE_DAY_INTRUSION.pairs.map((p) => `${p.source} -> ${p.target}`)));
    for (const pair of SAMPLE_DAY_INTRUSION.pairs) {
      const launches = attack.filter((r) => r.agent_hostname === pair.source && nodeTargets(str(r, 'action_process_image_command_line')).includes(pair.target));
      expect(launches, `${pair.source} -> ${pair.target}`).toHaveLength(pair.launches);
    }
  });

  it('covers the target forms and payloads detection has to handle', () => {
    const cmds = attack.map((r) => str(r, 'action_process_image_command_line'));
    const targets = attack.flatMap((r) => nodeTargets(str(r, 'action_process_image_command_line')));
    expect(targets).toContain('sql01.corp.example');
    expect(targets).toContain('fs01');
    expect(targets.some((t) => /^\d+\.\d+\.\d+\.\d+$/.test(t))).toBe(true);
    expect(cmds.some((c) => /\/node:\S+,\S+/.test(c))).toBe(true);
    expect(cmds.filter((c) => c.includes('/user:') && c.includes(`/password:"${SAMPLE_DAY_PASSWORD}"`)).length).toBeGreaterThanOrEqual(2);
    expect(cmds.some((c) => /-Enc [A-Za-z0-9+/=]{40,}/.test(c))).toBe(true);
    expect(cmds.some((c) => /call create "cmd\.exe \/c .*&/.test(c))).toBe(true);
    expect(cmds.some((c) => /winupd\.exe/.test(c) && /(\\\\FS01\\|C:\\ProgramData\\)/.test(c))).toBe(true);
  });

  it('repeats identical launches so dedupe has something to fold', () => {
    const counts = new Map<string, number>();
    for (const row of attack) {
      const key = `${str(row, 'agent_hostname')}|${str(row, 'action_process_image_command_line')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.values()].filter((n) => n > 1).length).toBeGreaterThanOrEqual(2);
  });

  it('pivots a second time from one of the targets', () => {
    const sources = new Set(attack.map((r) => r.agent_hostname));
    expect(sources.size).toBeGreaterThanOrEqual(2);
    const firstHopTargets = new Set(attack.filter((r) => r.agent_hostname === SAMPLE_DAY_INTRUSION.source).flatMap((r) => nodeTargets(str(r, 'action_process_image_command_line'))));
    const pivots = attack.filter((r) => r.agent_hostname !== SAMPLE_DAY_INTRUSION.source);
    expect(pivots.length).toBeGreaterThan(0);
    for (const pivot of pivots) {
      expect([...firstHopTargets].some((t) => t.startsWith(str(pivot, 'agent_hostname').toLowerCase()))).toBe(true);
    }
  });

  it('happens after the phishing document on the source host', () => {
    const doc = rows.find((r) => str(r, 'action_process_image_command_line').includes('.docm'));
    expect(doc?.agent_hostname).toBe(SAMPLE_DAY_INTRUSION.source);
    for (const row of attack) expect(row._time as number).toBeGreaterThan(doc?._time as number);
    expect(rows.some((r) => r.agent_hostname === SAMPLE_DAY_INTRUSION.source && str(r, 'action_process_image_command_line').includes('net  group "domain admins"'))).toBe(true);
    expect(rows.some((r) => str(r, 'action_process_image_command_line').startsWith('nltest'))).toBe(true);
  });
});

describe('the benign wmic use in the sample day', () => {
  it('includes local and inventory wmic lines', () => {
    const wmic = lines(isWmic);
    const expected = [/\/node:localhost process call create/i, /\/node:\. process call create/, / os get /, /qfe list/, /product where .* call uninstall/, /^wmic process call create notepad\.exe$/, /^wmic process list brief$/];
    for (const pattern of expected) expect(wmic.some((c) => pattern.test(c)), String(pattern)).toBe(true);
  });

  it('includes an SCCM push to many workstations from CcmExec.exe that the seed query does select', () => {
    const pushes = rows.filter((r) => matchesSeed(r) && r.actor_process_image_name === 'CcmExec.exe');
    const targets = new Set(pushes.flatMap((r) => nodeTargets(str(r, 'action_process_image_command_line'))));
    expect(targets.size).toBeGreaterThanOrEqual(15);
    expect(new Set(pushes.map((r) => r.agent_hostname))).toEqual(new Set(['SCCM01']));
  });

  it('keeps remote inventory and local lines out of the seed results', () => {
    const wmic = rows.filter(isWmic);
    const inventory = wmic.filter((r) => / (os get|qfe list)/.test(str(r, 'action_process_image_command_line')));
    expect(inventory.length).toBeGreaterThan(10);
    expect(inventory.some((r) => matchesSeed(r))).toBe(false);
    expect(wmic.filter((r) => !matchesSeed(r)).length).toBeGreaterThan(wmic.filter((r) => matchesSeed(r)).length);
  });

  it('gives the filter look-alikes that only a condition other than the command line rejects', () => {
    const hasAllSubstrings = (r: XdrRow): boolean => ['/node:', 'process', 'call', 'create'].every((s) => str(r, 'action_process_image_command_line').toLowerCase().includes(s));
    const lookAlikes = rows.filter((r) => hasAllSubstrings(r) && !matchesSeed(r));
    expect(lookAlikes.some((r) => r.agent_os_type === 'AGENT_OS_LINUX')).toBe(true);
    expect(lookAlikes.some((r) => r.event_sub_type === 'PROCESS_STOP')).toBe(true);
    expect(lookAlikes.some((r) => r.action_process_image_name === 'cmd.exe')).toBe(true);
  });
});

describe('the late laptop of the sample day', () => {
  const laptop = rows.filter((r) => r.agent_hostname === OFFLINE_LAPTOP.name);

  it('has every row reach XSIAM six hours after its wmic launch, and before now minus the ingest margin', () => {
    const launch = laptop.find((r) => matchesSeed(r))!;
    expect(nodeTargets(str(launch, 'action_process_image_command_line'))).toEqual([...LATE_LAPTOP_LAUNCH.targets]);
    expect((launch._insert_time as number) - (launch._time as number)).toBe(LAPTOP_UPLOAD_DELAY_MS);
    for (const r of laptop) {
      expect(r._insert_time).toBe(launch._insert_time);
      expect(r._insert_time as number).toBeLessThanOrEqual(NOW - 10 * 60_000);
    }
    // Only the laptop's rows carry _insert_time: every other row arrives on time.
    expect(rows.filter((r) => r._insert_time !== undefined)).toHaveLength(laptop.length);
  });

  it('is confirmed on FS01, whose agent was online: its WmiPrvSE.exe child arrived on time', () => {
    const launch = laptop.find((r) => matchesSeed(r))!;
    const child = rows.find((r) => r.agent_hostname === 'FS01' && r.actor_process_image_name === 'WmiPrvSE.exe' && str(r, 'action_process_image_command_line').includes('D:\\Shares\\Finance'));
    expect(child?._insert_time).toBeUndefined();
    expect((child?._time as number) - (launch._time as number)).toBeGreaterThan(1_000);
    expect((child?._time as number) - (launch._time as number)).toBeLessThan(6_000);
  });
});

describe('SAMPLE_DAY_STORY', () => {
  it('names the source host and every intrusion target host', () => {
    expect(SAMPLE_DAY_STORY).toContain(SAMPLE_DAY_INTRUSION.source);
    for (const name of ['FS01', 'sql01.corp.example', '10.20.1.40', 'FS02,APP01,10.20.1.30', 'BKP01', 'DC01.corp.example', 'CcmExec.exe']) {
      expect(SAMPLE_DAY_STORY).toContain(name);
    }
  });
});
