/**
 * The run mode turned into flags (run/mode.ts), with the defaults RunRequest documents: a run is
 * live unless `shadow` is given, and takes the hunt's lease unless `windowLease` is given.
 */
import { describe, expect, it } from 'vitest';
import { WMIC_REMOTE_EXEC } from '../../lambda/hunts/index.js';
import { flagsOf, leaseNameOf } from '../../lambda/run/mode.js';

const HUNT = WMIC_REMOTE_EXEC.id;
const WINDOW = { from: Date.UTC(2026, 10, 28, 0), to: Date.UTC(2026, 10, 28, 6) };

describe('flagsOf and leaseNameOf', () => {
  it('publishes unless shadow is given, in either mode', () => {
    expect(flagsOf({ kind: 'scheduled' })).toEqual({ window: null, advancesCheckpoint: true, publish: true });
    expect(flagsOf({ kind: 'window', window: WINDOW })).toEqual({ window: WINDOW, advancesCheckpoint: false, publish: true });
    expect(flagsOf({ kind: 'scheduled' }, true).publish).toBe(false);
    expect(flagsOf({ kind: 'window', window: WINDOW }, true).publish).toBe(false);
  });

  it('a window run takes the hunt\'s lease unless it asks for its window\'s; a scheduled run always takes the hunt\'s', () => {
    const windowRun = flagsOf({ kind: 'window', window: WINDOW });
    expect(leaseNameOf(HUNT, windowRun)).toBe(HUNT);
    expect(leaseNameOf(HUNT, windowRun, true)).toBe(`${HUNT}@${WINDOW.from}-${WINDOW.to}`);
    expect(leaseNameOf(HUNT, flagsOf({ kind: 'scheduled' }), true)).toBe(HUNT);
  });
});
