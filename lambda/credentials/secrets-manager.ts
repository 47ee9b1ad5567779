import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CredentialsProvider } from '../ports.js';
import type { XsiamCredentials } from '../xsiam/index.js';
import { SecretFetchError } from './errors.js';
import { parseSecret } from './parse-secret.js';

export interface SecretsManagerCredentialsOptions {
  /** Name or ARN of the secret. */
  readonly secretId: string;
  /** @default a new SecretsManagerClient from the Lambda environment */
  readonly client?: SecretsManagerClient;
  /**
   * How long a fetched value is reused while the function is warm. Rotation is still picked up at
   * once: the pipeline forces a refresh after an authentication error.
   * @default 15 minutes
   */
  readonly maxAgeMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** XSIAM credentials from Secrets Manager, cached per execution environment. */
export class SecretsManagerCredentials implements CredentialsProvider {
  private readonly client: SecretsManagerClient;
  private cached: { value: XsiamCredentials; fetchedAt: number } | undefined;

  constructor(private readonly options: SecretsManagerCredentialsOptions) {
    this.client = options.client ?? new SecretsManagerClient({});
  }

  async get(options: { forceRefresh?: boolean } = {}): Promise<XsiamCredentials> {
    const now = (this.options.now ?? Date.now)();
    const maxAge = this.options.maxAgeMs ?? 15 * 60_000;
    if (!options.forceRefresh && this.cached && now - this.cached.fetchedAt < maxAge) return this.cached.value;
    let secretString: string | undefined;
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.options.secretId }));
      secretString = out.SecretString;
    } catch (err) {
      // The SDK error name (ResourceNotFoundException, AccessDeniedException...) says what to fix
      // and carries no secret material.
      const code = err instanceof Error ? err.name : 'UnknownError';
      throw new SecretFetchError(this.options.secretId, code, { cause: err });
    }
    const value = parseSecret(secretString);
    this.cached = { value, fetchedAt: now };
    return value;
  }
}
