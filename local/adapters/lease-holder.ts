/**
 * Who holds a local run lease: the process id and host name stored beside the lease, so a lease
 * left by a process that is gone (Ctrl-C, a crash, a killed terminal) can be taken over at once
 * instead of blocking every run until it expires.
 */
import { hostname } from 'node:os';

export interface LeaseHolderProcess {
  readonly pid: number;
  readonly host: string;
}

export function thisProcess(): LeaseHolderProcess {
  return { pid: process.pid, host: hostname() };
}

/** True when the process is running on this host (signal 0 tests for existence only). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * The stored lease's holder process when it is certainly gone: recorded on this host and no
 * longer running. A lease from another host, or without a pid (older state files), is never
 * taken over: its holder may still be working.
 */
export function deadHolder(stored: Record<string, unknown> | undefined): LeaseHolderProcess | null {
  const pid = stored?.['pid'];
  const host = stored?.['host'];
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof host !== 'string') return null;
  if (host !== hostname() || processAlive(pid)) return null;
  return { pid, host };
}
