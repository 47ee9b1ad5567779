/** Why the XSIAM credentials could not be had. Messages name the secret and the field, never a value. */
export class CredentialsError extends Error {
  override readonly name: string = 'CredentialsError';
}

/** A field of the secret's JSON. */
export type SecretField = 'tenant' | 'apiKeyId' | 'apiKey' | 'keyType';

/** One problem with the secret: the field it is about (null: the whole value) and what is wrong. */
export interface SecretProblem {
  readonly field: SecretField | null;
  /** Without the field's name, so a caller that reads the field from elsewhere names its own source. */
  readonly problem: string;
}

/** The secret's value is not the JSON this product expects; `problems` names each bad field. */
export class SecretFormatError extends CredentialsError {
  override readonly name = 'SecretFormatError';
  /** Each problem as one sentence that starts with the field's name (when it is about one field). */
  readonly problems: readonly string[];
  constructor(
    readonly issues: readonly SecretProblem[],
    /** True when the secret holds no value at all (nobody has put the credentials yet). */
    readonly empty = false,
  ) {
    const problems = issues.map((i) => (i.field === null ? i.problem : `${i.field} ${i.problem}`));
    super(`XSIAM secret is malformed: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** What to do about the Secrets Manager errors ops meet first. */
const HINTS: Readonly<Record<string, string>> = {
  ResourceNotFoundException: ' (the secret does not exist, or has no value yet: put the JSON described in the README)',
  AccessDeniedException: ' (the function may read only the secret named in its configuration)',
  DecryptionFailure: ' (the KMS key of the secret does not let the function decrypt it)',
};

/** Secrets Manager did not give the secret (missing, access denied, KMS, throttling...). */
export class SecretFetchError extends CredentialsError {
  override readonly name = 'SecretFetchError';
  constructor(
    readonly secretId: string,
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(`Could not read XSIAM secret ${secretId}: ${code}${HINTS[code] ?? ''}`, options);
  }
}

/**
 * True when the secret simply has not been filled in: it does not exist or has no value yet
 * (a fresh deploy creates it empty), or its value is blank. Ops fix this once with
 * put-secret-value; the Lambda reports it as its own steady signal instead of failing.
 */
export function isSecretNotConfigured(err: unknown): boolean {
  return (err instanceof SecretFetchError && err.code === 'ResourceNotFoundException')
    || (err instanceof SecretFormatError && err.empty);
}
