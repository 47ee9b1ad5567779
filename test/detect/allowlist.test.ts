import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AllowlistError, DEFAULT_ALLOWLIST, expiredEntryIds, loadAllowlist, matchAllowlist, type AllowlistSubject } from '../../lambda/detect/index.js';

const base = { id: 'sccm-push', owner: 'it-ops@corp.example', reason: 'SCCM client push', expires: '2030-06-30' };
const subject: AllowlistSubject = {
  sourceHost: 'SCCM01', targetHost: 'fs01', user: 'CORP\\svc_sccm', parentImage: 'CcmExec.exe',
  causalitySha256: 'A'.repeat(64), remoteCommand: 'C:\\Windows\\ccmsetup\\ccmsetup.exe  /mp:SCCM01',
};
const now = Date.UTC(2026, 0, 1);

function problems(json: unknown): readonly string[] {
  try {
    loadAllowlist(json);
  } catch (err) {
    expect(err).toBeInstanceOf(AllowlistError);
    expect((err as AllowlistError).name).toBe('AllowlistError');
    return (err as AllowlistError).problems;
  }
  throw new Error('expected the allowlist to be rejected');
}

describe('allowlist validation', () => {
  it('loads the versioned file shipped in lambda/hunts, which matches nothing real', () => {
    const file: unknown = JSON.parse(readFileSync(new URL('../../lambda/hunts/allowlist.json', import.meta.url), 'utf8'));
    expect(loadAllowlist(file).entries.map((e) => e.id)).toEqual(DEFAULT_ALLOWLIST.entries.map((e) => e.id));
    expect(DEFAULT_ALLOWLIST.schemaVersion).toBe(1);
    expect(matchAllowlist(DEFAULT_ALLOWLIST, subject, now)).toBeNull();
  });

  it('names each entry missing id, owner, reason or expiry, by id or by index', () => {
    const found = problems({
      schemaVersion: 1,
      entries: [
        { ...base, owner: undefined },
        { owner: 'x', reason: 'y', expires: '2030-01-01', sourceHost: 'a' },
        { ...base, id: 'no-expiry', expires: undefined, sourceHost: 'a' },
        { ...base, id: 'bad-date', expires: '2030-02-30', sourceHost: 'a' },
        { ...base, id: 'ok', sourceHost: 'a' },
      ],
    });
    expect(found).toEqual([
      'entry "sccm-push": missing owner',
      'entry "sccm-push": no match field (one of sourceHost, targetHost, user, parentImage, causalitySha256, commandGlob, commandRegex)',
      'entry #1: missing id',
      'entry "no-expiry": missing expires',
      'entry "bad-date": expires must be a date YYYY-MM-DD',
    ]);
  });

  it('rejects unknown fields, bad regexes, bad hashes, duplicates and a wrong schema version', () => {
    expect(problems({ schemaVersion: 1, entries: [{ ...base, sourcehost: 'a' }] })).toEqual([
      'entry "sccm-push": unknown field "sourcehost"',
      'entry "sccm-push": no match field (one of sourceHost, targetHost, user, parentImage, causalitySha256, commandGlob, commandRegex)',
    ]);
    expect(problems({ schemaVersion: 1, entries: [{ ...base, commandRegex: '([' }] })).toEqual(['entry "sccm-push": commandRegex is not a valid regular expression']);
    expect(problems({ schemaVersion: 1, entries: [{ ...base, causalitySha256: 'abc' }] })).toEqual(['entry "sccm-push": causalitySha256 must be 64 hex digits']);
    expect(problems({ schemaVersion: 1, entries: [{ ...base, user: 'a' }, { ...base, user: 'b' }] })).toEqual(['entry "sccm-push": duplicate id']);
    expect(problems({ schemaVersion: 2, entries: [] })).toEqual(['schemaVersion must be 1']);
    expect(problems({ schemaVersion: 1 })).toEqual(['entries must be an array']);
    expect(problems([])).toEqual(['the allowlist must be an object']);
    expect(problems({ schemaVersion: 1, entries: ['x'] })).toEqual(['entry #0: not an object']);
  });
});

describe('allowlist matching', () => {
  const list = (entry: Record<string, unknown>) => loadAllowlist({ schemaVersion: 1, entries: [{ ...base, ...entry }] });

  it('matches on each field alone, case-insensitively, with globs', () => {
    for (const entry of [
      { sourceHost: 'sccm*' }, { targetHost: 'FS0?' }, { user: '*\\svc_sccm' }, { parentImage: 'ccmexec.exe' },
      { causalitySha256: 'a'.repeat(64) }, { commandGlob: 'c:\\windows\\ccmsetup\\ccmsetup.exe /mp:*' }, { commandRegex: 'ccmsetup\\.exe\\s+/mp:' },
    ]) expect(matchAllowlist(list(entry), subject, now), JSON.stringify(entry)).toEqual({ entryId: 'sccm-push', owner: base.owner, reason: base.reason, expires: base.expires });
  });

  it('requires every given field to match', () => {
    expect(matchAllowlist(list({ sourceHost: 'SCCM01', targetHost: 'fs01' }), subject, now)).not.toBeNull();
    expect(matchAllowlist(list({ sourceHost: 'SCCM01', targetHost: 'fs02' }), subject, now)).toBeNull();
    expect(matchAllowlist(list({ user: 'svc_sccm' }), subject, now)).toBeNull();
    expect(matchAllowlist(list({ commandGlob: '*' }), { ...subject, remoteCommand: null }, now)).toBeNull();
  });

  it('matches a parent pattern with a backslash against the parent path', () => {
    const withPath = { ...subject, parentImagePath: 'C:\\Windows\\CCM\\CcmExec.exe' };
    expect(matchAllowlist(list({ parentImage: 'c:\\windows\\ccm\\*' }), withPath, now)).not.toBeNull();
    expect(matchAllowlist(list({ parentImage: 'c:\\temp\\*' }), withPath, now)).toBeNull();
  });

  it('stops applying after the expiry day and reports the expired entry', () => {
    const l = list({ sourceHost: 'SCCM01', expires: '2025-12-31' });
    expect(matchAllowlist(l, subject, Date.UTC(2025, 11, 31, 23, 59))).not.toBeNull();
    expect(matchAllowlist(l, subject, Date.UTC(2026, 0, 1))).toBeNull();
    expect(expiredEntryIds(l, Date.UTC(2026, 0, 1))).toEqual(['sccm-push']);
    expect(loadAllowlist({ schemaVersion: 1, entries: [{ ...base, sourceHost: 'a', expires: '2020-01-01' }] }, now).expiredAtLoad).toEqual(['sccm-push']);
  });
});
