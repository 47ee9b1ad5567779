import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretFetchError, SecretFormatError, SecretsManagerCredentials } from '../../lambda/credentials/index.js';

const secret = (apiKey: string) => JSON.stringify({ tenant: 'acme.xdr.us.paloaltonetworks.com', apiKeyId: '1', apiKey, keyType: 'standard' });
const sm = mockClient(SecretsManagerClient);

describe('SecretsManagerCredentials', () => {
  beforeEach(() => sm.reset());
  afterEach(() => sm.reset());

  it('reads the secret once while warm and re-reads it when forced (rotation)', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: secret('old-key') }).resolves({ SecretString: secret('new-key') });
    let now = 0;
    const provider = new SecretsManagerCredentials({ secretId: 'xsiam/api', client: new SecretsManagerClient({}), now: () => now });
    expect((await provider.get()).apiKey).toBe('old-key');
    now += 60_000;
    expect((await provider.get()).apiKey).toBe('old-key');
    expect((await provider.get({ forceRefresh: true })).apiKey).toBe('new-key');
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'xsiam/api' });
  });

  it('re-reads after the cache age', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: secret('k') });
    let now = 0;
    const provider = new SecretsManagerCredentials({ secretId: 's', client: new SecretsManagerClient({}), now: () => now, maxAgeMs: 1000 });
    await provider.get();
    now = 1000;
    await provider.get();
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('says which secret could not be read and why, keeping the SDK error as cause', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    const provider = new SecretsManagerCredentials({ secretId: 'xsiam/missing', client: new SecretsManagerClient({}) });
    const err = await provider.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretFetchError);
    expect((err as Error).message).toBe(
      'Could not read XSIAM secret xsiam/missing: ResourceNotFoundException (the secret does not exist, or has no value yet: put the JSON described in the README)',
    );
    expect((err as Error).cause).toBeInstanceOf(ResourceNotFoundException);
  });

  it('reports a malformed value by field and does not cache it', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: '{"tenant":"acme.example.com"}' }).resolves({ SecretString: secret('k') });
    const provider = new SecretsManagerCredentials({ secretId: 's', client: new SecretsManagerClient({}) });
    await expect(provider.get()).rejects.toBeInstanceOf(SecretFormatError);
    expect((await provider.get()).apiKey).toBe('k');
  });
});

