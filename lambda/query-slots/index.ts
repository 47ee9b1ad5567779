/**
 * The tenant's shared query budget at run time: every XQL query waits for one of the tenant's
 * query slots (lambda/state-ports.ts QuerySlots) and gives it back when done.
 */
export { acquireSlot, withQuerySlots, type QuerySlotGuardOptions } from './guard.js';
export { QuerySlotUnavailableError } from './errors.js';
