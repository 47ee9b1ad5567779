/**
 * Which hosts the API key may be sent to. The secret's `tenant` is written by whoever can write
 * the secret (or mistyped by them); pinning the host keeps the key from being diverted to a
 * look-alike host, an instance-metadata address or a listener on the function's own loopback.
 *
 * XSIAM's documented API host is `api-{fqdn}`: "Cortex XDR API URIs are made up of your unique
 * FQDN, the API name, and name of call. For example, `https://api-{fqdn}/public_api/v1/{name of
 * api}/{name of call}/`" (https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-Started-with-Cortex-XDR-APIs;
 * the XSIAM Platform API pages use the same host:
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM-Platform-APIs/Get-started-with-Cortex-XSIAM-3.x-APIs?contentId=zU3KqFPjH7JkdRJhrBzS0w),
 * and tenant FQDNs are Palo Alto Networks names such as `acme.xdr.us.paloaltonetworks.com`.
 */
import { isIP } from 'node:net';
import { XsiamConfigError } from './errors.js';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

/** The documented API host: `api-<tenant FQDN>`, the FQDN ending in `.paloaltonetworks.com`. */
export const DOCUMENTED_TENANT_HOST_PATTERN = `^api-${LABEL}(?:\\.${LABEL})*\\.paloaltonetworks\\.com$`;

/** Where the key may go. */
export interface TenantHostPolicy {
  /**
   * Anchored regular expression (`^…$`) the lower-case API host name must match, over https on
   * the default port. Check a custom one with {@link tenantHostPatternProblem} first.
   * @default DOCUMENTED_TENANT_HOST_PATTERN
   */
  readonly tenantHostPattern?: string;
  /**
   * Also accept loopback (127.0.0.0/8, localhost, [::1]), plain http and any port: the local
   * XSIAM of the tests and the local CLI. The deployed function never sets it.
   * @default false
   */
  readonly allowLoopback?: boolean;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
/** Hosts no pattern may let through: an IP address is never a tenant's API host. */
const NEVER = ['169.254.169.254', '127.0.0.1', '10.0.0.1', 'localhost', '0.0.0.0'];
const MAX_PATTERN = 500;

/**
 * What is wrong with a custom host pattern, or null when it is usable. Shared by the Lambda's
 * configuration and the synth-time check of `hunt:tenantHostPattern`.
 */
export function tenantHostPatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN) return `must be at most ${MAX_PATTERN} characters (got ${pattern.length})`;
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) {
    return `must be a regular expression anchored with ^ and $, matched against the whole API host name (got "${pattern.slice(0, 80)}")`;
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    return `is not a valid regular expression (got "${pattern.slice(0, 80)}")`;
  }
  const hit = NEVER.find((host) => re.test(host));
  if (hit !== undefined) return `must not match an IP address or localhost (it matches ${hit}) (got "${pattern.slice(0, 80)}")`;
  return null;
}

/**
 * Throws XsiamConfigError, saying why, unless `baseUrl` (from {@link xsiamBaseUrl}) may receive
 * the key under `policy`. Runs before any connection is opened. The message names the host (the
 * client redacts the key from every error it throws) and never the rest of the secret.
 */
export function checkTenantHost(baseUrl: string, policy: TenantHostPolicy = {}): void {
  const refuse = (why: string): never => {
    throw new XsiamConfigError(`XSIAM tenant host refused: ${why}. The API key is sent only to an https host of the documented form api-<tenant FQDN> with the FQDN ending in .paloaltonetworks.com (https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR-REST-API/Get-Started-with-Cortex-XDR-APIs)`, { call: 'client' });
  };
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // WHATWG URL refuses a host whose last label is a number (`api-169.254.169.254`).
    return refuse(`"${baseUrl.replace(/^[a-z]+:\/\//i, '').split('/')[0]?.slice(0, 100) ?? ''}" is not a valid host name`);
  }
  const host = url.hostname.toLowerCase();
  const shown = `"${host.slice(0, 100)}"`;
  if (LOOPBACK.test(host)) {
    if (policy.allowLoopback === true) return;
    refuse(`${shown} is a loopback address (allowed only for the local XSIAM of tests and the local CLI)`);
  }
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) refuse(`${shown} is an IP address, not a tenant's API host name`);
  if (url.protocol !== 'https:') refuse(`${url.protocol}// is not https`);
  if (url.port !== '' && url.port !== '443') refuse(`port ${url.port} is not the https port (443)`);
  const pattern = policy.tenantHostPattern ?? DOCUMENTED_TENANT_HOST_PATTERN;
  if (!new RegExp(pattern).test(host)) {
    refuse(pattern === DOCUMENTED_TENANT_HOST_PATTERN
      ? `${shown} is not api-<tenant FQDN> under .paloaltonetworks.com`
      : `${shown} does not match the configured tenant host pattern`);
  }
}
