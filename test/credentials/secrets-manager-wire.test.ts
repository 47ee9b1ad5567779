import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SecretsManagerCredentials } from '../../lambda/credentials/index.js';

const secret = (apiKey: string) => JSON.stringify({ tenant: 'acme.xdr.us.paloaltonetworks.com', apiKeyId: '1', apiKey, keyType: 'standard' });

describe('SecretsManagerCredentials on the wire', () => {
  it('sends GetSecretValue with only the secret id, as AWS would receive it', async () => {
    const seen: { target: string | undefined; body: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        seen.push({ target: req.headers['x-amz-target'] as string | undefined, body });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:xsiam-AbCdEf', Name: 'xsiam', SecretString: secret('wire-key') }));
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const { port } = server.address() as AddressInfo;
      const client = new SecretsManagerClient({
        endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      });
      const provider = new SecretsManagerCredentials({ secretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:xsiam', client });
      expect((await provider.get()).apiKey).toBe('wire-key');
      expect(seen).toHaveLength(1);
      expect(seen[0]!.target).toBe('secretsmanager.GetSecretValue');
      expect(JSON.parse(seen[0]!.body)).toEqual({ SecretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:xsiam' });
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });
});
