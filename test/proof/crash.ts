/**
 * Crash points: ports wrapped so that one step of a run dies right after (or right before) it did
 * its work, as a Lambda killed at its deadline would. A dead process releases nothing, so the
 * wrapped state store also drops the lease release.
 */
import type { RunPorts } from '../../lambda/run/index.js';

/** What the wrappers throw: the process died here. */
export class CrashError extends Error {
  override readonly name = 'CrashError';
}

export const CRASH_POINTS = [
  'after lease',
  'after checkpoint read',
  'after query',
  'after detect',
  'after record',
  'after publish',
  'after incident write',
  'after markNotified',
  'after history write',
  'before checkpoint write',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Port overrides that crash the run at `point`. */
export function crashAt(ports: RunPorts, point: CrashPoint): Partial<RunPorts> {
  const die = (): never => { throw new CrashError(`process died ${point}`); };
  const state = {
    acquireLease: ports.state.acquireLease.bind(ports.state),
    releaseLease: async () => {},
    readCheckpoint: ports.state.readCheckpoint.bind(ports.state),
    writeCheckpoint: ports.state.writeCheckpoint.bind(ports.state),
    recordFindings: ports.state.recordFindings.bind(ports.state),
    markNotified: ports.state.markNotified.bind(ports.state),
    readIncidents: ports.state.readIncidents.bind(ports.state),
    writeIncidents: ports.state.writeIncidents.bind(ports.state),
    recordShadow: ports.state.recordShadow.bind(ports.state),
    readShadow: ports.state.readShadow.bind(ports.state),
    readBackfill: ports.state.readBackfill.bind(ports.state),
    markBackfillChunk: ports.state.markBackfillChunk.bind(ports.state),
    readHistory: ports.state.readHistory.bind(ports.state),
    recordHistory: ports.state.recordHistory.bind(ports.state),
  };
  const after = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => { await fn(...a); return die(); };
  switch (point) {
    case 'after lease': return { state: { ...state, acquireLease: after(state.acquireLease) } };
    case 'after checkpoint read': return { state: { ...state, readCheckpoint: after(state.readCheckpoint) } };
    case 'after query': return { state, xql: { query: after(ports.xql.query.bind(ports.xql)) } };
    case 'after detect': return { state, detector: (rows, now) => { ports.detector(rows, now); return die(); } };
    case 'after record': return { state: { ...state, recordFindings: after(state.recordFindings) } };
    case 'after publish': return { state, notifier: { publish: after(ports.notifier.publish.bind(ports.notifier)) } };
    case 'after incident write': return { state: { ...state, writeIncidents: after(state.writeIncidents) } };
    case 'after markNotified': return { state: { ...state, markNotified: after(state.markNotified) } };
    case 'after history write': return { state: { ...state, recordHistory: after(state.recordHistory) } };
    case 'before checkpoint write': return { state: { ...state, writeCheckpoint: async () => die() } };
  }
}
