import { describe, expect, it } from 'vitest';
import { authHeaders, signAdvanced, XsiamConfigError, xsiamBaseUrl } from '../../lambda/xsiam/index.js';

describe('signAdvanced', () => {
  it('matches the reference test vectors', () => {
    expect(signAdvanced('test_api_key', 'A'.repeat(64), 1700000000000)).toBe('7f6e06f901159bb5f2592d49ea2d83c70b639a1cf8564286029dcaaabb4669c8');
    expect(signAdvanced('my-secret-key', '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01', '1599080399000')).toBe(
      'fb887ec6172f9ce723577266fea9e3969dc0fb3225db269ecfca2d9a95069de5',
    );
  });
});

describe('authHeaders', () => {
  const creds = { tenant: 'acme.xdr.us.paloaltonetworks.com', apiKeyId: '7', apiKey: 'k' };

  it('sends the raw key for a standard key', () => {
    expect(authHeaders({ ...creds, keyType: 'standard' }, 1)).toEqual({ authorization: 'k', 'x-xdr-auth-id': '7' });
  });

  it('signs an advanced key with a fresh 64-character nonce and the ms timestamp each call', () => {
    const a = authHeaders({ ...creds, keyType: 'advanced' }, 1700000000123);
    const b = authHeaders({ ...creds, keyType: 'advanced' }, 1700000000123);
    expect(a['x-xdr-nonce']).toMatch(/^[0-9a-f]{64}$/);
    expect(a['x-xdr-nonce']).not.toBe(b['x-xdr-nonce']);
    expect(a['x-xdr-timestamp']).toBe('1700000000123');
    expect(a['x-xdr-auth-id']).toBe('7');
    expect(a.authorization).toBe(signAdvanced('k', a['x-xdr-nonce'] ?? '', '1700000000123'));
  });
});

describe('xsiamBaseUrl', () => {
  it.each([
    ['acme.xdr.us.paloaltonetworks.com', 'https://api-acme.xdr.us.paloaltonetworks.com'],
    ['  ACME.xdr.eu.paloaltonetworks.com/ ', 'https://api-acme.xdr.eu.paloaltonetworks.com'],
    ['api-acme.xdr.us.paloaltonetworks.com', 'https://api-acme.xdr.us.paloaltonetworks.com'],
    ['https://api-acme.xdr.us.paloaltonetworks.com', 'https://api-acme.xdr.us.paloaltonetworks.com'],
    ['https://api-acme.xdr.us.paloaltonetworks.com///', 'https://api-acme.xdr.us.paloaltonetworks.com'],
    ['https://api-acme.xdr.us.paloaltonetworks.com/public_api/v1/', 'https://api-acme.xdr.us.paloaltonetworks.com'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['http://localhost:9/prefix/', 'http://localhost:9/prefix'],
  ])('turns %j into %s', (tenant, url) => {
    expect(xsiamBaseUrl(tenant)).toBe(url);
  });

  it.each([
    ['', /empty/],
    ['not a host', /not a valid FQDN/],
    ['localhost', /not a valid FQDN/],
    ['http://api-acme.xdr.us.paloaltonetworks.com', /https:\/\/.*loopback/],
    ['https://user:pw@api-acme.example.com', /credentials/],
    ['ftp://api-acme.example.com', /must use https/],
  ])('refuses %j with a clear error', (tenant, message) => {
    expect(() => xsiamBaseUrl(tenant)).toThrow(XsiamConfigError);
    expect(() => xsiamBaseUrl(tenant)).toThrow(message);
  });
});
