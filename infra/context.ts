/**
 * Every knob of the stack, read from CDK context (`cdk.json` or `-c hunt:<key>=<value>`).
 * `parseHuntContext` is pure: it takes a reader, collects every problem and throws one
 * ContextError naming each bad key and what it accepts. The run settings are validated by the
 * Lambda's own `loadConfig`, so the deploy-time check and the runtime check cannot disagree.
 */
import { ConfigError, DEFAULTS, ENV, loadConfig } from '../lambda/config.js';
import { parseConcurrency } from './concurrency.js';
import { DOCUMENTED_TENANT_HOST_PATTERN } from '../lambda/xsiam/index.js';
import { unknownContextKeys } from './context-keys.js';
import { cronFields, shortestCronGapMinutes } from './cron.js';
import { parseSchedule, type ScheduleSpec } from './schedule.js';
import { parseQueryQuota } from './query-quota.js';

/** Run settings the Lambda reads from its environment, named like DEFAULTS. */
export type RunSettingKey = keyof typeof DEFAULTS;
const RUN_SETTING_KEYS = Object.keys(DEFAULTS) as RunSettingKey[];

/** Context keys. A stable `hunt:` prefix keeps them apart from CDK's own flags. */
export const CONTEXT_KEY = {
  schedule: 'hunt:schedule',
  heartbeatMinutes: 'hunt:heartbeatMinutes',
  xsiamSecret: 'hunt:xsiamSecret',
  notificationEmails: 'hunt:notificationEmails',
  slackWorkspaceId: 'hunt:slackWorkspaceId',
  slackChannelId: 'hunt:slackChannelId',
  alarmEmail: 'hunt:alarmEmail',
  reservedConcurrency: 'hunt:reservedConcurrency',
  slackWebhookSecret: 'hunt:slackWebhookSecret',
  /** Per-hunt settings by hunt ID (infra/hunt-settings.ts). */
  hunts: 'hunt:hunts',
  ...(Object.fromEntries(RUN_SETTING_KEYS.map((k) => [k, `hunt:${k}`])) as { [K in RunSettingKey]: `hunt:${K}` }),
  backfillConcurrency: 'hunt:backfillConcurrency',
  /** Widens the XSIAM API hosts the function may send its key to (an anchored regex); empty: the documented form. */
  tenantHostPattern: 'hunt:tenantHostPattern',
  stackName: 'hunt:stackName',
  /** The tenant's daily XQL quota in query units, for the query-units alarm (infra/query-quota.ts). */
  queryUnitQuota: 'hunt:queryUnitQuota',
} as const;

/** The stack's default name (its id and CloudFormation name); `hunt:stackName` deploys a second copy beside it. */
export const DEFAULT_STACK_NAME = 'WmicRemoteExecHunt';
/** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html). */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** Default schedule: often enough that a lateral-movement burst is seen within the quarter hour. */
export const DEFAULT_SCHEDULE = 'rate(15 minutes)';
/** Without an explicit heartbeat, alarm after this many `rate()` intervals without a successful run. */
export const HEARTBEAT_INTERVALS = 3;
/** CloudWatch alarm periods cannot exceed one day. */
export const MAX_HEARTBEAT_MINUTES = 24 * 60;

/** Where the XSIAM credentials live: an existing secret (by name or ARN) or one the stack creates. */
export type SecretRef =
  | { readonly kind: 'create' }
  | { readonly kind: 'name'; readonly name: string }
  /** `complete`: the ARN carries Secrets Manager's suffix and is granted exactly (see parseSecret). */
  | { readonly kind: 'arn'; readonly arn: string; readonly complete: boolean };

