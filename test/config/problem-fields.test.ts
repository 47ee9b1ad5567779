/**
 * Configuration problems carry the variable they are about (`field`) apart from what is wrong,
 * and every caller that took the value from somewhere else names that source: the CDK context
 * key for a run setting, the XSIAM_* variable for a field of the CLI's tenant credentials.
 */
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEY, ContextError, parseHuntContext, type RunSettingKey } from '../../infra/context.js';
import { CLI_ENV, ConfigError, DEFAULTS, ENV, loadCliTenant, loadConfig } from '../../lambda/config.js';
import { parseSecret, SecretFormatError } from '../../lambda/credentials/index.js';

const RESOURCES = { [ENV.tableName]: 'table', [ENV.topicArn]: 'arn:aws:sns:eu-west-1:123456789012:hunt', [ENV.secretId]: 'secret' };

function thrown<E extends Error>(type: new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name}`);
}

describe('ConfigError', () => {
  it('gives each bad variable as a field and what is wrong with it, and the same sentence in the message', () => {
    const err = thrown(ConfigError, () => loadConfig({ ...RESOURCES, [ENV.stormLimit]: '0', [ENV.minSeverity]: 'urgent', [ENV.topicArn]: 'hunt' }));
    expect(err.issues).toEqual([
      { field: ENV.topicArn, problem: 'must be an SNS topic ARN' },
      { field: ENV.minSeverity, problem: 'must be one of low, medium, high, critical (got "urgent")' },
      { field: ENV.stormLimit, problem: 'must be a whole number from 1 to 1000 (got "0")' },
    ]);
    expect(err.problems).toContain('HUNT_STORM_LIMIT must be a whole number from 1 to 1000 (got "0")');
    expect(err.message).toContain('HUNT_MIN_SEVERITY must be one of low, medium, high, critical (got "urgent")');
  });
});

describe('a bad run setting in CDK context', () => {
  const settings = Object.keys(DEFAULTS) as RunSettingKey[];

  it.each(settings)('names the context key hunt:%s, not the Lambda variable it becomes', (key) => {
    const err = thrown(ContextError, () => parseHuntContext((k) => (k === CONTEXT_KEY[key] ? 'bogus' : undefined)));
    expect(err.problems).toEqual([expect.stringMatching(new RegExp(`^hunt:${key} must be (a whole number|a number|one of) .*\\(got "bogus"\\)$`))]);
    expect(err.message).not.toContain(ENV[key]);
  });
});

describe('the CLI tenant from XSIAM_* variables', () => {
  const good = { [CLI_ENV.tenant]: 'acme.xdr.us.paloaltonetworks.com', [CLI_ENV.apiKeyId]: '42', [CLI_ENV.apiKey]: 'K'.repeat(40), [CLI_ENV.keyType]: 'advanced' };

  it.each([
    [CLI_ENV.tenant, 'acme', 'must be the tenant FQDN'],
    [CLI_ENV.apiKeyId, '', 'is missing'],
    [CLI_ENV.apiKey, 'two words', 'contains whitespace or control characters'],
    [CLI_ENV.keyType, 'root', 'must be one of standard, advanced'],
  ])('a bad %s is named by that variable, not by the secret field it fills', (variable, value, problem) => {
    const err = thrown(ConfigError, () => loadCliTenant({ ...good, [variable]: value }));
    expect(err.issues).toEqual([{ field: variable, problem: expect.stringContaining(problem) }]);
    expect(err.problems[0]).toMatch(new RegExp(`^${variable} ${problem}`));
    expect(err.message).toBe(`Invalid configuration: ${err.problems[0]}`);
  });
});

describe('SecretFormatError', () => {
  it('gives the field of each problem apart, and null for a problem with the whole value', () => {
    const fields = thrown(SecretFormatError, () => parseSecret('{"keyType":"root"}'));
    expect(fields.issues.map((i) => i.field)).toEqual(['tenant', 'apiKeyId', 'apiKey', 'keyType']);
    expect(fields.problems).toEqual(['tenant is missing', 'apiKeyId is missing', 'apiKey is missing', 'keyType must be one of standard, advanced']);
    const whole = thrown(SecretFormatError, () => parseSecret('[]'));
    expect(whole.issues).toEqual([{ field: null, problem: 'the secret value must be a JSON object with tenant, apiKeyId, apiKey, keyType' }]);
  });
});
