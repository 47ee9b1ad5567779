/**
 * A loopback Secrets Manager for the built handler (whose bundled SDK no client mock reaches):
 * it answers GetSecretValue over the AWS JSON 1.1 protocol for the one secret it holds.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsStandin {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  readonly endpoint: string;
  /** SecretId of every GetSecretValue received. */
  readonly requests: string[];
  close(): Promise<void>;
}

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
};

/** Holds `secretString` under `secretId` (its name or ARN, as the handler is configured). */
export async function startSecretsStandin(secretId: string, secretString: string): Promise<SecretsStandin> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      // The operation is named by X-Amz-Target; the body is JSON with SecretId
      // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        reply(res, 400, { __type: 'InvalidRequestException', message: `unsupported target ${String(req.headers['x-amz-target'])}` });
        return;
      }
      const id = (JSON.parse(body || '{}') as { SecretId?: string }).SecretId ?? '';
      requests.push(id);
      // An unknown secret is ResourceNotFoundException ("Secrets Manager can't find the resource that you asked for"), HTTP 400.
      if (id !== secretId) {
        reply(res, 400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
        return;
      }
      reply(res, 200, { ARN: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${id}-AbCdEf`, Name: id, SecretString: secretString, VersionStages: ['AWSCURRENT'] });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((ok) => { server.close(() => ok()); }),
  };
}