/** The validated configuration of one deployment. */
export interface HuntContext {
  readonly schedule: ScheduleSpec;
  /** Alarm when no run succeeded for this many minutes. */
  readonly heartbeatMinutes: number;
  /** Lambda environment for the run settings: ENV name → value (every setting, defaults included). */
  readonly runEnvironment: Readonly<Record<string, string>>;
  readonly secret: SecretRef;
  readonly notificationEmails: readonly string[];
  /** Slack channel for AWS Chatbot; undefined when not configured. */
  readonly slack: { readonly workspaceId: string; readonly channelId: string } | undefined;
  /** When set, alarms go to a separate ops topic with this subscriber; otherwise to the hunt topic. */
  readonly alarmEmail: string | undefined;
  /**
   * Reserve a concurrency of 1 (no two scheduled runs overlap). Off by default: Lambda keeps the
   * account's unreserved concurrency at 100 or more, so a new account (limit 10) cannot reserve any.
   * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   */
  readonly reservedConcurrency: boolean;
  /** Reserved concurrent executions of the hunt function (`true`: backfill concurrency + 1); undefined when none. */
  readonly reservedExecutions: number | undefined;
  /** Chunks the backfill state machine hunts at once (hunt:backfillConcurrency). */
  readonly backfillConcurrency: number;
  /** The stack's name (hunt:stackName), also the `stack` dimension of its metrics. */
  readonly stackName: string;
  /** Secret holding a Slack incoming-webhook URL: adds the Slack forwarder; undefined when not set. */
  readonly slackWebhookSecret: Exclude<SecretRef, { kind: 'create' }> | undefined;
  /** Things that deploy but are probably not what was meant; the stack shows them as synth warnings. */
  readonly warnings: readonly SynthWarning[];
  /** Daily query units the alarm measures against (hunt:queryUnitQuota, else hunt:dailyQueryUnits); 0: no alarm. */
  readonly queryUnitQuota: number;
}

/** A synth warning; `id` lets a deliberate choice be acknowledged (`Annotations.acknowledgeWarning`). */
export interface SynthWarning {
  readonly id: string;
  readonly message: string;
}

/** Thrown when context values are invalid; `problems` lists each one. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
  constructor(readonly problems: readonly string[], options?: ErrorOptions) {
    super(`Invalid CDK context:\n  - ${problems.join('\n  - ')}`, options);
  }
}

/** Reads one context value; `app.node.tryGetContext` in production, a plain object in tests. */
export type ContextReader = (key: string) => unknown;

/** Every key this stack reads; anything else under `hunt:` is a typo that would be silently ignored. */
export const KNOWN_CONTEXT_KEYS: readonly string[] = Object.values(CONTEXT_KEY);

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;
const SLACK_WORKSPACE = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL = /^[A-Za-z0-9]{1,255}$/;

/**
 * Validates every `hunt:` context value; throws one ContextError listing all problems.
 * `presentKeys` are all context keys the app was given (`app.node.getAllContext()`): a `hunt:` key
 * this stack does not read stops the synth, naming the nearest valid key.
 */
