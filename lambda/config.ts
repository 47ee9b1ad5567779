/**
 * The one reader of the environment. Every variable is parsed strictly; every problem is
 * collected and reported at once, naming the variable and what it accepts. Names are `as const`
 * so infra/ sets exactly what this reads.
 */
import { SecretFormatError } from './credentials/index.js';
import { parseSecret } from './credentials/index.js';
import { SEVERITIES, type Severity } from './finding.js';
import { parseHuntOverrides, type HuntOverrides } from './hunt-config.js';
import { QUERY_VARIANTS } from './hunts/index.js';
import type { RunSettings } from './ports.js';
import { DOCUMENTED_TENANT_HOST_PATTERN, tenantHostPatternProblem, type TenantHostPolicy, type XsiamCredentials } from './xsiam/index.js';

export const ENV = {
  tableName: 'HUNT_TABLE_NAME',
  topicArn: 'HUNT_TOPIC_ARN',
  secretId: 'XSIAM_SECRET_ID',
  queryVariant: 'HUNT_QUERY_VARIANT',
  initialLookbackMinutes: 'HUNT_INITIAL_LOOKBACK_MINUTES',
  overlapMinutes: 'HUNT_OVERLAP_MINUTES',
  ingestLagMinutes: 'HUNT_INGEST_LAG_MINUTES',
  maxLookbackHours: 'HUNT_MAX_LOOKBACK_HOURS',
  maxWindowMinutes: 'HUNT_MAX_WINDOW_MINUTES',
  dedupeWindowHours: 'HUNT_DEDUPE_WINDOW_HOURS',
  minSeverity: 'HUNT_MIN_SEVERITY',
  stormLimit: 'HUNT_STORM_LIMIT',
  /** `live` (default) or `shadow`: a full run that publishes nothing and counts wouldNotify. */
  mode: 'HUNT_MODE',
  /** Where the daily shadow report goes (the alarm topic); optional. */
  alarmTopicArn: 'HUNT_ALARM_TOPIC_ARN',
  historyBaselineDays: 'HUNT_HISTORY_BASELINE_DAYS',
  historyRoutineMinDays: 'HUNT_HISTORY_ROUTINE_MIN_DAYS',
  historyMinCoverageDays: 'HUNT_HISTORY_MIN_COVERAGE_DAYS',
  confirmTargets: 'HUNT_CONFIRM_TARGETS',
  confirmHorizonMinutes: 'HUNT_CONFIRM_HORIZON_MINUTES',
  /** Anchored regular expression the XSIAM API host must match (context hunt:tenantHostPattern); default: the documented form. */
  tenantHostPattern: 'HUNT_TENANT_HOST_PATTERN',
  /** `true` lets the key go to plain-http loopback: the tests' local XSIAM only. The stack never sets it. */
  allowLoopback: 'XSIAM_ALLOW_LOOPBACK',
  lateArrivalHours: 'HUNT_LATE_ARRIVAL_HOURS',
  lateSweepMinutes: 'HUNT_LATE_SWEEP_MINUTES',
  dailyQueryUnits: 'HUNT_DAILY_QUERY_UNITS',
  /** The CloudFormation stack the function belongs to: a dimension of every metric (two stacks, one account). */
  stackName: 'HUNT_STACK_NAME',
  lateSweepRecentHours: 'HUNT_LATE_SWEEP_RECENT_HOURS',
  lateSweepFullMinutes: 'HUNT_LATE_SWEEP_FULL_MINUTES',
  /** Each hunt's own settings (context hunt:hunts): JSON of hunt ID → { mode, minSeverity, topicArn, allowlist } (lambda/hunt-config.ts). */
  huntSettings: 'HUNT_HUNT_SETTINGS',
} as const;

