/**
 * Tenants in the keys (lambda/state/keys.ts): the default tenant's keys are the keys of the version
 * before tenants, exactly (literal strings captured from its builders); another tenant's are the
 * same keys behind `T#<tenant>#` and never meet the default's or each other's. Both adapters, over
 * one table (DynamoDB Local) or one file: two tenants' runs share nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { planIncidents } from '../../lambda/incidents/index.js';
import type { StateStore } from '../../lambda/ports.js';
import {
  DEFAULT_TENANT, DynamoSendBudget, DynamoStateStore, StateInputError, awaitingKey, backfillKey, checkpointKey, coverageKey, findingKey,
  historyKey, incidentEvidenceKey, incidentHostKey, incidentKey, leaseKey, shadowKey, sweepKey, tenantProblems,
} from '../../lambda/state/index.js';
import { FileStateStore } from '../../local/adapters/index.js';
import { DAY, MINUTE, T0, freshHuntId, makeFinding } from '../fixtures/state/findings.js';
import { freshTable, localClient } from './dynamo-support.js';

const H = 'HuntQuery-Windows-WMIC-RemoteExec';
/** Every key builder, and what the version before tenants made of the same arguments (keys.ts at 2457c6f). */
const BUILDERS: readonly [(tenant?: string) => string, string][] = [
  [(t) => findingKey(H, 'fp0', t), 'HIT#HuntQuery-Windows-WMIC-RemoteExec#fp0'],
  [(t) => checkpointKey(H, t), 'CHECKPOINT#HuntQuery-Windows-WMIC-RemoteExec'],
  [(t) => sweepKey(H, 'full', t), 'SWEEP#HuntQuery-Windows-WMIC-RemoteExec#full'],
  [(t) => leaseKey(H, t), 'LEASE#HuntQuery-Windows-WMIC-RemoteExec'],
  [(t) => incidentKey(H, 'INC-1', t), 'INC#HuntQuery-Windows-WMIC-RemoteExec#INC-1'],
  [(t) => incidentHostKey(H, 'ws01', t), 'INCHOST#HuntQuery-Windows-WMIC-RemoteExec#ws01'],
  [(t) => shadowKey(H, '2026-12-06', t), 'SHADOW#HuntQuery-Windows-WMIC-RemoteExec#2026-12-06'],
  [(t) => backfillKey(H, { from: 1, to: 2 }, t), 'BACKFILL#HuntQuery-Windows-WMIC-RemoteExec#1-2'],
  [(t) => historyKey(H, 'host', 'ws01', t), 'HIST#HuntQuery-Windows-WMIC-RemoteExec#HOST#ws01'],
  [(t) => historyKey(H, 'user', 'corp\\adm', t), 'HIST#HuntQuery-Windows-WMIC-RemoteExec#USER#corp\\adm'],
  [(t) => coverageKey(H, t), 'HIST#HuntQuery-Windows-WMIC-RemoteExec#COVERAGE'],
  [(t) => awaitingKey(H, t), 'AWAIT#HuntQuery-Windows-WMIC-RemoteExec'],
];