export function parseHuntContext(read: ContextReader, presentKeys: readonly string[] = []): HuntContext {
  const problems: string[] = unknownContextKeys(presentKeys, KNOWN_CONTEXT_KEYS);
  const text = (key: string): string | undefined => {
    const raw = read(key);
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      problems.push(`${key} must be a string, number or boolean (got ${Array.isArray(raw) ? 'an array' : typeof raw})`);
      return undefined;
    }
    const value = String(raw).trim();
    return value === '' ? undefined : value;
  };

  const scheduleRaw = text(CONTEXT_KEY.schedule) ?? DEFAULT_SCHEDULE;
  const parsedSchedule = parseSchedule(CONTEXT_KEY.schedule, scheduleRaw);
  const schedule = typeof parsedSchedule === 'string' ? undefined : parsedSchedule;
  if (typeof parsedSchedule === 'string') problems.push(parsedSchedule);

  const heartbeatMinutes = parseHeartbeat(text(CONTEXT_KEY.heartbeatMinutes), schedule, problems);
  const runEnvironment = parseRunSettings(text, problems);
  const secret = parseSecret(text(CONTEXT_KEY.xsiamSecret), problems);

  const notificationEmails = (text(CONTEXT_KEY.notificationEmails) ?? '')
    .split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const email of notificationEmails.filter((e) => !EMAIL.test(e))) {
    problems.push(`${CONTEXT_KEY.notificationEmails} must be a comma-separated list of email addresses (bad entry "${email.slice(0, 80)}")`);
  }
  // One subscription per address: a repeat would be a second construct with the same id (a CDK
  // stack trace), and mail providers treat addresses case-insensitively in practice.
  const seenEmails = new Set<string>();
  for (const email of notificationEmails) {
    const lower = email.toLowerCase();
    if (seenEmails.has(lower)) problems.push(`${CONTEXT_KEY.notificationEmails} lists "${email.slice(0, 80)}" more than once (give each address once)`);
    seenEmails.add(lower);
  }
  const alarmEmail = text(CONTEXT_KEY.alarmEmail);
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    problems.push(`${CONTEXT_KEY.alarmEmail} must be one email address (got "${alarmEmail.slice(0, 80)}")`);
  }

  const slack = parseSlack(text(CONTEXT_KEY.slackWorkspaceId), text(CONTEXT_KEY.slackChannelId), problems);

  const concurrency = parseConcurrency(CONTEXT_KEY.reservedConcurrency, text(CONTEXT_KEY.reservedConcurrency), CONTEXT_KEY.backfillConcurrency, text(CONTEXT_KEY.backfillConcurrency), problems);

  const slackWebhookSecret = parseWebhookSecret(text(CONTEXT_KEY.slackWebhookSecret), problems);
  const stackName = text(CONTEXT_KEY.stackName) ?? DEFAULT_STACK_NAME;
  if (!STACK_NAME.test(stackName)) {
    problems.push(`${CONTEXT_KEY.stackName} must be a CloudFormation stack name: a letter, then letters, digits and hyphens, at most 128 characters (got "${stackName.slice(0, 80)}")`);
  }

  const quota = parseQueryQuota(CONTEXT_KEY.queryUnitQuota, text(CONTEXT_KEY.queryUnitQuota), Number(runEnvironment[ENV.dailyQueryUnits] ?? 0));
  if (typeof quota === 'string') problems.push(quota);

  if (problems.length > 0 || schedule === undefined) throw new ContextError(problems);
  const warnings: SynthWarning[] = [];
  if (notificationEmails.length === 0 && slack === undefined) {
    warnings.push({ id: 'hunt:noFindingSubscribers', message: `Nobody is subscribed to findings: set ${CONTEXT_KEY.notificationEmails} and/or ${CONTEXT_KEY.slackWorkspaceId} with ${CONTEXT_KEY.slackChannelId}, or subscribe to the HuntTopicArn output yourself.` });
  }
  return {
    schedule, heartbeatMinutes, runEnvironment, secret, notificationEmails, slack, alarmEmail,
    reservedConcurrency: concurrency.reservedExecutions !== undefined, ...concurrency, slackWebhookSecret, warnings, stackName,
    queryUnitQuota: typeof quota === 'number' ? quota : 0,
  };
}

function parseHeartbeat(raw: string | undefined, schedule: ScheduleSpec | undefined, problems: string[]): number {
  const key = CONTEXT_KEY.heartbeatMinutes;
  const interval = schedule?.intervalMinutes;
  if (raw === undefined) {
    if (schedule !== undefined && interval === undefined) {
      problems.push(`${key} is required when ${CONTEXT_KEY.schedule} is a cron expression (minutes without a successful run before the heartbeat alarm fires, 1 to ${MAX_HEARTBEAT_MINUTES})`);
    }
    return (interval ?? 0) * HEARTBEAT_INTERVALS;
  }
  // A cron schedule's period is its shortest gap between runs: a heartbeat shorter would alarm between good runs.
  const min = interval ?? (schedule === undefined ? undefined : shortestCronGapMinutes(cronFields(schedule.expression))) ?? 1;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > MAX_HEARTBEAT_MINUTES) {
    problems.push(`${key} must be a whole number of minutes from ${min} (one schedule ${interval === undefined && min > 1 ? 'period: the shortest gap between two runs of the cron expression' : 'interval'}) to ${MAX_HEARTBEAT_MINUTES} (got "${raw.slice(0, 40)}")`);
    return min;
  }
  return Number(raw);
}

