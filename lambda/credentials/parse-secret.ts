import type { XsiamCredentials } from '../xsiam/index.js';
import { SecretFormatError, type SecretField, type SecretProblem } from './errors.js';

const KEY_TYPES = ['standard', 'advanced'] as const;
/** Generous bounds: real keys are ~128 characters, ids small integers, FQDNs < 255. */
const MAX = { tenant: 2048, apiKeyId: 64, apiKey: 4096 } as const;

/** The secret's JSON shape, as ops store it (README shows it). */
export const SECRET_TEMPLATE = {
  tenant: 'acme.xdr.us.paloaltonetworks.com',
  apiKeyId: '42',
  apiKey: '<api key from XSIAM Settings → API Keys>',
  keyType: 'advanced',
} as const;

/**
 * Validates the secret's value and returns credentials. Every problem is named by field; no value
 * (not even a wrong one) is echoed, since a mistyped field may hold the key itself.
 */
export function parseSecret(secretString: string | undefined): XsiamCredentials {
  if (secretString === undefined || secretString.trim() === '') {
    throw new SecretFormatError([{ field: null, problem: 'the secret has no string value (expected JSON with tenant, apiKeyId, apiKey, keyType)' }], true);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(secretString);
  } catch {
    throw new SecretFormatError([{ field: null, problem: 'the secret value is not valid JSON (expected an object with tenant, apiKeyId, apiKey, keyType)' }]);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new SecretFormatError([{ field: null, problem: 'the secret value must be a JSON object with tenant, apiKeyId, apiKey, keyType' }]);
  }
  const record = doc as Record<string, unknown>;
  const problems: SecretProblem[] = [];
  const bad = (field: SecretField, problem: string): void => {
    problems.push({ field, problem });
  };

  const text = (field: keyof typeof MAX, allowNumber = false): string => {
    const value = record[field];
    if (value === undefined || value === null || value === '') {
      bad(field, 'is missing');
      return '';
    }
    if (allowNumber && typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
    if (typeof value !== 'string') {
      bad(field, `must be a ${allowNumber ? 'string or whole number' : 'string'} (got ${describeType(value)})`);
      return '';
    }
    const trimmed = value.trim();
    if (trimmed.length > MAX[field]) {
      bad(field, `is too long (${trimmed.length} characters, at most ${MAX[field]})`);
      return '';
    }
    if (/[\s\u0000-\u001f\u007f]/.test(trimmed)) {
      bad(field, 'contains whitespace or control characters');
      return '';
    }
    return trimmed;
  };

  const tenant = text('tenant');
  const apiKeyId = text('apiKeyId', true);
  const apiKey = text('apiKey');
  if (tenant && !isTenant(tenant)) {
    bad('tenant', 'must be the tenant FQDN (e.g. acme.xdr.us.paloaltonetworks.com) or an https:// API URL');
  }
  const keyType = record.keyType ?? 'standard';
  if (typeof keyType !== 'string' || !(KEY_TYPES as readonly string[]).includes(keyType)) {
    bad('keyType', `must be one of ${KEY_TYPES.join(', ')}`);
  }
  if (problems.length > 0) throw new SecretFormatError(problems);
  return { tenant, apiKeyId, apiKey, keyType: keyType as XsiamCredentials['keyType'] };
}

function isTenant(value: string): boolean {
  if (/^https?:\/\//i.test(value)) {
    try {
      return new URL(value).hostname.length > 0;
    } catch {
      return false;
    }
  }
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\.?$/i.test(value);
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}
