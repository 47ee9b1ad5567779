/**
 * The XQL an analyst pastes into XSIAM for a whole run window (the digest) and for a card-only
 * hunt's finding: every assertion is the exact query text, line by line.
 */
import { describe, expect, it } from 'vitest';
import { loadAllowlist } from '../../lambda/detect/index.js';
import type { TrackedFinding } from '../../lambda/finding.js';
import { definitionOf, parseCard } from '../../lambda/hunts/index.js';
import { createCardDetector } from '../../lambda/modules/index.js';
import { cardDrillDownXql, drillDownXql, runWindowXql } from '../../lambda/notify/xql.js';
import { readCardSources } from '../../local/hunts/index.js';
import { makeContext, T0 } from '../fixtures/notify/findings.js';

const FIELDS_LINE =
  '| fields _time, agent_hostname, actor_effective_username, action_process_image_name, action_process_image_command_line, ' +
  'actor_process_image_name, actor_process_command_line, causality_actor_process_command_line, causality_actor_primary_username, event_id, agent_id';

const WMIC_FILTER = [
  '| filter event_type = ENUM.PROCESS',
  '    and event_sub_type = ENUM.PROCESS_START',
  '    and (action_process_image_name = "wmic.exe" or json_extract_scalar(action_process_file_info, "$.original_name") = "wmic.exe")',
  '    and action_process_image_command_line contains "node:"',
  '    and action_process_image_command_line contains "process"',
  '    and action_process_image_command_line contains "call"',
  '    and action_process_image_command_line contains "create"',
];

describe('runWindowXql: the digest drill-down over the run window', () => {
  it('filters every wmic remote process creation of the window, renamed copies included', () => {
    // makeContext: the window is T0 - 1 h .. T0 + 1 h (2026-03-14 08:26:53 .. 10:26:53 UTC).
    expect(runWindowXql(makeContext())).toBe(
      [
        '// Drill-down: HuntQuery-Windows-WMIC-RemoteExec, every host pair of the run window',
        'config case_sensitive = false timeframe between "2026-03-14 08:26:53 +0000" and "2026-03-14 10:26:53 +0000"',
        '| dataset = xdr_data',
        ...WMIC_FILTER,
        FIELDS_LINE,
        '| sort desc _time',
      ].join('\n'),
    );
  });

  it('says when the window cannot be computed and leaves the time range to the query builder', () => {
    // One millisecond backwards: from > to is no window.
    expect(runWindowXql(makeContext({ window: { from: T0 + 1, to: T0 } }))).toBe(
      [
        '// Drill-down: HuntQuery-Windows-WMIC-RemoteExec, every host pair of the run window',
        '// Window: none could be computed; set the time range in the query builder',
        'config case_sensitive = false',
        '| dataset = xdr_data',
        ...WMIC_FILTER,
        FIELDS_LINE,
        '| sort desc _time',
      ].join('\n'),
    );
  });
});

// A real card-only hunt and its detector (as test/hunts/card-only.test.ts does): rows shaped as
// XSIAM returns them for the card's query (event_id, agent_hostname, the command line, _time in ms).
const source = readCardSources().find((s) => s.file.endsWith('HuntQuery-Windows-ShadowCopy-Delete.md'))!;
const card = definitionOf(parseCard(source.text, source.file));
const none = loadAllowlist({ schemaVersion: 1, entries: [] });
const row = (id: string, time: number) => ({
  event_id: id,
  agent_hostname: 'FS01',
  action_process_image_command_line: 'vssadmin delete shadows /all /quiet',
  _time: time,
});

/** The detector's finding for FS01 (events e1 at T0 and e2 five minutes later), with overrides. */
function cardFinding(overrides: Partial<Record<keyof TrackedFinding, unknown>> = {}): TrackedFinding {
  const { findings } = createCardDetector({ hunt: card, allowlist: none })([row('e1', T0), row('e2', T0 + 5 * 60_000)], T0);
  return { ...findings[0]!, count: 2, status: 'PENDING', ...overrides } as TrackedFinding;
}

