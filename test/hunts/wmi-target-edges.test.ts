/**
 * The target-side hunt's launch window at its edges (issue 21: clock skew): a WmiPrvSE.exe child
 * is explained by a wmic launch from 1 minute before it (the two agents' clocks may differ) to
 * 5 minutes after, both ends inclusive, as the WMIC hunt's confirmation (range.ts DEFAULT_TIMING).
 * One millisecond outside either edge, that launch does not explain the child.
 */
import { describe, expect, it } from 'vitest';
import { explainingLaunch, type WmicLaunch } from '../../lambda/modules/wmi-target/index.js';

const MIN = 60_000;
const T0 = Date.UTC(2031, 0, 15, 12);
const LAUNCH: WmicLaunch = { sourceHost: 'WKS-77', eventId: 'ev-1', time: T0, targets: ['FS01'], remoteCommand: 'cmd.exe /c whoami' };
const child = (time: number) => ({ host: 'FS01', time, commandLine: 'C:\\Windows\\System32\\cmd.exe /c whoami' });

describe('which launch explains a WmiPrvSE.exe child, at the skew and follow edges', () => {
  it.each([
    ['1 minute before the launch (skew)', T0 - MIN, true],
    ['1 minute and 1 ms before the launch', T0 - MIN - 1, false],
    ['5 minutes after the launch (follow)', T0 + 5 * MIN, true],
    ['5 minutes and 1 ms after the launch', T0 + 5 * MIN + 1, false],
  ])('a child %s is explained: %s', (_label, at, explained) => {
    expect(explainingLaunch([LAUNCH], child(at)) === LAUNCH).toBe(explained);
  });
});
