/**
 * Hostile configuration: the Secrets Manager value (through the real SecretsManagerCredentials over
 * the SDK-faked client) and the Lambda's environment (loadConfig). Each bad input gives one clear
 * error naming what is wrong; no value is ever echoed, since a mistyped field may hold the key.
 */
import { randomUUID } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ENV, loadConfig } from '../../lambda/config.js';
import { CredentialsError, SecretFormatError, SecretsManagerCredentials } from '../../lambda/credentials/index.js';
import { smMock } from './scripted-secrets.js';

const CANARY = `CANARY${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`; // 70 chars: too long for an id
const TENANT = 'acme.xdr.us.paloaltonetworks.com';
const good = { tenant: TENANT, apiKeyId: '42', apiKey: CANARY, keyType: 'advanced' };
const secret = (patch: Record<string, unknown>) => {
  const doc: Record<string, unknown> = { ...good, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete doc[k];
  return JSON.stringify(doc);
};

beforeEach(() => smMock.reset());

async function readSecret(value: string | undefined): Promise<unknown> {
  smMock.on(GetSecretValueCommand).resolves(value === undefined ? { SecretBinary: new Uint8Array([1, 2, 3]) } : { SecretString: value });
  const credentials = new SecretsManagerCredentials({ secretId: 'xsiam/api', client: new SecretsManagerClient({ region: 'us-east-1' }) });
  return credentials.get().catch((e: unknown) => e);
}

describe('a malformed secret gives a SecretFormatError naming the field, never the value', () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['binary secret (no SecretString)', undefined, /no string value/],
    ['empty string', '', /no string value/],
    ['only whitespace', ' \n\t ', /no string value/],
    ['not JSON', `apiKey=${CANARY}`, /not valid JSON/],
    ['truncated JSON', `{"tenant":"${TENANT}","apiKey":"${CANARY}`, /not valid JSON/],
    ['JSON with a BOM', `\uFEFF${secret({})}`, /not valid JSON|apiKey|tenant/],
    ['a JSON array', JSON.stringify([good]), /must be a JSON object/],
    ['JSON null', 'null', /must be a JSON object/],
    ['a JSON string', JSON.stringify(CANARY), /must be a JSON object/],
    ['a JSON number', '42', /must be a JSON object/],
    ['an empty object', '{}', /tenant is missing.*apiKeyId is missing.*apiKey is missing/],
    ['tenant missing', secret({ tenant: undefined }), /tenant is missing/],
    ['apiKeyId missing', secret({ apiKeyId: undefined }), /apiKeyId is missing/],
    ['apiKey missing', secret({ apiKey: undefined }), /apiKey is missing/],
    ['apiKey empty', secret({ apiKey: '' }), /apiKey is missing/],
    ['apiKey null', secret({ apiKey: null }), /apiKey is missing/],
    ['apiKey a number', secret({ apiKey: 1234567890 }), /apiKey must be a string \(got number\)/],
    ['apiKey an object', secret({ apiKey: { value: CANARY } }), /apiKey must be a string \(got object\)/],
    ['apiKey an array', secret({ apiKey: [CANARY] }), /apiKey must be a string \(got an array\)/],
    ['apiKey with a newline', secret({ apiKey: `${CANARY}\nX-Injected: 1` }), /apiKey contains whitespace or control characters/],
    ['apiKey with a NUL', secret({ apiKey: `${CANARY}\u0000` }), /apiKey contains whitespace or control characters/],
    ['apiKey of 1 MB', secret({ apiKey: CANARY.repeat(15_000) }), /apiKey is too long \(\d+ characters, at most 4096\)/],
    ['apiKeyId negative', secret({ apiKeyId: -1 }), /apiKeyId must be a string or whole number \(got number\)/],
    ['apiKeyId fractional', secret({ apiKeyId: 4.2 }), /apiKeyId must be a string or whole number/],
    ['apiKeyId holding the key (too long)', secret({ apiKeyId: CANARY }), /apiKeyId is too long/],
    ['apiKeyId a boolean', secret({ apiKeyId: true }), /apiKeyId must be a string or whole number \(got boolean\)/],
    ['tenant of 1 MB', secret({ tenant: `${'a'.repeat(1_048_576)}.example.com` }), /tenant is too long/],
    ['tenant with a space', secret({ tenant: 'acme corp.example.com' }), /tenant contains whitespace/],
    ['tenant a javascript: URL', secret({ tenant: 'javascript:alert(1)' }), /tenant must be the tenant FQDN/],
    ['tenant an ftp:// URL', secret({ tenant: 'ftp://acme.example.com' }), /tenant must be the tenant FQDN/],
    ['tenant holding the key', secret({ tenant: CANARY }), /tenant must be the tenant FQDN/],
    ['tenant a number', secret({ tenant: 12 }), /tenant must be a string \(got number\)/],
    ['keyType upper case', secret({ keyType: 'ADVANCED' }), /keyType must be one of standard, advanced/],
    ['keyType a number', secret({ keyType: 2 }), /keyType must be one of standard, advanced/],
    ['keyType holding the key', secret({ keyType: CANARY }), /keyType must be one of standard, advanced/],
    ['every field wrong at once', JSON.stringify({ tenant: [], apiKeyId: {}, apiKey: 5, keyType: 7 }), /tenant must be a string.*apiKeyId must be.*apiKey must be a string.*keyType must be one of/],
    ['__proto__ trying to supply the key', `{"__proto__":{"apiKey":"${CANARY}"},"tenant":"${TENANT}","apiKeyId":"42"}`, /apiKey is missing/],
    ['nested 100,000 deep', `{"tenant":${'['.repeat(100_000)}${']'.repeat(100_000)},"apiKeyId":"42","apiKey":"${CANARY}"}`, /tenant must be a string \(got an array\)/],
  ];
  for (const [name, value, expected] of cases) {
    it(name, async () => {
      const err = await readSecret(value);
      expect(err).toBeInstanceOf(SecretFormatError);
      expect(err).toBeInstanceOf(CredentialsError);
      const message = (err as Error).message;
      expect(message).toMatch(expected);
      expect(message).toMatch(/^XSIAM secret is malformed: /);
      expect(message).not.toContain(CANARY);
      expect(message.length).toBeLessThan(600);
      expect(({} as Record<string, unknown>).apiKey).toBeUndefined();
    });
  }

  it('a good secret reads (the cases above fail for their own reason)', async () => {
    expect(await readSecret(secret({}))).toEqual({ tenant: TENANT, apiKeyId: '42', apiKey: CANARY, keyType: 'advanced' });
  });
});