describe('tenant keys', () => {
  it('the default tenant keeps the keys of the version before tenants, exactly', () => {
    for (const [build, previous] of BUILDERS) {
      expect(build()).toBe(previous);
      expect(build(DEFAULT_TENANT)).toBe(previous);
    }
    expect(incidentEvidenceKey(H, 'INC-1')).toBe('INCEV#HuntQuery-Windows-WMIC-RemoteExec#INC-1');
  });

  it('another tenant\'s keys are the same keys behind T#<tenant>#: never a default key, never another tenant\'s', () => {
    const all = new Set<string>();
    for (const tenant of [DEFAULT_TENANT, 'acme', 'acme-2', 'defaul']) {
      for (const [build, previous] of BUILDERS) {
        const k = build(tenant);
        if (tenant !== DEFAULT_TENANT) expect(k).toBe(`T#${tenant}#${previous}`);
        expect(all.has(k), k).toBe(false);
        all.add(k);
      }
    }
    // No default key starts with T# (every prefix is a word and #), and a tenant holds no #.
    expect(BUILDERS.some(([build]) => build().startsWith('T#'))).toBe(false);
    expect(tenantProblems('acme#HIT')).toHaveLength(1);
    expect(tenantProblems('')).toHaveLength(1);
    expect(tenantProblems('Acme')).toHaveLength(1);
    expect(tenantProblems('a'.repeat(65))).toHaveLength(1);
    expect(tenantProblems('acme-eu-1')).toEqual([]);
  });

  it('refuses a store or a send budget for a malformed tenant, naming it', () => {
    expect(() => new DynamoStateStore({ client: localClient('http://127.0.0.1:1'), tableName: 'table', tenant: 'bad#one' })).toThrow(StateInputError);
    expect(() => new FileStateStore({ dir: tmpdir(), tenant: 'BAD' })).toThrow(/tenant must be/);
    expect(() => new DynamoSendBudget({ client: localClient('http://127.0.0.1:1'), tableName: 't', windowMs: 1100, now: Date.now, sleep: async () => undefined, tenant: '' })).toThrow(/tenant/);
  });
});

/** Two tenants over one backend: each one's checkpoint, lease, claims, incidents, awaiting list and history are its own. */
async function isolated(make: (tenant?: string) => StateStore): Promise<void> {
  const hunt = freshHuntId();
  const [home, other] = [make(), make('acme')];
  await home.writeCheckpoint(hunt, { coveredUntil: T0, lastRunStatus: 'ok' }, null, T0);
  expect(await other.readCheckpoint(hunt)).toBeNull();
  await other.writeCheckpoint(hunt, { coveredUntil: T0 + MINUTE, lastRunStatus: 'ok' }, null, T0);
  expect((await home.readCheckpoint(hunt))?.coveredUntil).toBe(T0);
  expect(await home.acquireLease(hunt, 'run-a', T0, MINUTE)).toBe(true);
  expect(await other.acquireLease(hunt, 'run-b', T0, MINUTE)).toBe(true);
  const finding = makeFinding(hunt, 1);
  expect((await home.recordFindings([finding], T0, DAY)).created).toHaveLength(1);
  expect((await other.recordFindings([finding], T0, DAY)).created).toHaveLength(1);
  await home.markNotified(hunt, [finding.fingerprint], T0, new Map([[finding.fingerprint, 'not-seen']]));
  expect((await other.recordFindings([finding], T0 + 1, DAY)).pending).toHaveLength(1);
  const plan = planIncidents(hunt, [{ ...finding, severity: 'high', riskScore: 80 }], [], 60 * MINUTE);
  await home.writeIncidents(hunt, plan.changed, T0, DAY);
  expect(await other.readIncidents(hunt, ['ws-1'], T0)).toEqual([]);
  expect(await home.readIncidents(hunt, ['ws-1'], T0)).toHaveLength(1);
  await home.recordHistory(hunt, { coveredDays: [Math.floor(T0 / DAY)], sightings: [], keepDays: 30 }, T0);
  expect((await home.readHistory(hunt, { hosts: [], users: [] }, T0)).coveredDays).toEqual([Math.floor(T0 / DAY)]);
  expect((await other.readHistory(hunt, { hosts: [], users: [] }, T0)).coveredDays).toEqual([]);
}

describe('two tenants on one backend share nothing', () => {
  it('DynamoDB', async () => {
    const client = localClient(inject('dynamoDbEndpoint'));
    const tableName = await freshTable(client, 'tenants');
    await isolated((tenant) => new DynamoStateStore({ client, tableName, ...(tenant && { tenant }) }));
  });

  it('the file store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenants-'));
    await isolated((tenant) => new FileStateStore({ dir, ...(tenant && { tenant }) }));
  });
});
