import { describe, expect, it } from 'vitest';
import { hasLookalike, hasNonAscii } from '../../lambda/detect/text.js';

// A look-alike is a character wmic folds into another (ArgFuscator's wmic model: small capitals,
// fullwidth and other compatibility forms); a letter that folds to itself is just a letter.
describe('hasLookalike: only characters that fold into other letters count', () => {
  it('finds a small capital and a fullwidth letter in a keyword', () => {
    expect(hasLookalike('\u1D18rocess')).toBe(true); // ᴘrocess
    expect(hasLookalike('\uFF4Eode')).toBe(true); // ｎode
  });

  it('does not count a non-ASCII letter that folds to itself (an accented name is not an evasion)', () => {
    expect(hasNonAscii('café')).toBe(true);
    expect(hasLookalike('café')).toBe(false);
    expect(hasLookalike('Ñode')).toBe(false);
  });

  it('does not count plain ASCII, whatever its case', () => {
    expect(hasLookalike('PROCESS')).toBe(false);
    expect(hasNonAscii('PROCESS')).toBe(false);
  });
});
