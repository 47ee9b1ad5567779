/**
 * The hosts the API key may go to: XSIAM's documented `api-<tenant FQDN>` under
 * .paloaltonetworks.com (https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-Started-with-Cortex-XDR-APIs),
 * widened only by a validated `hunt:tenantHostPattern`, loopback only with XSIAM_ALLOW_LOOPBACK.
 */
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEY, ContextError, parseHuntContext } from '../../infra/context.js';
import { ConfigError, ENV, loadConfig } from '../../lambda/config.js';
import { checkTenantHost, DOCUMENTED_TENANT_HOST_PATTERN, tenantHostPatternProblem, XsiamConfigError, xsiamBaseUrl } from '../../lambda/xsiam/index.js';

const RESOURCES = { [ENV.tableName]: 'table', [ENV.topicArn]: 'arn:aws:sns:eu-west-1:123456789012:hunt', [ENV.secretId]: 'secret' };
const refusal = (tenant: string, policy = {}): string => {
  try {
    checkTenantHost(xsiamBaseUrl(tenant), policy);
  } catch (err) {
    expect(err).toBeInstanceOf(XsiamConfigError);
    return (err as Error).message;
  }
  return 'accepted';
};

describe('the documented tenant host', () => {
  it.each([
    'acme.xdr.us.paloaltonetworks.com',
    'api-acme.xdr.eu.paloaltonetworks.com',
    'https://api-acme.xdr.us.paloaltonetworks.com/',
    'https://api-acme.xdr.us.paloaltonetworks.com:443/public_api/v1',
    'https://API-Acme.XDR.us.paloaltonetworks.com',
  ])('accepts %s', (tenant) => {
    expect(refusal(tenant)).toBe('accepted');
  });

  it.each([
    ['a look-alike suffix', 'acme.xdr.us.paloaltonetworks.com.evil.example', /"api-acme\.xdr\.us\.paloaltonetworks\.com\.evil\.example" is not api-<tenant FQDN>/],
    ['a look-alike URL', 'https://api-acme.xdr.us.paloaltonetworks.com.evil.example', /is not api-<tenant FQDN>/],
    ['a domain that only ends in the name', 'https://api-acme.evilpaloaltonetworks.com', /is not api-<tenant FQDN>/],
    ['the name without api-', 'https://acme.xdr.us.paloaltonetworks.com', /is not api-<tenant FQDN>/],
    ['the instance-metadata IP', 'https://169.254.169.254', /"169\.254\.169\.254" is an IP address/],
    ['the instance-metadata IP as an FQDN', '169.254.169.254', /"api-169\.254\.169\.254" is not a valid host name/],
    ['an IPv6 address', 'https://[fd00:ec2::254]', /is an IP address/],
    ['plain-http loopback', 'http://127.0.0.1:8080', /"127\.0\.0\.1" is a loopback address/],
    ['https loopback', 'https://localhost', /is a loopback address/],
    ['another port', 'https://api-acme.xdr.us.paloaltonetworks.com:8443', /port 8443 is not the https port/],
  ])('refuses %s and says why', (_label, tenant, why) => {
    const message = refusal(tenant);
    expect(message).toMatch(/^XSIAM tenant host refused: /);
    expect(message).toMatch(why);
    expect(message).toContain('api-<tenant FQDN> with the FQDN ending in .paloaltonetworks.com');
  });

  it('accepts loopback, plain http and any port only when loopback is allowed', () => {
    expect(refusal('http://127.0.0.1:8080/', { allowLoopback: true })).toBe('accepted');
    expect(refusal('http://[::1]:9/', { allowLoopback: true })).toBe('accepted');
    expect(refusal('https://169.254.169.254', { allowLoopback: true })).toMatch(/is an IP address/);
    expect(refusal('http://api-acme.xdr.us.paloaltonetworks.com', { allowLoopback: true })).toMatch(/must use https/);
  });
});

describe('a widened host pattern', () => {
  const widened = '^api-[a-z0-9-]+\\.xsiam\\.example\\.com$';

  it('lets its hosts through and still refuses IPs and loopback', () => {
    expect(refusal('https://api-acme.xsiam.example.com', { tenantHostPattern: widened })).toBe('accepted');
    expect(refusal('https://api-acme.xdr.us.paloaltonetworks.com', { tenantHostPattern: widened })).toMatch(/does not match the configured tenant host pattern/);
    expect(refusal('https://169.254.169.254', { tenantHostPattern: '^.*$' })).toMatch(/is an IP address/);
  });

  it.each([
    ['unanchored', 'paloaltonetworks\\.com', /anchored with \^ and \$/],
    ['ending in an escaped $', '^api-x\\$', /anchored/],
    ['not a regular expression', '^api-(x$', /not a valid regular expression/],
    ['matching an IP', '^[0-9.]+$', /must not match an IP address or localhost \(it matches 169\.254\.169\.254\)/],
    ['matching anything', '^.*$', /must not match an IP address/],
    ['too long', `^${'a'.repeat(600)}$`, /at most 500 characters/],
  ])('is refused when %s', (_label, pattern, problem) => {
    expect(tenantHostPatternProblem(pattern)).toMatch(problem);
  });

  it('the documented pattern passes its own check', () => {
    expect(tenantHostPatternProblem(DOCUMENTED_TENANT_HOST_PATTERN)).toBeNull();
  });
});

describe('configuration', () => {
  it('defaults to the documented form without loopback', () => {
    expect(loadConfig(RESOURCES).tenantHosts).toEqual({ tenantHostPattern: DOCUMENTED_TENANT_HOST_PATTERN, allowLoopback: false });
  });

  it('reads XSIAM_ALLOW_LOOPBACK and a widened pattern', () => {
    const config = loadConfig({ ...RESOURCES, [ENV.allowLoopback]: 'true', [ENV.tenantHostPattern]: '^api-[a-z]+\\.example\\.com$' });
    expect(config.tenantHosts).toEqual({ tenantHostPattern: '^api-[a-z]+\\.example\\.com$', allowLoopback: true });
  });

  it('names a bad pattern or flag', () => {
    let err: unknown;
    try {
      loadConfig({ ...RESOURCES, [ENV.allowLoopback]: 'yes', [ENV.tenantHostPattern]: '.*' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.field)).toEqual([ENV.tenantHostPattern, ENV.allowLoopback]);
  });

  it('validates hunt:tenantHostPattern at synth and passes it to the function', () => {
    const ctx = parseHuntContext((k) => (k === CONTEXT_KEY.tenantHostPattern ? '^api-[a-z]+\\.example\\.com$' : undefined));
    expect(ctx.runEnvironment[ENV.tenantHostPattern]).toBe('^api-[a-z]+\\.example\\.com$');
    expect(parseHuntContext(() => undefined).runEnvironment[ENV.tenantHostPattern]).toBe(DOCUMENTED_TENANT_HOST_PATTERN);
    expect(() => parseHuntContext((k) => (k === CONTEXT_KEY.tenantHostPattern ? '^.*$' : undefined)))
      .toThrow(ContextError);
    expect(() => parseHuntContext((k) => (k === CONTEXT_KEY.tenantHostPattern ? '^.*$' : undefined)))
      .toThrow(/hunt:tenantHostPattern must not match an IP address/);
  });
});
