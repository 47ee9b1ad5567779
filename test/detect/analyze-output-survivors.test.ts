/**
 * What analyzeCommandLine returns for the rows whose fields the other tests leave open: the verdict
 * a detection engineer reads in `npm run hunt -- explain`, and the fields that become a finding's
 * risk reasons and shown command lines.
 */
import { describe, expect, it } from 'vitest';
import { wmic } from './helpers.js';

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
