import { describe, expect, it } from 'vitest';
import { loadAllowlist } from '../../lambda/detect/index.js';
import { definitionOf, parseCard } from '../../lambda/hunts/index.js';
import { createCardDetector } from '../../lambda/modules/index.js';
import { readCardSources } from '../../local/hunts/index.js';
import { hunt, tempDir } from '../cli/harness.js';

const source = readCardSources().find((s) => s.file.endsWith('HuntQuery-Windows-ShadowCopy-Delete.md'))!;
const card = definitionOf(parseCard(source.text, source.file));
const none = loadAllowlist({ schemaVersion: 1, entries: [] });
const row = (id: string, host: string | null, cmd: string | null, time = 1_000) => ({ event_id: id, agent_hostname: host, action_process_image_command_line: cmd, _time: time });

describe('the card-only detector', () => {
  it('keys a finding by host and command line: events of the same pair fold, hosts compare case-insensitively', () => {
    const { findings } = createCardDetector({ hunt: card, allowlist: none })([
      row('e1', 'FS01', 'vssadmin delete shadows /all /quiet', 1_000), row('e2', 'fs01', 'vssadmin delete shadows /all /quiet', 3_000),
      row('e3', 'FS01', 'wmic shadowcopy delete', 2_000),
    ], 9_000);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({ huntId: card.id, host: 'FS01', eventIds: ['e1', 'e2'], firstSeen: 1_000, lastSeen: 3_000, riskScore: 90, severity: 'high', suppressed: null });
    expect(findings[0]!.keyFields).toEqual({ agent_hostname: 'FS01', action_process_image_command_line: 'vssadmin delete shadows /all /quiet' });
  });

  it('falls back to one finding per event_id when a row lacks host or command line', () => {
    const { findings } = createCardDetector({ hunt: card, allowlist: none })([row('e1', null, 'x'), row('e2', null, 'x')], 0);
    expect(findings.map((f) => f.keyFields)).toEqual([{ event_id: 'e1' }, { event_id: 'e2' }]);
  });

  it('keys by the card\'s own "## Finding Keys" when it has them', () => {
    const keyed = { ...card, keyFields: ['agent_hostname'] };
    const { findings } = createCardDetector({ hunt: keyed, allowlist: none })([row('e1', 'FS01', 'a'), row('e2', 'FS01', 'b')], 0);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.eventIds).toEqual(['e1', 'e2']);
  });

  it('redacts a password typed on the command line before it is a key, stored or shown', () => {
    const { findings } = createCardDetector({ hunt: card, allowlist: none })([row('e1', 'FS01', 'wmic /user:admin /password:Hunter2! shadowcopy delete')], 0);
    expect(JSON.stringify(findings)).not.toContain('Hunter2!');
  });

  it('marks an allowlisted finding suppressed, never drops it', () => {
    const allowlist = loadAllowlist({ schemaVersion: 1, entries: [{ id: 'golden-image', owner: 'it', reason: 'image prep', expires: '2099-01-01', sourceHost: 'IMG-BUILD-01' }] });
    const { findings } = createCardDetector({ hunt: card, allowlist })([row('e1', 'IMG-BUILD-01', 'vssadmin delete shadows /all /quiet')], 0);
    expect(findings[0]!.suppressed?.entryId).toBe('golden-image');
  });
});

describe('a card-only hunt through the CLI', () => {
  it('runs from hunts/ with --hunt, and its notifications name the hunt and the host', async () => {
    const state = tempDir('card-cli-');
    const result = await hunt(['--hunt', card.id, '--events', 'hunts/HuntQuery-Windows-ShadowCopy-Delete.test.jsonl', '--state', state, '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { huntId: string; notifications: { huntId: string; host: string; commandLine: string }[]; hunts: { huntId: string }[] };
    expect(doc.huntId).toBe(card.id);
    expect(doc.notifications.map((n) => `${n.huntId} ${n.host}`).sort()).toEqual([`${card.id} BKP01`, `${card.id} FS01`, `${card.id} FS01`]);
    expect(doc.hunts.map((h) => h.huntId)).toEqual([card.id]);
  }, 120_000);

  it('runs every hunt by default: one document, every notification naming its hunt', async () => {
    const state = tempDir('card-cli-');
    const result = await hunt(['--events', 'hunts/HuntQuery-Windows-ShadowCopy-Delete.test.jsonl', '--state', state, '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { notifications: { huntId: string }[]; hunts: { huntId: string }[] };
    expect(doc.hunts.map((h) => h.huntId)).toEqual(['HuntQuery-Windows-WMIC-RemoteExec', card.id, 'HuntQuery-Windows-WMI-RemoteExec-TargetSide']);
    // wmic.exe shadowcopy delete is no remote process creation: only the card-only hunt notifies these rows
    expect(new Set(doc.notifications.map((n) => n.huntId))).toEqual(new Set([card.id]));
  }, 120_000);
});
