/**
 * A loopback Secrets Manager answering GetSecretValue over its JSON 1.1 protocol (POST, header
 * `X-Amz-Target: secretsmanager.GetSecretValue`, reply `{ ARN, Name, SecretString, ... }`:
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html). An
 * unknown SecretId is ResourceNotFoundException (HTTP 400), as the API reference lists it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsStandin {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startSecretsStandin(secrets: Record<string, string>): Promise<SecretsStandin> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      const reply = (status: number, doc: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(doc));
      };
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') return reply(400, { __type: 'InvalidRequestException', message: 'unsupported action' });
      const id = (JSON.parse(body || '{}') as { SecretId?: string }).SecretId ?? '';
      const value = secrets[id];
      if (value === undefined) return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      return reply(200, { ARN: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${id}-AbCdEf`, Name: id, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1.7e9 });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}