/** Defaults shared by the Lambda, the local CLI and the CDK context (cdk.json). */
export const DEFAULTS = {
  queryVariant: 'seed',
  initialLookbackMinutes: 24 * 60,
  /** `auto`: a fifth of the new time each run covers, at most 10 minutes (each minute read ≤ 1.2 times); or whole minutes. */
  overlapMinutes: 'auto',
  /** Short: an event that arrives later than this is read by the next window's overlap or the late sweep. */
  ingestLagMinutes: 2,
  maxLookbackHours: 72,
  maxWindowMinutes: 6 * 60,
  dedupeWindowHours: 7 * 24,
  minSeverity: 'high',
  stormLimit: 25,
  mode: 'live',
  historyBaselineDays: 30,
  historyRoutineMinDays: 5,
  historyMinCoverageDays: 7,
  /** Target-side confirmation of each notified pair (one more XQL query per chunk with pairs to notify). */
  confirmTargets: true,
  /** A late confirmation of a pair notified not-seen/unavailable is followed up within this long of the notification. */
  confirmHorizonMinutes: 60,
  /** Events that reach XSIAM up to this long after they happened are still hunted (the late sweep, on `_insert_time`); 0 turns the sweep off. */
  lateArrivalHours: 72,
  /** The frequent late sweep (over `lateSweepRecentHours`) runs at most this often; 0: every run. */
  lateSweepMinutes: 60,
  /** Query units the late sweeps may spend a UTC day; 0: no budget. */
  dailyQueryUnits: 0,
  /**
   * The frequent sweep reads this much `_time` before its arrivals (events up to this late are found
   * within `lateSweepMinutes`); the full sweep reads `lateArrivalHours`. 0: only the full sweep; at
   * or above `lateArrivalHours`: one sweep over the whole horizon every `lateSweepMinutes`.
   */
  lateSweepRecentHours: 6,
  /** The full sweep (over `lateArrivalHours`) runs at most this often; 0: every run. */
  lateSweepFullMinutes: 24 * 60,
} as const satisfies Record<string, string | number | boolean>;

export interface HandlerConfig {
  readonly tableName: string;
  readonly topicArn: string;
  /** Name or ARN of the Secrets Manager secret; the value itself never travels in configuration. */
  readonly secretId: string;
  readonly settings: RunSettings;
  /** Shadow mode (HUNT_MODE=shadow): runs publish nothing to the findings topic and count wouldNotify. */
  readonly shadow: boolean;
  /** The ops topic for the daily shadow report; null when not configured. */
  readonly alarmTopicArn: string | null;
  /** Where the API key may be sent: the documented tenant host form unless widened; loopback only in tests. */
  readonly tenantHosts: Required<TenantHostPolicy>;
  /** The stack's name (HUNT_STACK_NAME), the `stack` dimension of the metrics; absent outside a stack. */
  readonly stackName?: string;
  /** Each hunt's own settings (HUNT_HUNT_SETTINGS); a hunt absent here runs on the stack-wide ones. */
  readonly hunts?: Readonly<Record<string, HuntOverrides>>;
}

/**
 * One configuration problem: the variable it is about and what is wrong with it, apart, so a
 * caller that takes the value from elsewhere (a CDK context key, a CLI flag) names its own source
 * by `field` instead of rewriting the message text.
 */
