/** Turns the secret's `tenant` (an FQDN or a full URL) into the API base URL. */
import { XsiamConfigError } from './errors.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

/**
 * Base URL of the public API, without a trailing slash.
 *
 * `acme.xdr.us.paloaltonetworks.com` → `https://api-acme.xdr.us.paloaltonetworks.com`;
 * a full `https://…` URL is kept (trailing slashes and a trailing `/public_api/v1` dropped).
 * Plain `http://` is refused except on loopback, so a key never crosses a network in clear text.
 */
export function xsiamBaseUrl(tenant: string): string {
  const text = tenant.trim();
  if (text === '') throw new XsiamConfigError('XSIAM tenant is empty: expected an FQDN such as acme.xdr.us.paloaltonetworks.com or an https:// URL');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return fromUrl(text);
  const host = text.replace(/[/.]+$/, '').toLowerCase();
  if (!HOSTNAME.test(host) || !host.includes('.')) {
    throw new XsiamConfigError(`XSIAM tenant "${host.slice(0, 100)}" is not a valid FQDN or URL`);
  }
  return `https://${host.startsWith('api-') ? host : `api-${host}`}`;
}

function fromUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new XsiamConfigError(`XSIAM tenant URL "${text.slice(0, 100)}" does not parse`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new XsiamConfigError('XSIAM tenant URL must not carry credentials, a query or a fragment');
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new XsiamConfigError(`XSIAM tenant URL must use https:// (plain http:// is allowed on loopback only), got host ${url.hostname}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new XsiamConfigError(`XSIAM tenant URL must use https://, got ${url.protocol}`);
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/public_api\/v1(?:\/xql)?$/, '');
  return `${url.origin}${path}`;
}
