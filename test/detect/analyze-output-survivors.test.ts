/**
 * What analyzeCommandLine returns for the rows whose fields the other tests leave open: the verdict
 * a detection engineer reads in `npm run hunt -- explain`, and the fields that become a finding's
 * risk reasons and shown command lines.
 */
import { describe, expect, it } from 'vitest';
import { assessRisk } from '../../lambda/detect/index.js';
import { wmic } from './helpers.js';

const codes = (line: string): string[] => assessRisk(wmic(line), 85).reasons.map((r) => r.code);

/** A process that is not wmic: a renamed copy whose row carries no original name (see wmic-parsing.test.ts). */
const RENAMED = 'winupd.exe /failfast:on /node:FS01 process /node:FS02 call create calc.exe';

describe('the verdict on a row that is not a wmic process', () => {
  it('names the image from action_process_image_name', () => {
    expect(wmic(RENAMED, { action_process_image_name: 'winupd.exe' }).verdict).toBe('not a wmic process (winupd.exe)');
  });

  it('names the file of action_process_image_path when the row has no image name (the path decided the kind)', () => {
    const a = wmic(RENAMED, { action_process_image_name: undefined, action_process_image_path: 'C:\\Users\\Public\\WinUpd.exe' });
    expect(a.record).toBe('not-wmic');
    expect(a.verdict).toBe('not a wmic process (winupd.exe)');
  });

  it('says the image is unknown when the path names no file (a hand-written row ending in a backslash)', () => {
    const a = wmic(RENAMED, { action_process_image_name: undefined, action_process_image_path: 'C:\\Users\\Public\\' });
    expect(a.record).toBe('not-wmic');
    expect(a.verdict).toBe('not a wmic process (unknown image)');
  });
});

describe('the fields of a row that is not a wmic process', () => {
  it('reports no remote target and none of the wmic switches its line happens to hold', () => {
    const a = wmic(RENAMED, { action_process_image_name: 'winupd.exe' });
    expect(a).toMatchObject({
      record: 'not-wmic', remoteExec: false, targets: [], remoteTargets: [], remoteCommand: null, wmicCommandLine: null,
      failfast: false, help: false, lookalike: false, switchAfterAlias: false, fileTargets: false, credentialsOnLine: false, truncated: false,
    });
  });
});

describe('the remote command', () => {
  it('is none for `call create ""`: an empty CommandLine is no command', () => {
    const a = wmic('wmic /node:FS01 process call create ""');
    expect(a.verdict).toBe('call create without a CommandLine');
    expect(a.remoteCommand).toBeNull();
  });
});

describe('credentials typed on the line', () => {
  it('counts a /user without a /password', () => {
    const a = wmic('wmic /node:"FS01" /user:"CORP\\adm" process call create calc.exe');
    expect(a).toMatchObject({ lineUser: 'CORP\\adm', credentialsOnLine: true });
    expect(codes('wmic /node:"FS01" /user:"CORP\\adm" process call create calc.exe')).toEqual(['credentials.on-line']);
  });

  it('counts a /password without a /user', () => {
    const line = 'wmic /node:"FS01" /password:"Summer2025" process call create calc.exe';
    expect(wmic(line)).toMatchObject({ lineUser: null, credentialsOnLine: true, commandLine: 'wmic /node:"FS01" /password:*** process call create calc.exe' });
    expect(codes(line)).toEqual(['credentials.on-line']);
  });

  it('counts nothing on a line with neither', () => {
    expect(wmic('wmic /node:"FS01" process call create calc.exe').credentialsOnLine).toBe(false);
    expect(codes('wmic /node:"FS01" process call create calc.exe')).toEqual([]);
  });

  it('hides a one-letter password behind a look-alike /password switch in the wmic line too, not only in the command line', () => {
    // U+1D18 (small capital P) folds to `p`: the parser reads the switch (see "Unicode in keywords" in
    // wmic-parsing.test.ts), the credential-form scanner does not, and a one-letter value is too short to hunt for
    const a = wmic('wmic /node:FS01 /user:adm /\u1D18assword:x process call create calc.exe');
    const shown = 'wmic /node:FS01 /user:adm /\u1D18assword:*** process call create calc.exe';
    expect(a.commandLine).toBe(shown);
    expect(a.wmicCommandLine).toBe(shown);
  });
});

describe('file targets', () => {
  it('are flagged when one /node element is an @file among host names', () => {
    const line = 'wmic /node:@"C:\\it\\hosts.txt",FS09 process call create calc.exe';
    expect(wmic(line)).toMatchObject({ targets: ['@c:\\it\\hosts.txt', 'fs09'], fileTargets: true });
    expect(codes(line)).toEqual(['fanout.file']);
  });

  it('are not flagged for host names only, nor for a line without /node', () => {
    expect(wmic('wmic /node:FS08,FS09 process call create calc.exe').fileTargets).toBe(false);
    expect(wmic('wmic process call create calc.exe')).toMatchObject({ targets: [], fileTargets: false });
  });
});

describe('truncation seen only in a cut /node target', () => {
  it('marks the line truncated when a quote opened in the last /node element never closes', () => {
    // the collector cut inside "FS0...": wmic rejects the unquoted SRV-APP01 before any command is read,
    // so only the cut target tells that the line is incomplete
    const a = wmic('wmic /node:SRV-APP01,"FS0');
    expect(a).toMatchObject({ truncated: true, cutTarget: 'fs0', parseError: `unquoted /node value "srv-app01" contains '-' or '/' (wmic requires quotes)` });
    expect(assessRisk(a, 85).reasons.map((r) => r.code)).toEqual(['note.truncated']);
  });

  it('does not when the quote closes', () => {
    const a = wmic('wmic /node:SRV-APP01,"FS0"');
    expect(a).toMatchObject({ truncated: false, cutTarget: null });
  });
});
