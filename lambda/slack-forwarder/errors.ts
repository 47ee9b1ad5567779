/**
 * Why a message did not reach Slack. No message here ever holds the webhook URL: errors name the
 * secret by its id, Slack's reply by its status and error code, and a network failure by its code.
 */

/** Base class of the forwarder's errors. */
export class SlackForwarderError extends Error {
  override readonly name: string = 'SlackForwarderError';
}

/** The secret could not be read, or its value is not a Slack incoming-webhook URL. */
export class WebhookSecretError extends SlackForwarderError {
  override readonly name = 'WebhookSecretError';
  constructor(readonly secretId: string, readonly problem: string, options?: ErrorOptions) {
    super(`Slack webhook secret ${secretId}: ${problem}`, options);
  }
}

/** The SNS message is not one the forwarder can render (not the hunt's `default` JSON nor an alarm). */
export class UnrenderableMessageError extends SlackForwarderError {
  override readonly name = 'UnrenderableMessageError';
  constructor(readonly messageId: string, problem: string, options?: ErrorOptions) {
    super(`SNS message ${messageId.slice(0, 80)} cannot be rendered for Slack: ${problem}`, options);
  }
}

/** Slack refused the message for good (4xx other than 429): retrying the same payload cannot help. */
export class SlackRejectedError extends SlackForwarderError {
  override readonly name = 'SlackRejectedError';
  constructor(readonly status: number, readonly slackError: string, options?: ErrorOptions) {
    super(`Slack rejected the message: HTTP ${status} ${slackError}`, options);
  }
}

/** Retries ran out (attempts or the function's remaining time) on 429, 5xx or network errors. */
export class SlackDeliveryError extends SlackForwarderError {
  override readonly name = 'SlackDeliveryError';
  constructor(readonly attempts: number, readonly last: string, why: string, options?: ErrorOptions) {
    super(`Slack did not accept the message after ${attempts} attempt(s) (last: ${last}); ${why}`, options);
  }
}
