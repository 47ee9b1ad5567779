import { describe, expect, it } from 'vitest';
import { BROADENED_XQL, SEED_XQL } from '../../lambda/hunts/index.js';
import { parseXql, runXql } from '../../local/xql/index.js';
import { FIXTURE_BASE_TIME, ids, loadEvents } from './fixture.js';

const SEED_FIELDS = [
  '_time', 'agent_hostname', 'actor_effective_username', 'action_process_image_name', 'action_process_image_path',
  'action_process_image_command_line', 'actor_process_image_name', 'actor_process_image_path',
  'actor_process_command_line', 'causality_actor_process_command_line', 'causality_actor_primary_username',
  'causality_actor_process_image_sha256', 'event_id', 'agent_id', '_product',
];

describe('the seed hunt query', () => {
  it('parses verbatim with its dataset, case rule and no timeframe', () => {
    const query = parseXql(SEED_XQL);

    expect(query.dataset).toBe('xdr_data');
    expect(query.caseSensitive).toBe(false);
    expect(query.timeframe).toBeUndefined();
    expect(query.stages.map((s) => s.kind)).toEqual(['filter', 'fields', 'sort']);
  });

  it('selects the wmic /node: process call create events, newest first', () => {
    const rows = runXql(parseXql(SEED_XQL), loadEvents());

    expect(ids(rows)).toEqual(['m-upper', 'm-mixedcase', 'm-lower']);
    expect(rows.map((r) => r['_time'])).toEqual([FIXTURE_BASE_TIME + 3000, FIXTURE_BASE_TIME + 2000, FIXTURE_BASE_TIME + 1000]);
  });

  it('returns only the listed fields plus the system fields', () => {
    const [row] = runXql(parseXql(SEED_XQL), loadEvents());

    expect(Object.keys(row ?? {})).toEqual([...SEED_FIELDS, '_vendor', 'insert_timestamp', '_insert_time']);
    expect(row).not.toHaveProperty('event_type');
    expect(row).toMatchObject({
      event_id: 'm-upper',
      action_process_image_name: 'WMIC.EXE',
      action_process_image_path: 'C:\\Windows\\System32\\wbem\\WMIC.exe',
      _vendor: 'PANW',
      _product: 'XDR agent',
      insert_timestamp: FIXTURE_BASE_TIME + 3000,
    });
  });

  it('drops dataset fields the query does not list and keeps system fields the row has', () => {
    const rows = runXql(parseXql(SEED_XQL), loadEvents());
    const lower = rows.find((r) => r['event_id'] === 'm-lower');
    const mixed = rows.find((r) => r['event_id'] === 'm-mixedcase');

    expect(lower).not.toHaveProperty('action_file_path');
    expect(lower).not.toHaveProperty('dst_action_external_hostname');
    // A numeric-string _time comes back as a number; the row's own insert_timestamp is kept.
    expect(mixed).toMatchObject({ _time: FIXTURE_BASE_TIME + 2000, insert_timestamp: FIXTURE_BASE_TIME + 2500 });
  });

  it('does not modify the input rows', () => {
    const events = loadEvents();
    const before = structuredClone(events);

    runXql(parseXql(SEED_XQL), events);

    expect(events).toEqual(before);
  });

  it('matches only exact-case values when case_sensitive = true', () => {
    const strict = SEED_XQL.replace('config case_sensitive = false', 'config case_sensitive = true');
    expect(strict).not.toBe(SEED_XQL);

    const rows = runXql(parseXql(strict), loadEvents());

    expect(ids(rows)).toEqual(['m-lower']);
  });

  it('returns nothing for a dataset other than xdr_data', () => {
    const query = parseXql(SEED_XQL.replace('dataset = xdr_data', 'dataset = cloud_audit_logs'));

    expect(query.dataset).toBe('cloud_audit_logs');
    expect(runXql(query, loadEvents())).toEqual([]);
  });

  it('applies the API window to the seed query', () => {
    const rows = runXql(parseXql(SEED_XQL), loadEvents(), {
      window: { from: FIXTURE_BASE_TIME + 1500, to: FIXTURE_BASE_TIME + 3000 },
    });

    expect(ids(rows)).toEqual(['m-mixedcase']);
  });
});

describe('the broadened hunt query', () => {
  it('also matches -node: and a renamed wmic whose file info says wmic.exe', () => {
    const query = parseXql(BROADENED_XQL);

    const rows = runXql(query, loadEvents());

    expect(ids(rows)).toEqual(['n-renamed', 'n-dash-node', 'm-upper', 'm-mixedcase', 'm-lower']);
    expect(rows[0]).toMatchObject({ action_process_file_info: { original_name: 'wmic.exe' } });
  });

  it('matches the PE original name exactly, not any text of the file info JSON', () => {
    const renamed = loadEvents().find((r) => r['event_id'] === 'n-renamed');
    if (renamed === undefined) throw new Error('fixture n-renamed is missing');
    const lookalikes = [
      { ...renamed, event_id: 'original-notwmic', action_process_file_info: { original_name: 'notwmic.exe' } },
      { ...renamed, event_id: 'company-says-wmic', action_process_file_info: '{"original_name":"svc.exe","description":"wmic.exe helper"}' },
      { ...renamed, event_id: 'original-json-text', action_process_file_info: '{"original_name":"WMIC.exe"}' },
    ];

    expect(ids(runXql(parseXql(BROADENED_XQL), lookalikes))).toEqual(['original-json-text']);
  });

  it('still rejects the other near misses', () => {
    const rows = runXql(parseXql(BROADENED_XQL), loadEvents());

    for (const id of ['n-subtype', 'n-linux', 'n-no-node', 'n-file-event', 'n-no-call', 'n-null-cmd', 'n-image-suffix']) {
      expect(ids(rows)).not.toContain(id);
    }
  });
});
