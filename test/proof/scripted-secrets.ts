/** Secrets Manager at the SDK level, scripted: each GetSecretValue takes the next queued answer, else the good secret. */
import { GetSecretValueCommand, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

export const smMock = mockClient(SecretsManagerClient);

export type SecretScript = () => { SecretString?: string };

/** An SDK-shaped Secrets Manager error (the service's exception base class, with `$metadata`). */
export function smError(name: string, status: number, message: string): Error {
  return new SecretsManagerServiceException({ name, $fault: status >= 500 ? 'server' : 'client', message, $metadata: { httpStatusCode: status, requestId: 'proof-request', attempts: 3 } });
}

export class ScriptedSecrets {
  readonly queue: SecretScript[] = [];
  secretString = '';

  install(): void {
    smMock.reset();
    smMock.on(GetSecretValueCommand).callsFake(() => (this.queue.shift() ?? (() => ({ SecretString: this.secretString })))());
  }
}
