// Placeholder until the handler lands (issue 4): lets infra/ bundle a real entry point.
import type { ScheduledEvent } from 'aws-lambda';

export async function handler(_event: ScheduledEvent): Promise<{ ok: boolean }> {
  throw new Error('not wired yet');
}
