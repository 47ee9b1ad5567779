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

/**
 * A hunt's handler built on its first event, then kept for the life of the execution environment:
 * a cold start for one hunt wires that hunt only (its detector, evidence source, XSIAM client and
 * stores), not every hunt the bundle carries. A build that throws is tried again on the next event.
 */
export function onFirstEvent(build: () => HuntHandler): HuntHandler {
  let built: HuntHandler | undefined;
  return async (event, context) => {
    built ??= build();
    return built(event, context);
  };
}
