/** onFirstEvent: a hunt of the bundle is wired when its first event comes, once. */
import { describe, expect, it } from 'vitest';
import { makeHuntRouter, onFirstEvent } from '../../lambda/hunt-router.js';
import type { HuntHandler } from '../../lambda/lambda-shell.js';

const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 };

describe('onFirstEvent', () => {
  it('builds a hunt only when an event names it, and only once', async () => {
    const built: string[] = [];
    const hunt = (id: string): HuntHandler => onFirstEvent(() => {
      built.push(id);
      return async () => ({ status: `ran ${id}` });
    });
    const router = makeHuntRouter(new Map([['A', hunt('A')], ['B', hunt('B')]]), 'A');
    expect(built).toEqual([]);
    await expect(router({ huntId: 'B' }, context)).resolves.toEqual({ status: 'ran B' });
    await expect(router({ huntId: 'B' }, context)).resolves.toEqual({ status: 'ran B' });
    expect(built).toEqual(['B']);
    await expect(router({}, context)).resolves.toEqual({ status: 'ran A' });
    expect(built).toEqual(['B', 'A']);
  });

  it('tries a build that threw again on the next event', async () => {
    let attempts = 0;
    const handler = onFirstEvent(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('table name missing');
      return async () => ({ status: 'ok' });
    });
    await expect(handler({}, context)).rejects.toThrow('table name missing');
    await expect(handler({}, context)).resolves.toEqual({ status: 'ok' });
    expect(attempts).toBe(2);
  });
});