function parseRunSettings(text: (key: string) => string | undefined, problems: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of RUN_SETTING_KEYS) env[ENV[k]] = text(CONTEXT_KEY[k]) ?? String(DEFAULTS[k]);
  env[ENV.tenantHostPattern] = text(CONTEXT_KEY.tenantHostPattern) ?? DOCUMENTED_TENANT_HOST_PATTERN;
  try {
    // Placeholders stand in for the resource names the stack fills in; only the settings are checked.
    loadConfig({ ...env, [ENV.tableName]: 'table', [ENV.topicArn]: 'arn:placeholder', [ENV.secretId]: 'secret' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Each problem names the variable it is about; here the value came from that setting's context key.
    for (const { field, problem } of err.issues) {
      const k = RUN_SETTING_KEYS.find((key) => ENV[key] === field);
      const source = field === ENV.tenantHostPattern ? CONTEXT_KEY.tenantHostPattern : k === undefined ? field : CONTEXT_KEY[k];
      problems.push(`${source} ${problem}`);
    }
  }
  return env;
}

/**
 * Secrets Manager reads an ARN whose secret name ends in a hyphen and six characters as a complete
 * ARN (name plus its random suffix), so a partial ARN of a secret whose own name ends that way does
 * not find the secret ("Finding a secret from a partial ARN"):
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html (SecretId)
 * The stack follows the same rule. The suffix Secrets Manager generates is letters and digits, so a
 * hyphen and six characters that are not all letters and digits can only be a partial ARN that AWS
 * would misread: that stops the synth.
 */
const ARN_SUFFIX = /-(.{6})$/;
const RANDOM_SUFFIX = /^[A-Za-z0-9]{6}$/;

function parseSecret(raw: string | undefined, problems: string[]): SecretRef {
  if (raw === undefined) return { kind: 'create' };
  if (raw.startsWith('arn:')) {
    if (SECRET_ARN.test(raw)) return arnRef(raw, CONTEXT_KEY.xsiamSecret, problems) ?? { kind: 'create' };
  } else if (SECRET_NAME.test(raw)) {
    return { kind: 'name', name: raw };
  }
  problems.push(`${CONTEXT_KEY.xsiamSecret} must be a Secrets Manager secret name (letters, digits, /_+=.@-) or secret ARN, or empty to create one (got "${raw.slice(0, 80)}")`);
  return { kind: 'create' };
}

/** A secret ARN, complete or partial by the rule above; undefined (with a problem) when AWS would misread it. */
function arnRef(raw: string, key: string, problems: string[]): Extract<SecretRef, { kind: 'arn' }> | undefined {
  const suffix = ARN_SUFFIX.exec(raw.split(':secret:')[1] ?? '')?.[1];
  if (suffix === undefined) return { kind: 'arn', arn: raw, complete: false };
  if (RANDOM_SUFFIX.test(suffix)) return { kind: 'arn', arn: raw, complete: true };
  problems.push(`${key} is a partial ARN whose secret name ends in a hyphen and six characters ("-${suffix}"); Secrets Manager would read it as a complete ARN and not find the secret. Give the complete ARN (with the six characters Secrets Manager appended) or the secret name`);
  return undefined;
}

function parseWebhookSecret(raw: string | undefined, problems: string[]): HuntContext['slackWebhookSecret'] {
  if (raw === undefined) return undefined;
  if (raw.startsWith('arn:') ? SECRET_ARN.test(raw) : SECRET_NAME.test(raw)) return raw.startsWith('arn:') ? arnRef(raw, CONTEXT_KEY.slackWebhookSecret, problems) : { kind: 'name', name: raw };
  problems.push(`${CONTEXT_KEY.slackWebhookSecret} must be the name or ARN of a Secrets Manager secret holding a Slack incoming-webhook URL (never the URL itself), or empty for no forwarder (got ${/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? 'a URL, not shown' : `"${raw.slice(0, 80)}"`})`);
  return undefined;
}

function parseSlack(workspaceId: string | undefined, channelId: string | undefined, problems: string[]): HuntContext['slack'] {
  if (workspaceId === undefined && channelId === undefined) return undefined;
  let ok = true;
  if (workspaceId === undefined || channelId === undefined) {
    problems.push(`${CONTEXT_KEY.slackWorkspaceId} and ${CONTEXT_KEY.slackChannelId} must be set together (or both left empty for no Slack)`);
    return undefined;
  }
  if (!SLACK_WORKSPACE.test(workspaceId)) {
    problems.push(`${CONTEXT_KEY.slackWorkspaceId} must be the Slack workspace ID from the AWS Chatbot console, upper-case letters and digits such as T07ABCDEF12 (got "${workspaceId.slice(0, 40)}")`);
    ok = false;
  }
  if (!SLACK_CHANNEL.test(channelId)) {
    problems.push(`${CONTEXT_KEY.slackChannelId} must be the Slack channel ID (letters and digits such as C07ABCDEF12, not the #name) (got "${channelId.slice(0, 40)}")`);
    ok = false;
  }
  return ok ? { workspaceId, channelId } : undefined;
}
