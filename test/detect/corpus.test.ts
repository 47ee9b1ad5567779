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
    // Ratcheted to what the detector achieves (every label, target list and command right), so a
    // single regression fails here; a new corpus case it cannot meet yet must be argued for in review.
    expect(s.misses).toEqual([]);
    expect(s).toMatchObject({ labelOk: s.cases, targetsOk: s.targetsN, commandOk: s.commandN });
    expect(s.targetsN).toBeGreaterThan(25);
    expect(s.commandN).toBeGreaterThan(25);
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
    // the harder groups are met in full too (the seed query managed 82 % of labels): ratcheted
    expect(scores.flatMap((s) => s.misses)).toEqual([]);
    expect(all).toMatchObject({ labelOk: all.cases, targetsOk: all.targetsN, commandOk: all.commandN });
  });
});
