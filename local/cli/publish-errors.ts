/**
 * The real cause of a failed publish to a real SNS topic, in words a user can act on. The SDK's
 * error names are what SNS and the credential chain document:
 * https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html#API_PublishBatch_Errors
 * https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */
import { PublishFailedError } from '../../lambda/run/index.js';

const CAUSES: readonly { readonly test: RegExp; readonly say: string }[] = [
  { test: /CredentialsProviderError|Could not load credentials|ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/i,
    say: 'no usable AWS credentials: set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then run again' },
  { test: /AuthorizationError|AccessDenied|not authorized|KMSAccessDenied/i,
    say: 'access denied: these AWS credentials may not sns:Publish to the topic (or use its KMS key)' },
  { test: /NotFound|does not exist/i,
    say: 'topic not found: check the ARN, its Region and the account of your credentials' },
  { test: /Region is missing|ConfigError.*region/i,
    say: 'no AWS Region: set AWS_REGION to the topic\'s Region' },
  { test: /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|NetworkingError|TimeoutError/i,
    say: 'SNS could not be reached (network)' },
];

/** The cause of `err` in words, when it is a refused publish; null for other errors. */
export function publishCause(err: unknown): string | null {
  const failed = findPublishFailed(err);
  if (failed === null) return null;
  const text = failed.failures.map((f) => `${f.code} ${f.message}`).join('\n');
  const cause = CAUSES.find((c) => c.test.test(text))?.say;
  const codes = [...new Set(failed.failures.map((f) => f.code))].join(', ');
  return cause ?? `SNS refused them (${codes})`;
}

function findPublishFailed(err: unknown): PublishFailedError | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if (e instanceof PublishFailedError) return e;
  }
  return null;
}
