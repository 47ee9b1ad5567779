/**
 * The per-pair SNS `default` JSON as a subscriber reads it after JSON.parse: a missing or null
 * value is `null` (never `""` or "unknown time"), lists are capped at `limits.list` with the full
 * count beside them, a malformed reason still renders, and the generic-hunt fields (`host`,
 * `keyFields`) say which host and which fields.
 */
import { describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../lambda/finding.js';
import { DEFAULT_LIMITS, type RenderLimits } from '../../lambda/notify/limits.js';
import { renderDefault } from '../../lambda/notify/payload.js';
import { makeContext, makeFinding, T0 } from '../fixtures/notify/findings.js';

/** What a subscriber's JSON.parse sees. */
function wire(overrides: Record<string, unknown>, limits: RenderLimits = DEFAULT_LIMITS): Record<string, unknown> {
  const f = makeFinding(overrides as Partial<TrackedFinding>);
  return JSON.parse(JSON.stringify(renderDefault(f, makeContext(), limits))) as Record<string, unknown>;
}

const NO_TEXT = { value: null, truncated: false, length: 0 };

describe('missing values are null on the wire', () => {
  it('gives null for a missing or null host-written text and name, not an empty string', () => {
    // records read back from DynamoDB may lack an attribute (undefined) or hold NULL (null)
    const json = wire({ commandLine: undefined, parentCommandLine: null, user: undefined, lineUser: null, parentImage: undefined });
    expect(json.commandLine).toEqual(NO_TEXT);
    expect(json.parentCommandLine).toEqual(NO_TEXT);
    expect(json.user).toBeNull();
    expect(json.lineUser).toBeNull();
    expect(json.parentImage).toBeNull();
  });

  it('keeps a present text and name exactly', () => {
    const json = wire({ parentCommandLine: 'cmd.exe /c run.bat', user: 'CORP\\jdoe' });
    expect(json.parentCommandLine).toEqual({ value: 'cmd.exe /c run.bat', truncated: false, length: 18 });
    expect(json.user).toBe('CORP\\jdoe');
  });

  it('gives null for a time outside the Date range, and the ISO time for one inside', () => {
    const json = wire({ firstSeen: 8.64e15 + 1, lastSeen: T0 });
    expect(json.firstSeen).toBeNull();
    expect(json.lastSeen).toBe('2026-03-14T09:26:53.000Z');
  });

  it('gives empty lists for event ids and reasons that are not lists', () => {
    const json = wire({ eventIds: undefined, reasons: 'payload.powershell' });
    expect(json.eventIds).toEqual([]);
    expect(json.eventIdsTotal).toBe(0);
    expect(json.reasons).toEqual([]);
  });

  it('renders a null reason as nulls instead of failing the whole message', () => {
    const json = wire({ reasons: [null, { code: 'line.credentials', points: 5, detail: 'explicit /user: on the line' }] });
    expect(json.reasons).toEqual([
      { code: null, points: null, detail: null },
      { code: 'line.credentials', points: 5, detail: 'explicit /user: on the line' },
    ]);
  });
});

describe('lists are capped at limits.list', () => {
  const limits: RenderLimits = { ...DEFAULT_LIMITS, list: 2 };
  const reason = (n: number): { code: string; points: number; detail: string } => ({ code: `r.${n}`, points: n, detail: `reason ${n}` });

  it('keeps the cap of event ids and reasons, and one more is left out but counted', () => {
    const atCap = wire({ eventIds: ['evt-1', 'evt-2'], reasons: [reason(1), reason(2)] }, limits);
    expect(atCap.eventIds).toEqual(['evt-1', 'evt-2']);
    expect(atCap.reasons).toEqual([reason(1), reason(2)]);
    const over = wire({ eventIds: ['evt-1', 'evt-2', 'evt-3'], reasons: [reason(1), reason(2), reason(3)] }, limits);
    expect(over.eventIds).toEqual(['evt-1', 'evt-2']);
    expect(over.eventIdsTotal).toBe(3);
    expect(over.reasons).toEqual([reason(1), reason(2)]);
  });

  it('keeps the cap of key fields and leaves the next one out', () => {
    const keyFields = { action_process_image_name: 'wmic.exe', action_process_username: 'CORP\\svc_backup', agent_hostname: 'WKS-FIN-042' };
    expect(wire({ keyFields }, limits).keyFields).toEqual({
      action_process_image_name: { value: 'wmic.exe', truncated: false, length: 8 },
      action_process_username: { value: 'CORP\\svc_backup', truncated: false, length: 15 },
    });
  });
});

describe('fields that are present', () => {
  it('carries the parent decoded script', () => {
    expect(wire({ parentDecodedScript: 'IEX (New-Object Net.WebClient)' }).parentDecodedScript).toEqual({
      value: 'IEX (New-Object Net.WebClient)',
      truncated: false,
      length: 30,
    });
    expect(wire({}).parentDecodedScript).toEqual(NO_TEXT);
  });

  it('carries the allowlist entry that suppressed the pair', () => {
    const suppressed = { entryId: 'allow-17', owner: 'secops@corp.example', reason: 'backup job', expires: '2026-06-30' };
    expect(wire({ suppressed }).suppressed).toEqual(suppressed);
    expect(wire({}).suppressed).toBeNull();
  });

  it('names the evidence host, falling back to the source host', () => {
    expect(wire({ host: 'SRV-DC-01', sourceHost: 'WKS-FIN-042' }).host).toBe('SRV-DC-01');
    expect(wire({ sourceHost: 'WKS-FIN-042' }).host).toBe('WKS-FIN-042');
  });

  it('omits keyFields when the hunt has none', () => {
    expect(wire({})).not.toHaveProperty('keyFields');
  });
});
