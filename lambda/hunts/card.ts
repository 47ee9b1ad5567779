/**
 * A hunt card (`hunts/<ID>.md`, the seed's format) read into the fields the product runs on.
 * Every problem is collected and reported at once, each with the card's line and the fix.
 */
import { SEVERITIES, type Severity } from '../finding.js';
import {
  fencedBlock, labelledItems, listItems, plain, prose, splitSections, tableRows, type CardLine, type CardSection,
} from './card-text.js';
import { CardError, type CardProblem } from './errors.js';
import type { AttackMapping, HuntDefinition } from './types.js';

/** A card as written: what the product reads from it, and where each part starts (for messages). */
export interface HuntCard extends Omit<HuntDefinition, 'queries' | 'keyFields' | 'file'> {
  /** Where the card was read from (e.g. `hunts/HuntQuery-Windows-WMIC-RemoteExec.md`). */
  readonly file: string;
  /** The ```xql block, byte for byte (trailing spaces kept). */
  readonly xql: string;
  /** Line of the card the XQL's first line is on. */
  readonly xqlLine: number;
  readonly falsePositives: readonly string[];
  readonly responseActions: readonly string[];
  /** Reference URLs. */
  readonly references: readonly string[];
  /**
   * Fields that key a finding (`## Finding Keys`); null: the default (host and command line when
   * the query returns them, else event_id).
   */
  readonly keyFields: readonly string[] | null;
  readonly keyFieldsLine: number | null;
}