export interface ConfigProblem {
  /** The environment variable: a value of ENV or CLI_ENV. */
  readonly field: string;
  /** What is wrong, without the variable's name, e.g. `must be a whole number from 1 to 1000 (got "0")`. */
  readonly problem: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Each problem as one sentence that starts with the variable's name. */
  readonly problems: readonly string[];
  constructor(readonly issues: readonly ConfigProblem[]) {
    const problems = issues.map((i) => `${i.field} ${i.problem}`);
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** Values of HUNT_MODE (context hunt:mode). */
export const RUN_MODES = ['live', 'shadow'] as const;

type Env = Readonly<Record<string, string | undefined>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The hunt function's timeout (infra/constructs/hunt-function.ts sets the Lambda's from it). */
export const HUNT_FUNCTION_TIMEOUT_SECONDS = 300;

/**
 * A run's maximum duration, for dedupe claims (RunSettings.maxRunMs). No invocation outlives the
 * function timeout: Lambda stops it there. The margin covers clock skew between the hosts that
 * stamp and read a claim, and the writes of a run that just ended. A PENDING claim younger than
 * this may still be notified by its run, so no other run publishes it; an older one belonged to a
 * run that died (or could not notify it), and the next run that reads the pair recovers it.
 */
export const MAX_RUN_MS = HUNT_FUNCTION_TIMEOUT_SECONDS * 1000 + MINUTE;

/** Parses the handler's configuration from `env`; throws one ConfigError listing every bad variable. */
export function loadConfig(env: Env = process.env): HandlerConfig {
  const problems: ConfigProblem[] = [];
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push({ field: name, problem: 'is required' });
    return v ?? '';
  };
  const integer: IntegerReader = (name, fallback, min, max, orWord) => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '' || orWord?.(raw) === true) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push({ field: name, problem: `must be a whole number from ${min} to ${max}${orWord === undefined ? '' : ' or auto'} (got "${raw.slice(0, 40)}")` });
      return fallback;
    }
    return Number(raw);
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push({ field: name, problem: `must be one of ${allowed.join(', ')} (got "${raw.slice(0, 40)}")` });
      return fallback;
    }
    return raw as T;
  };

  const tableName = required(ENV.tableName);
  const topicArn = required(ENV.topicArn);
  if (topicArn && !topicArn.startsWith('arn:')) problems.push({ field: ENV.topicArn, problem: 'must be an SNS topic ARN' });
  const secretId = required(ENV.secretId);
  const decimal = (name: string, fallback: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) > max) {
      problems.push({ field: name, problem: `must be a number from 0 to ${max} (got "${raw.slice(0, 40)}")` });
      return fallback;
    }
    return Number(raw);
  };
  const settings = parseRunSettings(integer, oneOf, decimal);
  const shadow = oneOf(ENV.mode, RUN_MODES, DEFAULTS.mode) === 'shadow';
  const alarmTopicArn = env[ENV.alarmTopicArn]?.trim() || null;
  if (alarmTopicArn !== null && !alarmTopicArn.startsWith('arn:')) problems.push({ field: ENV.alarmTopicArn, problem: 'must be an SNS topic ARN' });
  const tenantHosts = parseTenantHosts(env, oneOf, problems);
  const stackName = env[ENV.stackName]?.trim() || undefined;
  const perHunt = parseHuntOverrides(env[ENV.huntSettings]);
  problems.push(...perHunt.problems.map((problem) => ({ field: ENV.huntSettings, problem })));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    tableName, topicArn, secretId, settings, shadow, alarmTopicArn, tenantHosts, ...(stackName === undefined ? {} : { stackName }),
    ...(Object.keys(perHunt.hunts).length > 0 && { hunts: perHunt.hunts }),
  };
}

function parseTenantHosts(env: Env, oneOf: ChoiceReader, problems: ConfigProblem[]): Required<TenantHostPolicy> {
  const pattern = env[ENV.tenantHostPattern]?.trim() || DOCUMENTED_TENANT_HOST_PATTERN;
  const problem = tenantHostPatternProblem(pattern);
  if (problem !== null) problems.push({ field: ENV.tenantHostPattern, problem });
  return {
    tenantHostPattern: problem === null ? pattern : DOCUMENTED_TENANT_HOST_PATTERN,
    allowLoopback: oneOf(ENV.allowLoopback, ['true', 'false'] as const, 'false') === 'true',
  };
}

/** `orWord`: a word also accepted (the value reads as `fallback`), named in the problem. */
type IntegerReader = (name: string, fallback: number, min: number, max: number, orWord?: (raw: string) => boolean) => number;
type ChoiceReader = <T extends string>(name: string, allowed: readonly T[], fallback: T) => T;
type DecimalReader = (name: string, fallback: number, max: number) => number;

