import { describe, expect, it } from 'vitest';
import { parseSecret, SecretFormatError } from '../../lambda/credentials/index.js';

const CANARY = 'CANARY-KEY-7f3e9a';
const valid = { tenant: 'acme.xdr.us.paloaltonetworks.com', apiKeyId: '42', apiKey: CANARY, keyType: 'advanced' };

function problemsOf(value: string | undefined): string[] {
  try {
    parseSecret(value);
  } catch (err) {
    expect(err).toBeInstanceOf(SecretFormatError);
    expect((err as Error).message).not.toContain(CANARY);
    return [...(err as SecretFormatError).problems];
  }
  throw new Error('expected a SecretFormatError');
}

describe('parseSecret', () => {
  it('accepts a tenant FQDN with an advanced key', () => {
    expect(parseSecret(JSON.stringify(valid))).toEqual(valid);
  });

  it('accepts an API URL, a numeric key id, and defaults the key type to standard', () => {
    const creds = parseSecret(JSON.stringify({ tenant: 'https://api-acme.xdr.eu.paloaltonetworks.com/', apiKeyId: 7, apiKey: CANARY }));
    expect(creds).toMatchObject({ tenant: 'https://api-acme.xdr.eu.paloaltonetworks.com/', apiKeyId: '7', keyType: 'standard' });
  });

  it.each([
    ['an empty value', '', /no string value/],
    ['not JSON', `{"apiKey": "${CANARY}"`, /not valid JSON/],
    ['a JSON array', JSON.stringify([CANARY]), /must be a JSON object/],
  ])('rejects %s without echoing it', (_label, value, message) => {
    expect(problemsOf(value).join()).toMatch(message);
  });

  it('names every missing field at once', () => {
    expect(problemsOf('{}')).toEqual(['tenant is missing', 'apiKeyId is missing', 'apiKey is missing']);
  });

  it('names malformed fields and never their values', () => {
    const problems = problemsOf(JSON.stringify({ tenant: `not a host ${CANARY}`, apiKeyId: { id: CANARY }, apiKey: 12, keyType: CANARY }));
    expect(problems).toEqual([
      'tenant contains whitespace or control characters',
      'apiKeyId must be a string or whole number (got object)',
      'apiKey must be a string (got number)',
      'keyType must be one of standard, advanced',
    ]);
  });

  it('rejects huge values by size', () => {
    expect(problemsOf(JSON.stringify({ ...valid, apiKey: CANARY.repeat(1000) }))).toEqual([
      expect.stringMatching(/^apiKey is too long \(\d+ characters, at most 4096\)$/),
    ]);
  });

  it('rejects a tenant that is neither an FQDN nor a URL', () => {
    expect(problemsOf(JSON.stringify({ ...valid, tenant: 'localhost' }))).toEqual([expect.stringMatching(/^tenant must be/)]);
  });
});
