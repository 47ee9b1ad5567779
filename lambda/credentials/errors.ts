/** Why the XSIAM credentials could not be had. Messages name the secret and the field, never a value. */
export class CredentialsError extends Error {
  override readonly name: string = 'CredentialsError';
}

/** The secret's value is not the JSON this product expects; `problems` names each bad field. */
export class SecretFormatError extends CredentialsError {
  override readonly name = 'SecretFormatError';
  constructor(readonly problems: readonly string[]) {
    super(`XSIAM secret is malformed: ${problems.join('; ')}`);
  }
}

/** Secrets Manager did not give the secret (missing, access denied, KMS, throttling...). */
export class SecretFetchError extends CredentialsError {
  override readonly name = 'SecretFetchError';
  constructor(
    readonly secretId: string,
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(`Could not read XSIAM secret ${secretId}: ${code}`, options);
  }
}
