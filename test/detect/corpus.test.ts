import { describe, expect, it } from 'vitest';
import { formatScore, loadCorpus, score, tag } from './corpus.js';

const corpus = loadCorpus();
const main = corpus.filter((c) => tag(c, 'record') === 'wmic' && ['high', 'medium'].includes(tag(c, 'confidence') ?? ''));
const others = corpus.filter((c) => !main.includes(c));

describe('the labeled dev corpus (test/fixtures/corpus/wmic-corpus-dev.jsonl)', () => {
  it('holds wmic records of high or medium confidence to score', () => {
    expect(main.length).toBeGreaterThan(40);
  });

  it('meets the goals on wmic records of high or medium confidence', () => {
    const s = score('wmic, high/medium', main);
    console.log(formatScore(s));
    for (const m of s.misses) console.log('  miss', m);
    expect(s.labelOk / s.cases).toBeGreaterThanOrEqual(0.97);
    expect(s.targetsOk / s.targetsN).toBeGreaterThanOrEqual(0.95);
    expect(s.commandOk / s.commandN).toBeGreaterThanOrEqual(0.9);
  });

  it('scores and prints every other group (low confidence, renamed wmic, parent shells)', () => {
    const groups = new Map<string, typeof corpus>();
    for (const c of others) {
      const key = `${tag(c, 'record')}, ${tag(c, 'confidence')}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const scores = [...groups].map(([g, cases]) => score(g, cases));
    for (const s of scores) {
      console.log(formatScore(s));
      for (const m of s.misses) console.log('  miss', m);
    }
    const all = score('all records', corpus);
    console.log(formatScore(all));
    expect(scores.reduce((n, s) => n + s.cases, 0)).toBe(others.length);
    // the parser is built from wmic's rules, so the harder groups stay well above the seed's 82 %
    expect(all.labelOk / all.cases).toBeGreaterThanOrEqual(0.9);
  });
});