const cardCtx = makeContext({ hunt: card });
const HEAD = '// Drill-down for HuntQuery-Windows-ShadowCopy-Delete; time range: first/last seen widened by one hour.';
// first seen T0 - 1 h, last seen T0 + 5 min + 1 h
const CONFIG = 'config case_sensitive = false timeframe between "2026-03-14 08:26:53 +0000" and "2026-03-14 10:31:53 +0000"';
const DROPPED = '// Host condition dropped: the host name has characters XQL strings cannot hold.';

/** The card query with `middle` between the dataset line and the projection (a trailing newline ends it). */
function cardQuery(head: readonly string[], middle: readonly string[]): string {
  return [...head, CONFIG, '| dataset = xdr_data', ...middle, FIELDS_LINE, '| sort desc _time', ''].join('\n');
}

describe('cardDrillDownXql: a card-only finding', () => {
  it('filters the host and the finding\'s events over first/last seen widened by an hour', () => {
    const f = cardFinding();
    const want = cardQuery([HEAD], ['| filter agent_hostname = "FS01"', '    and event_id in ("e1", "e2")']);
    expect(cardDrillDownXql(f, cardCtx)).toBe(want);
    expect(drillDownXql(f, cardCtx)).toBe(want);
  });

  it('reads the host from sourceHost when a finding of an older version has no host', () => {
    const f = cardFinding({ host: undefined, sourceHost: 'FS02' });
    expect(cardDrillDownXql(f, cardCtx)).toBe(cardQuery([HEAD], ['| filter agent_hostname = "FS02"', '    and event_id in ("e1", "e2")']));
  });

  it('prefers host over sourceHost when both are there', () => {
    const f = cardFinding({ host: 'FS01', sourceHost: 'WKS-OTHER' });
    expect(cardDrillDownXql(f, cardCtx)).toBe(cardQuery([HEAD], ['| filter agent_hostname = "FS01"', '    and event_id in ("e1", "e2")']));
  });

  it('keeps 20 event ids: 20 all, 21 the first 20', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `e${i + 1}`);
    const inList = (n: number) => ids(n).map((id) => `"${id}"`).join(', ');
    expect(cardDrillDownXql(cardFinding({ eventIds: ids(20) }), cardCtx)).toBe(
      cardQuery([HEAD], ['| filter agent_hostname = "FS01"', `    and event_id in (${inList(20)})`]),
    );
    expect(cardDrillDownXql(cardFinding({ eventIds: ids(21) }), cardCtx)).toBe(
      cardQuery([HEAD], ['| filter agent_hostname = "FS01"', `    and event_id in (${inList(20)})`]),
    );
  });

  it('drops event ids XQL cannot quote, and values that are not text (a stored item is untrusted)', () => {
    const f = cardFinding({ eventIds: ['e1', 'e"2', 'e3 | dataset = x', 42, '', 'e4'] });
    expect(cardDrillDownXql(f, cardCtx)).toBe(cardQuery([HEAD], ['| filter agent_hostname = "FS01"', '    and event_id in ("e1", "e4")']));
  });

  it('writes no event_id condition when no event id is left, or eventIds is not a list', () => {
    const hostOnly = cardQuery([HEAD], ['| filter agent_hostname = "FS01"']);
    expect(cardDrillDownXql(cardFinding({ eventIds: [] }), cardCtx)).toBe(hostOnly);
    expect(cardDrillDownXql(cardFinding({ eventIds: ['e"1'] }), cardCtx)).toBe(hostOnly);
    expect(cardDrillDownXql(cardFinding({ eventIds: null }), cardCtx)).toBe(hostOnly);
  });

  it('drops a host XQL cannot quote and says so, keeping the event ids', () => {
    const f = cardFinding({ host: 'FS01" or agent_hostname != "x' });
    expect(cardDrillDownXql(f, cardCtx)).toBe(cardQuery([HEAD, DROPPED], ['| filter event_id in ("e1", "e2")']));
  });

  it('writes no filter stage when neither the host nor an event id can be written', () => {
    const f = cardFinding({ host: 'FS|01', eventIds: [] });
    expect(cardDrillDownXql(f, cardCtx)).toBe(cardQuery([HEAD, DROPPED], []));
  });
});
