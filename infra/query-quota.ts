/**
 * The tenant's daily XQL quota the query-units alarm measures against: `hunt:queryUnitQuota` (the
 * tenant's `license_quota` plus `additional_purchased_quota` from xql/get_quota), else the late
 * sweeps' `hunt:dailyQueryUnits` when that is 0 or absent; neither: no alarm. Pure: returns the quota or a problem.
 */

/** Share of the quota at which the alarm fires: room to react before queries start failing. */
export const QUERY_UNITS_ALARM_SHARE = 0.8;

/** Largest accepted quota (query units a day); XSIAM licences are in the thousands at most. */
const MAX_QUOTA = 1_000_000;

/**
 * `raw`: the context value of `key`; `sweepBudget`: hunt:dailyQueryUnits as validated for the
 * Lambda. Returns the quota (0: none) or a problem naming the key and what it accepts.
 */
export function parseQueryQuota(key: string, raw: string | undefined, sweepBudget: number): number | string {
  const fallback = Number.isFinite(sweepBudget) && sweepBudget > 0 ? sweepBudget : 0;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n) || n > MAX_QUOTA) {
    return `${key} must be the tenant's daily XQL quota in query units, a number from 0 (unknown: hunt:dailyQueryUnits, else no alarm) to ${MAX_QUOTA} (get_quota's license_quota + additional_purchased_quota; got "${raw.slice(0, 40)}")`;
  }
  return n > 0 ? n : fallback;
}
