/**
 * Notifications of the hunt: rendering (email text, AWS Chatbot custom notification for Slack,
 * versioned JSON), the SNS PublishBatch notifier and a console notifier for local runs.
 */
export { renderEmail, type EmailMessage } from './email.js';
export { renderChatbot, type ChatbotNotification } from './chatbot.js';
export { renderDefault, FINDING_SCHEMA, DIGEST_SCHEMA, type TextField } from './payload.js';
export { renderDigest, type RenderedMessage } from './digest.js';
export { drillDownXql, runWindowXql, xqlSafe } from './xql.js';
export { composeFinding, composeDigest, composeIncident, BODY_FILTER_FIELDS, type SnsMessage } from './message.js';
export { incidentSubject, renderIncident } from './incident.js';
export { SnsNotifier, type SnsNotifierOptions, PACE_WINDOW_MS, EMAIL_MESSAGES_PER_SECOND } from './sns.js';
export { InProcessSendBudget } from './budget.js';
export { earliestSlot, type PacedSend } from './pacer.js';
export { NotifyError, NotifyConfigError, RenderError } from './errors.js';
export { SNS_MAX_BYTES, SNS_MAX_BATCH_ENTRIES, LIMIT_LEVELS, type RenderLimits } from './limits.js';
export { type Failure, assertOptions, checkStormLimit, failureOf, planMessages } from './publish-plan.js';
export { shortText, textField } from './payload.js';
export { display, slackEscape } from './sanitize.js';
export { confirmationPart } from './payload.js';
export { FOLLOW_UP_MARK } from './confirmation.js';
export { neutraliseShortcodes } from './quote.js';
export { omittedPairsLine } from './omitted.js';
export { lateNotice, lateSuffix } from './late.js';
