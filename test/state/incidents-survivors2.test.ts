/**
 * readIncidents' input check (lambda/state/incidents.ts): each host must be a non-empty string.
 * A host list built from JSON can nest a list (`[["wks-77"]]`) or carry an object with a length;
 * those have a positive `length` yet are no host name: the operator must read the named problem
 * rather than the store looking up a key built from `wks-77` by accident or from `[object Object]`.
 */
import { describe, expect, it } from 'vitest';
import { readIncidentsProblems } from '../../lambda/state/incidents.js';
import { T0 } from '../fixtures/state/findings.js';

const HUNT = 'hunt-incident-input-2';
const HOSTS = 'hosts must be an array of non-empty strings';

describe('readIncidents refuses host entries that only look like names', () => {
  it('refuses a nested host list and an object with a length, next to a good host', () => {
    for (const bad of [['wks-77'], { length: 6 }]) expect(readIncidentsProblems(HUNT, ['fs01', bad], T0)).toEqual([HOSTS]);
  });

  it('refuses a null host with the named problem, not a TypeError', () => {
    expect(readIncidentsProblems(HUNT, ['fs01', null], T0)).toEqual([HOSTS]);
  });

  it('takes a one-character host (the shortest name)', () => {
    expect(readIncidentsProblems(HUNT, ['fs01', 'x'], T0)).toEqual([]);
  });
});
