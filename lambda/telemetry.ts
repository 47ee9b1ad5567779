/**
 * Names shared by the handler (which emits them as Powertools EMF metrics) and infra/ (which
 * alarms on them and draws the dashboard), so the two cannot drift.
 */
export const METRICS_NAMESPACE = 'WmicRemoteExecHunt';
export const SERVICE_NAME = 'wmic-remote-exec-hunt';
/** Dimension naming the stack (HUNT_STACK_NAME), so two stacks in one account and Region read only their own metrics. */
export const STACK_DIMENSION = 'stack';

export const METRIC = {
  /** 1 per run that completed and advanced the checkpoint (the heartbeat alarm watches it). */
  runSucceeded: 'RunSucceeded',
  runFailed: 'RunFailed',
  rows: 'Rows',
  findings: 'Findings',
  newPairs: 'NewPairs',
  repeats: 'Repeats',
  suppressed: 'Suppressed',
  notified: 'Notified',
  /** Notifications SNS did not accept in a run (0 when all were); the pairs stay PENDING. */
  publishFailures: 'PublishFailures',
  /**
   * 1 per run that found the XSIAM secret missing or empty (a fresh deploy before put-secret-value),
   * 0 per other completed run. Its own alarm says "fill in the secret"; such a run is not an error.
   */
  secretNotConfigured: 'SecretNotConfigured',
  queryCost: 'QueryCost',
  httpCalls: 'HttpCalls',
  /** now − end of the covered window, in seconds: how far behind the hunt is. */
  windowLagSeconds: 'WindowLagSeconds',
  /** Uncovered time dropped because it was older than the maximum lookback, in seconds. */
  skippedSeconds: 'SkippedSeconds',
  durationMs: 'DurationMs',
  /** Shadow mode: pairs a run would have notified (nothing was sent). */
  wouldNotify: 'WouldNotify',
  /** Target-side confirmation: its XQL queries, HTTP calls (endpoints API included) and query units. */
  confirmQueries: 'ConfirmQueries',
  confirmHttpCalls: 'ConfirmHttpCalls',
  confirmQueryCost: 'ConfirmQueryCost',
  /** Outcomes of the notified pairs, and the late-evidence follow-ups sent. */
  confirmed: 'TargetConfirmed',
  notSeen: 'TargetNotSeen',
  unmanaged: 'TargetUnmanaged',
  unavailable: 'TargetUnavailable',
  followUps: 'FollowUps',
  /**
   * Backfill chunks (`hunt-window`) report their outcome here, never as RunSucceeded/RunFailed,
   * PublishFailures or SecretNotConfigured: the heartbeat and the schedule's alarms read scheduled
   * runs only, and a chunk's retry is the state machine's business (its failed-execution alarm).
   */
  backfillChunkSucceeded: 'BackfillChunkSucceeded',
  backfillChunkFailed: 'BackfillChunkFailed',
  /** Due pairs a run left to a concurrent run that had claimed them (its chunk stays uncommitted). */
  pairsInFlight: 'PairsInFlight',
  /** 1 per run stopped because the tenant's daily XQL query quota is spent (not retried as throttling). */
  xsiamQuotaExhausted: 'XsiamQuotaExhausted',
  /** Late sweeps (queries on `_insert_time`), their query units and the hours of `_time` they scanned. */
  lateSweeps: 'LateSweeps',
  lateSweepQueryCost: 'LateSweepQueryCost',
  lateSweepDataHours: 'LateSweepDataHours',
  /** 1 per due sweep narrowed or put off because `hunt:dailyQueryUnits` could not pay for it (alarmed). */
  lateSweepsOverBudget: 'LateSweepsOverBudget',
  /** Notified pairs whose evidence arrived late. */
  latePairs: 'LatePairs',
  /** Per notified pair: ms from its arrival in XSIAM to SNS accepting the message (one value each; p50/p95 in CloudWatch). */
  detectionLatencyMs: 'DetectionLatencyMs',
  /**
   * Query units a run spent (its queries, late sweeps and confirmations), with the `huntId`
   * dimension: the dashboard sums them per hunt per day. Emitted by backfill chunks too.
   */
  huntQueryUnits: 'HuntQueryUnits',
  /** Chunks or sweeps a run left because no XSIAM query slot freed up before its deadline (checkpoint kept). */
  querySlotUnavailable: 'QuerySlotUnavailable',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Dimension of the per-hunt metrics (HuntQueryUnits): the hunt's card id. */
export const HUNT_DIMENSION = 'huntId';
