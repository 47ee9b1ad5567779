/** The forwarder's one environment variable, shared with infra/ so the two cannot drift. */

/** Name or ARN of the secret holding the Slack webhook URL (the URL itself never travels in configuration). */
export const WEBHOOK_SECRET_ENV = 'SLACK_WEBHOOK_SECRET_ID';
