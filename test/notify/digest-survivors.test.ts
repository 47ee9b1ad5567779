/** The storm limit a digest quotes when the caller does not pass one: one fewer than the pairs found. */
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../../lambda/notify/digest.js';
import { makeFinding } from '../fixtures/notify/findings.js';
import { stormContext } from './digest-pairs.js';

describe('the default storm limit', () => {
  it('is the number of pairs less one', () => {
    const d = renderDigest([makeFinding(), makeFinding(), makeFinding()], stormContext);
    expect(d.email.body).toContain('\nThis run found 3 new host pairs, more than the storm limit of 2: ');
    expect((d.default as { stormLimit: number }).stormLimit).toBe(2);
  });
});
