import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CardError, HuntRegistryError, parseCard } from '../../lambda/hunts/index.js';
import { huntModules } from '../../lambda/modules/index.js';
import { checkCard, checkHunts, embeddedUpToDate, readCardSources } from '../../local/hunts/index.js';

const WMIC_FILE = 'hunts/HuntQuery-Windows-WMIC-RemoteExec.md';
const wmic = readFileSync(resolve(import.meta.dirname, '../..', WMIC_FILE), 'utf8');
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('the cards in hunts/', () => {
  it('all pass: format, XQL, fields, registry, the bundle\'s copy, and every test row through the local XSIAM', async () => {
    const report = await checkHunts();
    expect(report.errors).toEqual([]);
    expect(report.cards).toBeGreaterThanOrEqual(2);
    expect(report.testRows).toBeGreaterThan(0);
    // a card without tests is a warning, never silence
    expect(report.warnings).toEqual([]);
  }, 120_000);

  it('are what the Lambda bundle embeds (npm run cards)', () => {
    expect(embeddedUpToDate()).toBe(true);
  });

  it('register once each: every module has its card, every id is unique', () => {
    const hunts = huntModules(readCardSources());
    expect(new Set(hunts.map((h) => h.card.id)).size).toBe(hunts.length);
    expect(() => huntModules([...readCardSources(), { file: 'hunts/copy.md', text: wmic }])).toThrow(HuntRegistryError);
    expect(() => huntModules(readCardSources().filter((s) => s.file !== WMIC_FILE))).toThrow(/no card in hunts\/ has that ID/);
  });
});

describe('a broken card', () => {
  it('names each missing section and the fix', () => {
    const broken = wmic.replace('## False Positives', '## Noise').replace('- **Risk Score:** 85', '- **Risk Score:** high');
    const err = (() => { try { parseCard(broken, 'hunts/x.md'); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(CardError);
    const problems = (err as CardError).problems;
    expect(problems).toContainEqual(expect.objectContaining({ file: 'hunts/x.md', message: 'the section "## False Positives" is missing' }));
    expect(problems).toContainEqual(expect.objectContaining({ line: lineOf(broken, '**Risk Score:**'), message: 'the risk score "high" is not a whole number from 0 to 100' }));
    expect((err as CardError).message).toContain('hunts/x.md:');
  });

  it('names the line of XQL that does not parse', () => {
    const broken = wmic.replace('    and action_process_image_command_line contains "call" ', '    and action_process_image_command_line contains call" ');
    const { problems } = checkCard(broken, WMIC_FILE);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(lineOf(broken, 'contains call"'));
    expect(problems[0]!.message).toMatch(/^the XQL does not parse/);
  });

  it('names the line of a field xdr_data does not have', () => {
    const broken = wmic.replace('and action_process_image_name = "wmic.exe"', 'and action_proces_image_name = "wmic.exe"');
    const { problems } = checkCard(broken, WMIC_FILE);
    expect(problems).toEqual([expect.objectContaining({ line: lineOf(broken, 'action_proces_image_name'), message: 'the field action_proces_image_name is not an xdr_data field' })]);
  });

  it('names finding keys the query does not return', () => {
    const broken = wmic.replace('## References', '## Finding Keys\n\n- `agent_hostname`\n- `action_process_signature_status`\n\n## References');
    const { problems } = checkCard(broken, WMIC_FILE);
    expect(problems).toEqual([expect.objectContaining({ line: lineOf(broken, '## Finding Keys'), message: "the finding key action_process_signature_status is not among the query's fields" })]);
  });
});