/** The sections a card must have, as the seed's card names them. */
export const REQUIRED_SECTIONS = [
  'Severity or Impact of the Detected Behavior', 'Hunt Analytics Metadata', 'ATT&CK Mapping', 'Hunt Query Syntax',
  'False Positives', 'Recommended Response Actions', 'References',
] as const;
const KEYS_SECTION = 'Finding Keys';
const FP_RATES = ['low', 'medium', 'high'] as const;
/** Ids become parts of table keys and file names: keep them plain. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,99}$/;
const FIELD_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** Parses a card; throws a CardError listing every problem (line and fix each). */
export function parseCard(text: string, file: string): HuntCard {
  const problems: CardProblem[] = [];
  const problem = (line: number, message: string, fix: string): void => { problems.push({ file, line, message, fix }); };
  const { title, sections } = splitSections(text);
  const section = (name: string): CardSection | undefined => sections.find((s) => s.heading.toLowerCase() === name.toLowerCase());
  if (title === null) problem(1, 'the card has no "# " title line', 'start the card with "# <what it detects>"');
  for (const name of REQUIRED_SECTIONS) {
    if (!section(name)) problem(sections.at(-1)?.line ?? 1, `the section "## ${name}" is missing`, `add a "## ${name}" section as in hunts/HuntQuery-Windows-WMIC-RemoteExec.md`);
  }

  const impact = section(REQUIRED_SECTIONS[0]);
  const meta = section(REQUIRED_SECTIONS[1]);
  const impactItems = impact ? labelledItems(impact) : new Map<string, CardLine>();
  const metaItems = meta ? labelledItems(meta) : new Map<string, CardLine>();
  const need = (items: Map<string, CardLine>, s: CardSection | undefined, label: string): CardLine | null => {
    const item = items.get(label.toLowerCase());
    if (!item && s) problem(s.line, `"**${label}:**" is missing`, `add "- **${label}:** <value>" under "## ${s.heading}"`);
    return item ?? null;
  };

  const idItem = need(metaItems, meta, 'ID');
  const id = idItem?.text.trim() ?? '';
  if (idItem && !ID_PATTERN.test(id)) problem(idItem.line, `the ID "${id.slice(0, 100)}" is not a plain id`, 'use letters, digits, ".", "_" and "-" (3 to 100), e.g. HuntQuery-Windows-WMIC-RemoteExec');
  const scoreItem = need(impactItems, impact, 'Risk Score');
  const riskScore = Number(scoreItem?.text);
  if (scoreItem && !(Number.isInteger(riskScore) && riskScore >= 0 && riskScore <= 100)) problem(scoreItem.line, `the risk score "${scoreItem.text}" is not a whole number from 0 to 100`, 'write e.g. "- **Risk Score:** 85"');
  const sevItem = need(impactItems, impact, 'Severity');
  const severity = sevItem?.text.trim().toLowerCase() as Severity;
  if (sevItem && !SEVERITIES.includes(severity)) problem(sevItem.line, `the severity "${sevItem.text}" is unknown`, `use one of ${SEVERITIES.join(', ')}`);
  const fpItem = metaItems.get('false positive rate');
  const fpRate = (fpItem?.text.trim().toLowerCase() ?? 'medium') as HuntCard['falsePositiveRate'];
  if (fpItem && !FP_RATES.includes(fpRate)) problem(fpItem.line, `the false positive rate "${fpItem.text}" is unknown`, `use one of ${FP_RATES.join(', ')}`);

  const attackSection = section('ATT&CK Mapping');
  const attack = attackSection ? attackRows(attackSection, problem) : [];
  const querySection = section('Hunt Query Syntax');
  const xql = querySection ? fencedBlock(querySection, 'xql') : null;
  if (querySection && !xql) problem(querySection.line, 'no ```xql block', 'put the query in a fenced block that opens with ```xql and closes with ```');

  const list = (name: string, fix: string): string[] => {
    const s = section(name);
    if (!s) return [];
    const items = listItems(s).map((i) => plain(i.text)).filter((t) => t !== '');
    if (items.length === 0) problem(s.line, `"## ${name}" lists nothing`, fix);
    return items;
  };
  const fpSection = section('False Positives');
  const falsePositives = list('False Positives', 'list each case as "- <when it happens>"');
  const fpNote = fpSection ? plain(prose(fpSection).replace(/^False positives can occur when:\s*/i, '')) : '';
  const responseActions = list('Recommended Response Actions', 'number each action: "1. **Isolate:** ..."');
  const refSection = section('References');
  const references = refSection ? listItems(refSection).map((i) => /\((https?:\/\/[^)\s]+)\)/.exec(i.text)?.[1] ?? /https?:\/\/\S+/.exec(i.text)?.[0] ?? '') : [];
  if (refSection && references.some((r) => r === '')) problem(refSection.line, 'a reference has no URL', 'write each reference as "- [name](https://...)"');
  if (refSection && references.length === 0) problem(refSection.line, '"## References" lists nothing', 'name the public sources the hunt draws on');

  const keysSection = section(KEYS_SECTION);
  const keyFields = keysSection ? listItems(keysSection).map((i) => plain(i.text).split(/\s/)[0] ?? '') : null;
  if (keysSection && (keyFields?.length ?? 0) === 0) problem(keysSection.line, `"## ${KEYS_SECTION}" names no field`, 'list the xdr_data fields that make a finding, one per line: "- `agent_hostname`"');
  for (const f of keyFields ?? []) {
    if (!FIELD_PATTERN.test(f)) problem(keysSection!.line, `"${f.slice(0, 60)}" in "## ${KEYS_SECTION}" is not a field name`, 'name xdr_data fields in lower case, e.g. `agent_hostname`');
  }

  const versions = section('Version History');
  const version = versions ? tableRows(versions).at(-1)?.cells[0] : undefined;
  if (problems.length > 0) throw new CardError(problems);
  const xqlTitle = /^\/\/\s*Title:\s*(.+)$/m.exec(xql!.text)?.[1]?.trim();
  const analytics = section('Hunt Analytics');
  return {
    file, id, title: xqlTitle ?? plain(title!.text), version: version || '1.0',
    description: analytics ? plain(prose(analytics)) : '',
    riskScore, severity, falsePositiveRate: fpRate, attack, xql: xql!.text, xqlLine: xql!.line,
    falsePositives: fpNote === '' ? falsePositives : [...falsePositives, fpNote],
    responseActions, references, keyFields, keyFieldsLine: keysSection?.line ?? null,
  };
}

function attackRows(s: CardSection, problem: (line: number, message: string, fix: string) => void): AttackMapping[] {
  const rows = tableRows(s);
  if (rows.length === 0) problem(s.line, 'the ATT&CK table has no rows', 'add "| TA0002 - Execution | T1047 | — | Windows Management Instrumentation |"');
  return rows.flatMap(({ cells, line }) => {
    const tactic = /^(TA\d{4})\s*-\s*(.+)$/.exec(cells[0] ?? '');
    const technique = /^T\d{4}$/.exec(cells[1] ?? '');
    if (!tactic || !technique) {
      problem(line, 'an ATT&CK row is not "| TAxxxx - Tactic | Txxxx | sub | name |"', 'write the tactic as "TA0002 - Execution" and the technique as "T1047"');
      return [];
    }
    const sub = /^\.?\d{3}$/.test(cells[2] ?? '') ? `.${(cells[2] ?? '').replace('.', '')}` : '';
    return [{ tacticId: tactic[1]!, tactic: tactic[2]!.trim(), techniqueId: `${technique[0]}${sub}`, technique: cells[3] ?? '' }];
  });
}
