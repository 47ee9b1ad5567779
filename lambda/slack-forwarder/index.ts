/** The Slack forwarder: SNS findings topic → Slack incoming webhook (Block Kit), without AWS Chatbot. */
export { makeForwarder, describeError, type ForwarderDeps, type ForwardSummary, type WebhookUrlSource } from './forward.js';
export { WebhookSecret, parseWebhookUrl, type WebhookSecretOptions } from './webhook-secret.js';
export { postToSlack, retryAfterMs, type PostOptions, type PostResult } from './post.js';
export { renderSnsMessage, type Rendered } from './render.js';
export { toBlockKit, splitMrkdwn, fits, textSize, type SlackMessage, type Block, BLOCKS_MAX, SECTION_TEXT_MAX, HEADER_TEXT_MAX, MESSAGE_TEXT_BUDGET } from './blocks.js';
export { SlackForwarderError, WebhookSecretError, UnrenderableMessageError, SlackRejectedError, SlackDeliveryError } from './errors.js';
export { WEBHOOK_SECRET_ENV } from './env.js';
