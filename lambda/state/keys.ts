/**
 * Partition keys of the hunt table (one table, `pk` only; infra and both adapters share them).
 *
 * Every key has a tenant. The default tenant's keys are the keys written before tenants existed
 * (`HIT#<huntId>#<fp>` …), so an upgraded deployment reads its items as they are; another tenant's
 * keys are the same keys behind `T#<tenant>#`. No default key starts with `T#` and a tenant name
 * holds no `#`, so no two tenants' keys can collide.
 */

/** The tenant of a deployment that names none (every deployment until tenants are added). */
export const DEFAULT_TENANT = 'default';

/** What starts every key of `tenant`: nothing for the default tenant, `T#<tenant>#` for any other. */
export function tenantPrefix(tenant: string = DEFAULT_TENANT): string {
  return tenant === DEFAULT_TENANT ? '' : `T#${tenant}#`;
}

/** Problems with a tenant name: 1–64 lower-case letters, digits and dashes, starting with a letter or digit. */
export function tenantProblems(tenant: unknown, label = 'tenant'): string[] {
  return typeof tenant === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(tenant)
    ? []
    : [`${label} must be 1-64 lower-case letters, digits or dashes, starting with a letter or digit`];
}

export const KEY_PREFIX = {
  finding: 'HIT#',
  checkpoint: 'CHECKPOINT#',
  lease: 'LEASE#',
  incident: 'INC#',
  incidentHost: 'INCHOST#',
  shadow: 'SHADOW#',
  backfill: 'BACKFILL#',
  history: 'HIST#',
  awaiting: 'AWAIT#',
  sweep: 'SWEEP#',
  incidentEvidence: 'INCEV#',
  querySlot: 'QSLOT#',
} as const;

/** `HIT#<huntId>#<fingerprint>`: one dedupe record per host pair and hunt. */
export function findingKey(huntId: string, fingerprint: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.finding}${huntId}#${fingerprint}`;
}

/** `CHECKPOINT#<huntId>`: the covered-until mark of a hunt. */
export function checkpointKey(huntId: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.checkpoint}${huntId}`;
}

/** `SWEEP#<huntId>#<sweep>`: the arrival mark of one late sweep of a hunt (run control state). */
export function sweepKey(huntId: string, sweep: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.sweep}${huntId}#${sweep}`;
}

/** `LEASE#<huntId>`: the run lease of a hunt. */
export function leaseKey(huntId: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.lease}${huntId}`;
}

/** `INC#<huntId>#<incidentId>`: one incident of a hunt. */
export function incidentKey(huntId: string, incidentId: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.incident}${huntId}#${incidentId}`;
}

/** `INCEV#<huntId>#<incidentId>`: the evidence other hunts added to one incident of a hunt. */
export function incidentEvidenceKey(huntId: string, incidentId: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.incidentEvidence}${huntId}#${incidentId}`;
}

/** `INCHOST#<huntId>#<hostKey>`: the incident a host last took part in. */
export function incidentHostKey(huntId: string, host: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.incidentHost}${huntId}#${host}`;
}

/** `SHADOW#<huntId>#<YYYY-MM-DD>`: the pairs shadow runs of that UTC day would have notified. */
export function shadowKey(huntId: string, day: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.shadow}${huntId}#${day}`;
}

/** `BACKFILL#<huntId>#<from>-<to>`: the chunks of one backfill range done so far. */
export function backfillKey(huntId: string, range: { readonly from: number; readonly to: number }, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.backfill}${huntId}#${range.from}-${range.to}`;
}

/** `HIST#<huntId>#HOST#<name>` / `HIST#<huntId>#USER#<name>`: one history item per source host or user. */
export function historyKey(huntId: string, kind: 'host' | 'user', name: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.history}${huntId}#${kind === 'host' ? 'HOST' : 'USER'}#${name}`;
}

/** `HIST#<huntId>#COVERAGE`: the days a hunt's history covers. */
export function coverageKey(huntId: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.history}${huntId}#COVERAGE`;
}

/** `AWAIT#<huntId>`: the pairs of a hunt awaiting late evidence. */
export function awaitingKey(huntId: string, tenant: string = DEFAULT_TENANT): string {
  return `${tenantPrefix(tenant)}${KEY_PREFIX.awaiting}${huntId}`;
}

/** Problems with a hunt id used in a key (empty, or a `#` that would make keys ambiguous). */
export function huntIdProblems(huntId: unknown, label = 'huntId'): string[] {
  if (typeof huntId !== 'string' || huntId.length === 0) return [`${label} must be a non-empty string`];
  if (huntId.includes('#')) return [`${label} "${huntId}" must not contain '#'`];
  if (huntId.length > 200) return [`${label} is longer than 200 characters`];
  return [];
}

/** Problems with a fingerprint used in a key. */
// Stryker disable next-line StringLiteral: equivalent: every caller that shows the problems passes its own label; the one without (awaiting.ts) reads only whether there are any
export function fingerprintProblems(fingerprint: unknown, label = 'fingerprint'): string[] {
  if (typeof fingerprint !== 'string' || fingerprint.length === 0) return [`${label} must be a non-empty string`];
  if (fingerprint.length > 512) return [`${label} is longer than 512 characters`];
  return [];
}

/** `QSLOT#<tenant>#<n>`: one of the tenant's XQL query slots (lambda/state/query-slots.ts). */
export function querySlotKey(tenant: string, slot: number): string {
  return `${KEY_PREFIX.querySlot}${tenant}#${slot}`;
}
