/**
 * A secret echoed very many times in one long line (issue 21, found beside the secret-forms
 * survivors): redaction must not throw, whatever the number of echoes. The hostile-line rule of
 * lambda/detect/README.md: 1 MB lines of every shape are analysed without throwing.
 */
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../lambda/detect/redact.js';

describe('a password repeated across a 1 MB line', () => {
  it('is hidden at every occurrence, without overflowing the stack', () => {
    // psexec's -p (learn.microsoft.com, "PsExec"), 125 000 times: 125 000 spans to cut
    const line = '-p abcd '.repeat(125_000);
    expect(redactSecrets(line)).toBe('-p *** '.repeat(125_000));
  });

  it('reads 1 MB of archiver words (7-Zip / RAR -p, -hp) once', () => {
    for (const unit of ['7z ', '7z a -p"', 'rar a -hp\\"', '7z a "-p']) {
      const line = unit.repeat(1_000_000 / unit.length);
      expect(typeof redactSecrets(line)).toBe('string');
    }
  });
});
