/**
 * The pacer keeps the topic at most 10 messages in any second, SNS's hard limit for an email
 * subscription (https://repost.aws/knowledge-center/sns-email-subscription-disabled), on a fake
 * clock: the exact edges of the window and of the count.
 */
import { describe, expect, it } from 'vitest';
import { earliestSlot, SendPacer } from '../../lambda/notify/pacer.js';

describe('earliestSlot', () => {
  it('is now when nothing was sent', () => {
    expect(earliestSlot([], 10, 5_000, 10, 1_000)).toBe(5_000);
  });

  it('lets exactly maxMessages into one window: 6 sent, 4 more now, a 5th waits for the window', () => {
    const sends = [{ at: 0, count: 6 }];
    expect(earliestSlot(sends, 4, 300, 10, 1_000)).toBe(300);
    expect(earliestSlot(sends, 5, 300, 10, 1_000)).toBe(1_000);
  });

  it('counts a send for the whole window and nothing once it has left it', () => {
    const sends = [{ at: 0, count: 10 }];
    expect(earliestSlot(sends, 1, 999, 10, 1_000)).toBe(1_000);
    expect(earliestSlot(sends, 1, 1_000, 10, 1_000)).toBe(1_000);
    expect(earliestSlot(sends, 10, 1_001, 10, 1_000)).toBe(1_001);
  });

  it('waits for just as many earlier sends to leave as the new ones need', () => {
    const sends = [
      { at: 0, count: 4 },
      { at: 100, count: 3 },
      { at: 200, count: 3 },
    ];
    expect(earliestSlot(sends, 4, 300, 10, 1_000)).toBe(1_000);
    expect(earliestSlot(sends, 5, 300, 10, 1_000)).toBe(1_100);
    expect(earliestSlot(sends, 8, 300, 10, 1_000)).toBe(1_200);
  });

  it('sorts stamps from several hosts before counting them out', () => {
    const sends = [
      { at: 900, count: 5 },
      { at: 100, count: 5 },
    ];
    expect(earliestSlot(sends, 1, 950, 10, 1_000)).toBe(1_100);
  });

  it('asks nothing of a send of zero messages', () => {
    expect(earliestSlot([{ at: 0, count: 10 }], 0, 500, 10, 1_000)).toBe(500);
  });
});

/** A pacer on a fake clock whose sleep moves the clock and is logged. */
function fakePacer(): { pacer: SendPacer; clock: { t: number }; sleeps: number[] } {
  const clock = { t: 10_000 };
  const sleeps: number[] = [];
  const pacer = new SendPacer({
    maxMessages: 10,
    windowMs: 1_000,
    now: () => clock.t,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.t += ms;
    },
  });
  return { pacer, clock, sleeps };
}

describe('SendPacer', () => {
  it('does not sleep while the window has room', async () => {
    const { pacer, sleeps } = fakePacer();
    expect(await pacer.waitFor(10)).toBe(true);
    expect(sleeps).toEqual([]);
  });

  it('sleeps until the first send leaves the window, then lets the next batch go', async () => {
    const { pacer, clock, sleeps } = fakePacer();
    pacer.record(10);
    clock.t += 250;
    expect(await pacer.waitFor(1)).toBe(true);
    expect(sleeps).toEqual([750]);
    expect(clock.t).toBe(11_000);
    expect(pacer.earliest(10)).toBe(11_000);
  });

  it('records a send when its call returns and ignores a send of zero messages', () => {
    const { pacer, clock } = fakePacer();
    pacer.record(0);
    expect(pacer.earliest(10)).toBe(10_000);
    pacer.record(4);
    clock.t += 100;
    pacer.record(6);
    clock.t += 100;
    expect(pacer.earliest(1)).toBe(11_000);
    clock.t = 11_000;
    expect(pacer.earliest(4)).toBe(11_000);
    expect(pacer.earliest(5)).toBe(11_100);
    clock.t = 11_100;
    expect(pacer.earliest(10)).toBe(11_100);
  });

  it('ignores a negative count rather than making room', () => {
    const { pacer } = fakePacer();
    pacer.record(10);
    pacer.record(-5);
    expect(pacer.earliest(1)).toBe(11_000);
  });

  it('goes ahead when the slot is exactly at the deadline and refuses, without sleeping, one unit later', async () => {
    const { pacer, clock, sleeps } = fakePacer();
    pacer.record(10);
    expect(await pacer.waitFor(1, 10_999)).toBe(false);
    expect(sleeps).toEqual([]);
    expect(clock.t).toBe(10_000);
    expect(await pacer.waitFor(1, 11_000)).toBe(true);
    expect(sleeps).toEqual([1_000]);
  });
});
