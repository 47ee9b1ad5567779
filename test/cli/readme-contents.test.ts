/** The README's table of contents: every link reaches a heading, and every section is listed. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { root } from './harness.js';

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): { level: number; title: string; anchor: string }[] {
  const seen = new Map<string, number>();
  const out: { level: number; title: string; anchor: string }[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^(#{2,3}) (.+)$/.exec(line);
    if (!m) continue;
    const base = m[2]!.toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({ level: m[1]!.length, title: m[2]!, anchor: n === 0 ? base : `${base}-${n}` });
  }
  return out;
}

describe('README contents', () => {
  const readme = readFileSync(`${root}/README.md`, 'utf8');
  const contents = /## Contents\n\n((?:\s*- \[.+\]\(#.+\)\n)+)/.exec(readme)?.[1] ?? '';
  const links = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);

  it('comes right after the introduction', () => {
    expect(readme.indexOf('## Contents')).toBeLessThan(readme.indexOf('\n## ', readme.indexOf('## Contents') + 1));
    expect(readme.split('\n## ')[1]?.startsWith('Contents')).toBe(true);
  });

  it('links only to headings that exist, and lists every section', () => {
    const headings = anchors(readme);
    for (const link of links) expect(headings.map((h) => h.anchor)).toContain(link);
    for (const h of headings.filter((x) => x.level === 2 && x.title !== 'Contents')) expect(links).toContain(h.anchor);
  });
});
