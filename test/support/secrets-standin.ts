/**
 * A loopback Secrets Manager for a bundled handler in a child process (where aws-sdk-client-mock
 * cannot reach): GetSecretValue over the JSON 1.1 protocol, and nothing else.
 * - Request: POST with `X-Amz-Target: secretsmanager.GetSecretValue`, body `{ "SecretId": ... }`;
 *   reply `{ ARN, Name, SecretString, VersionId, VersionStages, CreatedDate }`:
 *   https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 * - An unknown secret is a 400 `ResourceNotFoundException` ("Secrets Manager can't find the
 *   resource that you asked for"), same page, Errors.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsStandin {
  readonly endpoint: string;
  readonly calls: string[];
  close(): Promise<void>;
}

export async function startSecretsStandin(secrets: Readonly<Record<string, string>>): Promise<SecretsStandin> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      const reply = (status: number, doc: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(doc));
      };
      const target = req.headers['x-amz-target'];
      if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
        reply(400, { __type: 'InvalidRequestException', message: `unsupported operation ${String(target)}` });
        return;
      }
      const id = (JSON.parse(body || '{}') as { SecretId?: string }).SecretId ?? '';
      calls.push(id);
      const value = secrets[id];
      if (value === undefined) {
        reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
        return;
      }
      reply(200, {
        ARN: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${id}-AbCdEf`, Name: id, SecretString: value,
        VersionId: '00000000-0000-4000-8000-000000000001', VersionStages: ['AWSCURRENT'], CreatedDate: Date.now() / 1000,
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
