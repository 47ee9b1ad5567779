/**
 * The one line every rendering adds for a pair whose evidence reached XSIAM late (a laptop off the
 * network, a collector backlog): "arrived 30 h after it happened". Numbers only, nothing from a host.
 */
import { arrivedLate, lateText, type Finding } from '../finding.js';

/** The notice, or null when the pair's evidence arrived on time (or its arrival is unknown). */
export function lateNotice(f: Pick<Finding, 'arrivedLateMs'>): string | null {
  if (!arrivedLate(f) || f.arrivedLateMs === undefined) return null;
  return `arrived ${lateText(f.arrivedLateMs)} after it happened`;
}

/** `, arrived 30 h after it happened` for the end of a list line; empty when on time. */
export function lateSuffix(f: Pick<Finding, 'arrivedLateMs'>): string {
  const notice = lateNotice(f);
  return notice === null ? '' : `, ${notice}`;
}
