/**
 * The markdown of a hunt card cut into what the card parser reads: `## ` sections with the line
 * each starts on, list items, table rows, fenced blocks. Only the subset the seed's card uses.
 */

/** One `## ` section: its heading, the 1-based line of the heading, and its body lines. */
export interface CardSection {
  readonly heading: string;
  readonly line: number;
  readonly body: readonly string[];
}

/** A line of a section body with its 1-based line number in the card. */
export interface CardLine {
  readonly text: string;
  readonly line: number;
}

export function splitSections(text: string): { readonly title: CardLine | null; readonly sections: readonly CardSection[] } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let title: CardLine | null = null;
  const sections: { heading: string; line: number; body: string[] }[] = [];
  let fenced = false;
  lines.forEach((raw, index) => {
    if (/^\s*```/.test(raw)) fenced = !fenced;
    if (!fenced && title === null && /^# /.test(raw)) {
      title = { text: raw.slice(2).trim(), line: index + 1 };
      return;
    }
    if (!fenced && /^## /.test(raw)) {
      sections.push({ heading: raw.slice(3).trim(), line: index + 1, body: [] });
      return;
    }
    sections.at(-1)?.body.push(raw);
  });
  return { title, sections };
}

/** The section's body lines, numbered as in the card. */
export function bodyLines(section: CardSection): CardLine[] {
  return section.body.map((text, i) => ({ text, line: section.line + 1 + i }));
}

/** `- **Name:** value` items of a section, by lower-cased name. */
export function labelledItems(section: CardSection): Map<string, CardLine> {
  const items = new Map<string, CardLine>();
  for (const { text, line } of bodyLines(section)) {
    const m = /^\s*[-*]\s+\*\*(.+?):\*\*\s*(.*?)\s*$/.exec(text);
    if (m) items.set(m[1]!.trim().toLowerCase(), { text: m[2]!, line });
  }
  return items;
}

/** Bullet (`- x`) or numbered (`1. x`) items; a continuation line (indented) joins its item. */
export function listItems(section: CardSection): CardLine[] {
  const items: { text: string; line: number }[] = [];
  for (const { text, line } of bodyLines(section)) {
    const m = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(text);
    if (m) items.push({ text: m[1]!.trim(), line });
    else if (/^\s{2,}\S/.test(text) && items.length > 0) items.at(-1)!.text += ` ${text.trim()}`;
  }
  return items;
}

/** Paragraph lines of a section that are neither list items, tables, rules nor fences. */
export function prose(section: CardSection): string {
  return bodyLines(section)
    .map((l) => l.text.trim())
    .filter((t) => t !== '' && t !== '---' && !/^([-*]|\d+\.)\s/.test(t) && !t.startsWith('|') && !t.startsWith('```'))
    .join(' ');
}

/** Data rows of the first markdown table in a section (header and separator rows left out). */
export function tableRows(section: CardSection): { readonly cells: string[]; readonly line: number }[] {
  const rows = bodyLines(section).filter((l) => l.text.trim().startsWith('|'));
  return rows.slice(2).map((l) => ({ cells: l.text.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()), line: l.line }));
}

/** The first fenced block with this info string: its text (ending in a newline) and first line. */
export function fencedBlock(section: CardSection, info: string): CardLine | null {
  const lines = bodyLines(section);
  const start = lines.findIndex((l) => l.text.trim() === `\`\`\`${info}`);
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && l.text.trim() === '```');
  if (end < 0) return null;
  return { text: lines.slice(start + 1, end).map((l) => `${l.text}\n`).join(''), line: lines[start]!.line + 1 };
}

/** Markdown emphasis, code spans and links turned into plain text (`[a](u)` → `a`). */
export function plain(text: string): string {
  return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\*\*(.+?)\*\*/g, '$1').replace(/`([^`]*)`/g, '$1').trim();
}
