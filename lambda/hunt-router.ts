/**
 * One Lambda, many hunts: an event names its hunt in `huntId` (each hunt's schedule rule sets it);
 * an event without one runs the flagship hunt, as the single-hunt version did, so an existing
 * schedule keeps working. An unknown `huntId` is an InvalidEventError naming the hunts there are.
 */
import { InvalidEventError } from './actions.js';
import type { HuntEvent, HuntHandler } from './lambda-shell.js';

export function makeHuntRouter(handlers: ReadonlyMap<string, HuntHandler>, defaultId: string): HuntHandler {
  return async (event, context) => {
    const named = event !== null && typeof event === 'object' && 'huntId' in event ? (event as Record<string, unknown>)['huntId'] : undefined;
    const id = named === undefined ? defaultId : named;
    const handler = typeof id === 'string' ? handlers.get(id) : undefined;
    if (handler === undefined) {
      throw new InvalidEventError([`huntId must be one of ${[...handlers.keys()].join(', ')} (got ${JSON.stringify(named)?.slice(0, 120)})`]);
    }
    return handler(event as HuntEvent, context);
  };
}
