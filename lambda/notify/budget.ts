/**
 * The in-process SendBudget: one sliding-window pacer shared by whatever publishes in this
 * process. For tests and single-process use; a deployment shares the DynamoDB one
 * (lambda/state/dynamo-pace.ts) across every environment and topic.
 */
import type { SendBudget } from '../ports.js';
import { SendPacer, type PacerOptions } from './pacer.js';

export class InProcessSendBudget implements SendBudget {
  private readonly pacer: SendPacer;

  constructor(private readonly opts: PacerOptions) {
    this.pacer = new SendPacer(opts);
  }

  async acquire(count: number, deadline?: number): Promise<boolean> {
    for (;;) {
      const at = this.pacer.earliest(count);
      if (deadline !== undefined && at > deadline) return false;
      const wait = at - this.opts.now();
      if (wait <= 0) {
        // Checked and reserved with no await between: callers sharing the budget cannot both take the slot.
        // Reserved at the start (the shared budget's rule); the caller's own pacer records the return.
        this.pacer.record(count);
        return true;
      }
      await this.opts.sleep(wait);
    }
  }
}