describe('a bad environment gives one ConfigError naming every bad variable', () => {
  const base = { [ENV.tableName]: 'hunt-table', [ENV.topicArn]: 'arn:aws:sns:us-east-1:111122223333:hunt', [ENV.secretId]: 'xsiam/api' };
  const cases: [string, Record<string, string>, RegExp][] = [
    ['nothing set', {}, new RegExp(`${ENV.tableName} is required; ${ENV.topicArn} is required; ${ENV.secretId} is required`)],
    ['required variables only whitespace', { [ENV.tableName]: '  ', [ENV.secretId]: '\t' }, new RegExp(`${ENV.tableName} is required.*${ENV.secretId} is required`)],
    ['topic not an ARN', { [ENV.topicArn]: 'my-topic' }, new RegExp(`${ENV.topicArn} must be an SNS topic ARN`)],
    ['storm limit not a number', { [ENV.stormLimit]: 'lots' }, new RegExp(`${ENV.stormLimit} must be a whole number from 1 to 1000 \\(got "lots"\\)`)],
    ['storm limit negative', { [ENV.stormLimit]: '-1' }, new RegExp(`${ENV.stormLimit} must be a whole number`)],
    ['storm limit in exponent form', { [ENV.stormLimit]: '1e3' }, new RegExp(`${ENV.stormLimit} must be a whole number`)],
    ['storm limit fractional', { [ENV.stormLimit]: '10.5' }, new RegExp(`${ENV.stormLimit} must be a whole number`)],
    ['storm limit past 1000', { [ENV.stormLimit]: '1001' }, new RegExp(`${ENV.stormLimit} must be a whole number from 1 to 1000`)],
    ['storm limit beyond 2^53', { [ENV.stormLimit]: '99999999999999999999999' }, new RegExp(`${ENV.stormLimit} must be a whole number`)],
    ['window zero', { [ENV.maxWindowMinutes]: '0' }, new RegExp(`${ENV.maxWindowMinutes} must be a whole number from 1`)],
    ['lookback in hex', { [ENV.initialLookbackMinutes]: '0x10' }, new RegExp(`${ENV.initialLookbackMinutes} must be a whole number`)],
    ['severity unknown', { [ENV.minSeverity]: 'urgent' }, new RegExp(`${ENV.minSeverity} must be one of low, medium, high, critical \\(got "urgent"\\)`)],
    ['severity upper case', { [ENV.minSeverity]: 'HIGH' }, new RegExp(`${ENV.minSeverity} must be one of`)],
    ['query variant a path', { [ENV.queryVariant]: '../../etc/passwd' }, new RegExp(`${ENV.queryVariant} must be one of seed, broadened`)],
    ['a 1 MB value (quoted at most 40 characters)', { [ENV.overlapMinutes]: '9'.repeat(1_048_576) }, new RegExp(`${ENV.overlapMinutes} must be a whole number .*\\(got "9{40}"\\)$`)],
    ['every numeric variable bad at once', {
      [ENV.initialLookbackMinutes]: 'x', [ENV.overlapMinutes]: 'x', [ENV.ingestLagMinutes]: 'x', [ENV.maxLookbackHours]: 'x',
      [ENV.maxWindowMinutes]: 'x', [ENV.dedupeWindowHours]: 'x', [ENV.stormLimit]: 'x',
    }, new RegExp([ENV.maxLookbackHours, ENV.initialLookbackMinutes, ENV.overlapMinutes, ENV.ingestLagMinutes, ENV.maxWindowMinutes, ENV.dedupeWindowHours, ENV.stormLimit].join('.*'))],
  ];
  for (const [name, patch, expected] of cases) {
    it(name, () => {
      const env = Object.keys(patch).length === 0 ? {} : { ...base, ...patch };
      let err: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(/^Invalid configuration: /);
      expect((err as ConfigError).message).toMatch(expected);
      expect((err as ConfigError).message.length).toBeLessThan(2_000);
      expect((err as ConfigError).problems.length).toBeGreaterThan(0);
    });
  }

  it('surrounding spaces are forgiven, not an error', () => {
    expect(loadConfig({ ...base, [ENV.stormLimit]: ' 30 ', [ENV.minSeverity]: ' critical ' }).settings).toMatchObject({ stormLimit: 30, minSeverity: 'critical' });
  });
});