function parseRunSettings(integer: IntegerReader, oneOf: ChoiceReader, decimal: DecimalReader): RunSettings {
  const maxLookbackMs = integer(ENV.maxLookbackHours, DEFAULTS.maxLookbackHours, 1, 24 * 30) * HOUR;
  // The other two are bounded by the baseline: a routine source needs its days inside it.
  const historyBaselineDays = integer(ENV.historyBaselineDays, DEFAULTS.historyBaselineDays, 1, 365);
  return {
    queryVariant: oneOf(ENV.queryVariant, QUERY_VARIANTS, DEFAULTS.queryVariant),
    initialLookbackMs: integer(ENV.initialLookbackMinutes, DEFAULTS.initialLookbackMinutes, 1, 30 * 24 * 60) * MINUTE,
    overlapMs: overlap(integer),
    ingestLagMs: integer(ENV.ingestLagMinutes, DEFAULTS.ingestLagMinutes, 0, 24 * 60) * MINUTE,
    maxLookbackMs,
    maxWindowMs: integer(ENV.maxWindowMinutes, DEFAULTS.maxWindowMinutes, 1, 7 * 24 * 60) * MINUTE,
    dedupeWindowMs: integer(ENV.dedupeWindowHours, DEFAULTS.dedupeWindowHours, 1, 365 * 24) * HOUR,
    minSeverity: oneOf<Severity>(ENV.minSeverity, SEVERITIES, DEFAULTS.minSeverity),
    stormLimit: integer(ENV.stormLimit, DEFAULTS.stormLimit, 1, 1000),
    leaseTtlMs: 15 * MINUTE,
    maxRunMs: MAX_RUN_MS,
    historyBaselineDays,
    historyRoutineMinDays: integer(ENV.historyRoutineMinDays, Math.min(DEFAULTS.historyRoutineMinDays, historyBaselineDays), 1, historyBaselineDays),
    historyMinCoverageDays: integer(ENV.historyMinCoverageDays, Math.min(DEFAULTS.historyMinCoverageDays, historyBaselineDays), 0, historyBaselineDays),
    confirmTargets: oneOf(ENV.confirmTargets, ['true', 'false'] as const, DEFAULTS.confirmTargets ? 'true' : 'false') === 'true',
    confirmHorizonMs: integer(ENV.confirmHorizonMinutes, DEFAULTS.confirmHorizonMinutes, 1, 7 * 24 * 60) * MINUTE,
    lateArrivalMs: integer(ENV.lateArrivalHours, DEFAULTS.lateArrivalHours, 0, 30 * 24) * HOUR,
    lateSweepEveryMs: integer(ENV.lateSweepMinutes, DEFAULTS.lateSweepMinutes, 0, 7 * 24 * 60) * MINUTE,
    dailyQueryUnits: decimal(ENV.dailyQueryUnits, DEFAULTS.dailyQueryUnits, 1_000_000),
    lateSweepRecentMs: integer(ENV.lateSweepRecentHours, DEFAULTS.lateSweepRecentHours, 0, 30 * 24) * HOUR,
    lateSweepFullEveryMs: integer(ENV.lateSweepFullMinutes, DEFAULTS.lateSweepFullMinutes, 0, 7 * 24 * 60) * MINUTE,
  };
}

/** `auto` (also the default when empty), or whole minutes like the other keys. */
function overlap(integer: IntegerReader): RunSettings['overlapMs'] {
  const auto = (name: string): boolean => name === 'auto';
  // The reader gives back the fallback for an empty value; NaN marks "not a number given".
  const minutes = integer(ENV.overlapMinutes, Number.NaN, 0, 24 * 60, auto);
  return Number.isNaN(minutes) ? 'auto' : minutes * MINUTE;
}

/** Run settings with every default, for local runs and tests. */
export function defaultRunSettings(): RunSettings {
  return parseRunSettings((_n, fallback) => fallback, (_n, _a, fallback) => fallback, (_n, fallback) => fallback);
}

/** Variables the local CLI reads to hunt a real tenant instead of the embedded local XSIAM. */
export const CLI_ENV = {
  tenant: 'XSIAM_TENANT',
  apiKeyId: 'XSIAM_API_KEY_ID',
  apiKey: 'XSIAM_API_KEY',
  keyType: 'XSIAM_KEY_TYPE',
} as const;

/**
 * Real-tenant credentials for the local CLI, or null when XSIAM_TENANT is not set. Validated like
 * the Lambda's secret; problems name the variable, never its value.
 */
export function loadCliTenant(env: Env = process.env): XsiamCredentials | null {
  if (!env[CLI_ENV.tenant]?.trim()) return null;
  try {
    return parseSecret(JSON.stringify({
      tenant: env[CLI_ENV.tenant]?.trim(),
      apiKeyId: env[CLI_ENV.apiKeyId]?.trim(),
      apiKey: env[CLI_ENV.apiKey]?.trim(),
      keyType: env[CLI_ENV.keyType]?.trim() || undefined,
    }));
  } catch (err) {
    if (!(err instanceof SecretFormatError)) throw err;
    // Each field of the secret has its own variable. A problem about the whole secret cannot
    // happen here (the JSON is built above); should one, it is rethrown as it is.
    const issues = err.issues.flatMap((i) => (i.field === null ? [] : [{ field: CLI_ENV[i.field], problem: i.problem }]));
    if (issues.length < err.issues.length) throw err;
    throw new ConfigError(issues);
  }
}
